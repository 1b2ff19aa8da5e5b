using ConvCompare.Reports;

namespace ConvCompare.Cli;

/// <summary>Checks report paths before a run starts (so a typo costs nothing) and writes the reports after.</summary>
internal static class ReportPaths
{
    /// <summary>Null when <paramref name="file"/> can be written (or is not given), else one sentence.</summary>
    public static string? Problem(FileInfo? file, string option)
    {
        if (file is null)
            return null;
        if (Directory.Exists(file.FullName))
            return $"{option} {file.FullName} is a directory; give a file name";
        if (file.Directory is { Exists: false } directory)
            return $"{option} {file.FullName}: the directory {directory.FullName} does not exist";
        return null;
    }

    /// <summary>Writes the JSON and JUnit reports that were asked for; null on success, else one sentence naming the file.</summary>
    public static string? Write(RunReport report, FileInfo? json, FileInfo? junit)
    {
        foreach (var (file, write, kind) in new (FileInfo?, Action<string, RunReport>, string)[]
                 { (json, JsonReport.Write, "JSON"), (junit, JUnitReport.Write, "JUnit") })
        {
            if (file is null)
                continue;
            try
            {
                write(file.FullName, report);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return $"cannot write the {kind} report {file.FullName}: {ex.Message}";
            }
            Console.WriteLine($"{kind} report: {file.FullName}");
        }
        return null;
    }
}

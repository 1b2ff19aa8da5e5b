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

    /// <summary>Writes the JSON and JUnit reports that were asked for.</summary>
    public static void Write(RunReport report, FileInfo? json, FileInfo? junit)
    {
        if (json is not null)
        {
            JsonReport.Write(json.FullName, report);
            Console.WriteLine("JSON report: " + json.FullName);
        }
        if (junit is not null)
        {
            JUnitReport.Write(junit.FullName, report);
            Console.WriteLine("JUnit report: " + junit.FullName);
        }
    }
}

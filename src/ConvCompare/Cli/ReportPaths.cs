using ConvCompare.Files;
using ConvCompare.Reports;

namespace ConvCompare.Cli;

/// <summary>
/// Checks output paths before a command starts its work (so a typo, a read-only directory or an output
/// that would replace an input costs nothing) and writes the reports after.
/// </summary>
internal static class ReportPaths
{
    /// <summary>Null when <paramref name="file"/> can be written (or is not given), else one sentence.</summary>
    public static string? Problem(FileInfo? file, string option) => Problem(file?.FullName, option);

    /// <summary>Null when <paramref name="path"/> can be written (or is null): a temporary is created beside it and removed; else one sentence.</summary>
    public static string? Problem(string? path, string option)
    {
        if (path is null)
            return null;
        if (string.IsNullOrWhiteSpace(path) || path.Contains('\0', StringComparison.Ordinal))
            return $"{option} '{path.Replace("\0", "", StringComparison.Ordinal)}' is not a file name";
        return AtomicFile.Problem(path) is { } problem ? $"{option} {Path.GetFullPath(path)}: {problem}" : null;
    }

    /// <summary>
    /// Null when every output is a different file and none is one of the inputs; else one sentence
    /// naming the options. Paths are compared after resolving relative parts and symbolic links.
    /// </summary>
    public static string? Clash(IEnumerable<(string Option, string? Path)> outputs, IEnumerable<string>? inputs = null)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string input in inputs ?? [])
            seen.TryAdd(SameFile(input), "the input " + input);
        foreach (var (option, path) in outputs)
        {
            if (path is null)
                continue;
            if (seen.TryGetValue(SameFile(path), out string? other))
                return $"{option} {path} would overwrite {other}; give it a different file";
            seen.Add(SameFile(path), option);
        }
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
            if (WriteOrSay($"the {kind} report {file.FullName}", file.FullName, temporary => write(temporary, report)) is { } problem)
                return problem;
            Console.WriteLine($"{kind} report: {file.FullName}");
        }
        return null;
    }

    /// <summary>Writes <paramref name="path"/> through <see cref="AtomicFile"/>; null on success, else one sentence about <paramref name="what"/>.</summary>
    public static string? WriteOrSay(string what, string path, Action<string> writeTemporary)
    {
        try
        {
            AtomicFile.Write(path, writeTemporary);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot write {what} ({ex.Message.TrimEnd('.')}); the previous file, if any, is unchanged";
        }
    }

    /// <summary>
    /// The exit code once the verdict is printed and the outputs written: the verdict's own code, or,
    /// when an output could not be written, a one-line reason and 5 ("could not finish") unless the
    /// verdict is a verified failure, which stays 1.
    /// </summary>
    public static int Finish(int verdict, string? writeProblem, TextWriter? error = null)
    {
        if (writeProblem is null)
            return verdict;
        int unfinished = ExitCodes.Unfinished(writeProblem, error);
        return verdict == ExitCodes.Failed ? ExitCodes.Failed : unfinished;
    }

    /// <summary>The file a path names, for comparison; a path that names none (empty, a NUL) stays as given and is refused by <see cref="Problem(string?, string)"/>.</summary>
    private static string SameFile(string path)
    {
        try
        {
            string full = Path.GetFullPath(path);
            return File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException)
        {
            return path;
        }
    }
}

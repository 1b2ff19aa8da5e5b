namespace ConvCompare.Cli;

/// <summary>
/// Command lines the program prints for a user to paste (repro lines, next steps), in the one
/// spelling that works on a fresh clone after the README's Quick start, from the repository root.
/// </summary>
internal static class CommandText
{
    /// <summary>How the README runs the program; nothing installs a bare <c>convcompare</c>.</summary>
    public const string Program = "dotnet run --project src/ConvCompare --";

    /// <summary>The command line that runs the program with <paramref name="arguments"/>, each quoted for a POSIX shell where needed.</summary>
    public static string Of(params string[] arguments) => Program + string.Concat(arguments.Select(a => " " + Quote(a)));

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./,=:+@%".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

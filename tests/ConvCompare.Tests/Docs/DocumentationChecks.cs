using System.Globalization;
using System.Text.RegularExpressions;
using ConvCompare.Cli;

namespace ConvCompare.Tests.Docs;

/// <summary>
/// The rules that keep README.md and docs/*.md honest. Each check returns one line per problem,
/// "page:line: what is wrong", and an empty list when the page keeps the rule.
/// </summary>
internal static partial class DocumentationChecks
{
    /// <summary>Code-fence languages whose lines are shell commands.</summary>
    private static readonly string[] ShellLanguages = ["", "bash", "sh", "shell", "console"];

    /// <summary>Extensions that mark an inline code span as a file name.</summary>
    private static readonly string[] FileExtensions = [".md", ".txt", ".cs", ".json", ".sh", ".safetensors", ".png", ".targets", ".props", ".csproj", ".sln"];

    /// <summary>
    /// Every command line that runs the program, in shell code blocks and in inline code, parses with
    /// the program's own parser (<see cref="CommandLine.Root"/>) without errors. Nothing is run.
    /// </summary>
    public static List<string> CommandLineProblems(MarkdownPage page)
    {
        var problems = new List<string>();
        foreach (var (line, number, arguments) in ProgramCommandLines(page))
        {
            if (ProgramInvocation.UsesABareProgramName(line))
                problems.Add($"{page.Name}:{number}: `{line.Trim()}` runs `convcompare`, which no set-up step installs; write `{CommandText.Program} ...`");
            var errors = CommandLine.Root().Parse(arguments.ToArray()).Errors;
            if (errors.Count > 0)
                problems.Add($"{page.Name}:{number}: `{line.Trim()}` does not parse: {string.Join("; ", errors.Select(e => e.Message))}");
        }
        return problems;
    }

    /// <summary>The page's command lines that run the program, with the arguments they pass it.</summary>
    public static IEnumerable<(string Line, int Number, IReadOnlyList<string> Arguments)> ProgramCommandLines(MarkdownPage page)
    {
        foreach (var (line, number) in CommandLines(page))
        {
            if (ProgramInvocation.Arguments(line) is { } arguments)
                yield return (line, number, arguments);
        }
    }

    /// <summary>
    /// Every timing (a number with a time unit, or a table with a time-unit column) is labelled
    /// "measured YYYY-MM-DD on machine" in its own block, or, for a table or list, in the block
    /// just before it (which may itself be a labelled table or list).
    /// </summary>
    public static List<string> TimingProblems(MarkdownPage page)
    {
        var problems = new List<string>();
        bool previousLabelled = false;
        foreach (var block in page.Blocks)
        {
            bool labelled = HasLabel(block.Text)
                || (previousLabelled && block.Kind is BlockKind.Table or BlockKind.List);
            if (!labelled)
            {
                for (int i = 0; i < block.Lines.Count; i++)
                {
                    if (Timing(block, i) is { } timing)
                        problems.Add($"{page.Name}:{block.FirstLine + i}: timing '{timing}' has no \"measured YYYY-MM-DD on <machine>\" label");
                }
            }
            previousLabelled = labelled;
        }
        return problems;
    }

    /// <summary>
    /// Every link and image resolves to a file or folder inside the repository (and an anchor to a
    /// heading of its page); every inline code span that names a repository path names one that exists.
    /// </summary>
    public static List<string> ReferenceProblems(MarkdownPage page, string repositoryRoot, Func<string, MarkdownPage> pageAt)
    {
        var problems = new List<string>();
        string root = Path.GetFullPath(repositoryRoot);
        string pageFolder = Path.GetDirectoryName(Path.Combine(root, page.Name))!;
        foreach (var (line, number) in ProseLines(page))
        {
            foreach (string target in MarkdownPage.LinkTargets(line))
            {
                if (target.StartsWith("https://", StringComparison.Ordinal) || target.StartsWith("http://", StringComparison.Ordinal))
                    continue;
                string[] parts = target.Split('#', 2);
                string file = parts[0].Length == 0 ? Path.Combine(root, page.Name) : Path.GetFullPath(Path.Combine(pageFolder, parts[0]));
                if (!Inside(root, file) || !(File.Exists(file) || Directory.Exists(file)))
                    problems.Add($"{page.Name}:{number}: link '{target}' does not resolve to a file in the repository");
                else if (parts.Length == 2 && file.EndsWith(".md", StringComparison.Ordinal)
                    && !pageAt(Path.GetRelativePath(root, file)).Anchors().Contains(parts[1]))
                    problems.Add($"{page.Name}:{number}: link '{target}' names no heading of {Path.GetRelativePath(root, file)}");
            }
            foreach (string span in MarkdownPage.CodeSpans(line))
            {
                if (!NamesRepositoryPath(span, root))
                    continue;
                string path = Path.GetFullPath(Path.Combine(root, span));
                if (!Inside(root, path) || !(File.Exists(path) || Directory.Exists(path)))
                    problems.Add($"{page.Name}:{number}: `{span}` is not a path in the repository");
            }
        }
        return problems;
    }

    private static bool HasLabel(string text)
    {
        foreach (Match label in LabelPattern().Matches(text))
        {
            if (DateOnly.TryParseExact(label.Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                return true;
        }
        return false;
    }

    private static string? Timing(MarkdownBlock block, int line)
    {
        if (TimingPattern().Match(block.Lines[line]) is { Success: true } match)
            return match.Value;
        bool tableHeader = block.Kind == BlockKind.Table && line == 0;
        return tableHeader && TimeColumnPattern().Match(block.Lines[0]) is { Success: true } column ? column.Value.Trim('|', ' ') : null;
    }

    /// <summary>Shell lines of code blocks (continuations joined) and inline code spans of prose lines.</summary>
    private static IEnumerable<(string Line, int Number)> CommandLines(MarkdownPage page)
    {
        foreach (var block in page.Blocks)
        {
            if (block.Kind == BlockKind.Code)
            {
                if (!ShellLanguages.Contains(block.Language))
                    continue;
                string joined = "";
                for (int i = 0; i < block.Lines.Count; i++)
                {
                    string line = block.Lines[i];
                    if (line.EndsWith('\\'))
                    {
                        joined += line[..^1] + " ";
                        continue;
                    }
                    yield return (joined + line, block.FirstLine + i);
                    joined = "";
                }
            }
            else
            {
                for (int i = 0; i < block.Lines.Count; i++)
                {
                    foreach (string span in MarkdownPage.CodeSpans(block.Lines[i]))
                        yield return (span, block.FirstLine + i);
                }
            }
        }
    }

    private static IEnumerable<(string Line, int Number)> ProseLines(MarkdownPage page) =>
        page.Blocks.Where(b => b.Kind != BlockKind.Code)
            .SelectMany(b => b.Lines.Select((line, i) => (line, b.FirstLine + i)));

    /// <summary>A span without spaces or placeholders that starts at a top-level entry of the repository or ends like a file name.</summary>
    private static bool NamesRepositoryPath(string span, string root)
    {
        if (span.Any(char.IsWhiteSpace) || span.IndexOfAny(['<', '>', '*', '[', '{', '$']) >= 0 || !span.Contains('/', StringComparison.Ordinal))
            return false;
        string first = span.Split('/')[0];
        bool topLevel = first.Length > 0 && (Directory.Exists(Path.Combine(root, first)) || first == "..");
        return topLevel || FileExtensions.Any(e => span.EndsWith(e, StringComparison.Ordinal));
    }

    private static bool Inside(string root, string path) =>
        path == root || path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    [GeneratedRegex(@"measured (\d{4}-\d{2}-\d{2}) on \w")]
    private static partial Regex LabelPattern();

    [GeneratedRegex(@"(?<![\w.])\d+(\.\d+)?(\s*(to|-)\s*\d+(\.\d+)?)?\s*(ms|us|µs|ns|s|secs?|seconds?|mins?|minutes?|hours?)(?![\w])")]
    private static partial Regex TimingPattern();

    [GeneratedRegex(@"\|[^|]*\b(ms|s|seconds|minutes)\s*\|")]
    private static partial Regex TimeColumnPattern();
}

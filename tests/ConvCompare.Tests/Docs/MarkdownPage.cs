using System.Text;
using System.Text.RegularExpressions;

namespace ConvCompare.Tests.Docs;

/// <summary>The kinds of block a page is split into: what a reader sees as one unit.</summary>
internal enum BlockKind
{
    Paragraph,
    List,
    Table,
    Code,
}

/// <summary>A block of a Markdown page: a fenced code block, or a run of non-blank lines.</summary>
/// <param name="Kind">What the block is.</param>
/// <param name="FirstLine">1-based line number of its first line in the page.</param>
/// <param name="Lines">Its lines (for a code block, without the fences).</param>
/// <param name="Language">The fence's info string for a code block ("" when none); null otherwise.</param>
internal sealed record MarkdownBlock(BlockKind Kind, int FirstLine, IReadOnlyList<string> Lines, string? Language)
{
    public string Text => string.Join('\n', Lines);
}

/// <summary>
/// Just enough of GitHub Markdown to check a page: blocks, inline code spans, links and heading
/// anchors. Not a renderer: it recognises the constructs the project's pages use.
/// </summary>
internal sealed partial class MarkdownPage
{
    /// <summary>The <see cref="MarkdownBlock.Language"/> of an indented code block, which has no info string.</summary>
    public const string IndentedCode = "(indented)";

    private MarkdownPage(string name, IReadOnlyList<MarkdownBlock> blocks)
    {
        Name = name;
        Blocks = blocks;
    }

    /// <summary>The page's path relative to the repository root, for messages.</summary>
    public string Name { get; }

    public IReadOnlyList<MarkdownBlock> Blocks { get; }

    public static MarkdownPage Parse(string name, string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<MarkdownBlock>();
        var current = new List<string>();
        int start = 0;
        void Close()
        {
            if (current.Count > 0)
            {
                var kind = KindOf(current);
                blocks.Add(new MarkdownBlock(kind, start, current, kind == BlockKind.Code ? IndentedCode : null));
            }
            current = [];
        }

        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                Close();
                string language = line.Trim()[3..].Trim();
                var code = new List<string>();
                int first = i + 2;
                for (i++; i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal); i++)
                    code.Add(lines[i]);
                blocks.Add(new MarkdownBlock(BlockKind.Code, first, code, language));
            }
            else if (string.IsNullOrWhiteSpace(line))
            {
                Close();
            }
            else
            {
                if (current.Count == 0)
                    start = i + 1;
                current.Add(line);
            }
        }
        Close();
        return new MarkdownPage(name, blocks);
    }

    /// <summary>The inline code spans of a prose line (single backticks).</summary>
    public static IEnumerable<string> CodeSpans(string line) =>
        CodeSpanPattern().Matches(line).Select(m => m.Groups[1].Value);

    /// <summary>Link and image targets of a prose line, code spans excluded.</summary>
    public static IEnumerable<string> LinkTargets(string line) =>
        LinkPattern().Matches(CodeSpanPattern().Replace(line, "")).Select(m => m.Groups[1].Value);

    /// <summary>The anchors GitHub gives the page's headings.</summary>
    public IReadOnlySet<string> Anchors() =>
        Blocks.Where(b => b.Kind != BlockKind.Code)
            .SelectMany(b => b.Lines)
            .Where(l => l.StartsWith('#'))
            .Select(l => Slug(l.TrimStart('#')))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens.</summary>
    public static string Slug(string heading)
    {
        var slug = new StringBuilder();
        foreach (char c in heading.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '_' or '-')
                slug.Append(c);
            else if (c == ' ')
                slug.Append('-');
        }
        return slug.ToString();
    }

    private static BlockKind KindOf(List<string> lines)
    {
        if (lines.All(l => l.StartsWith("    ", StringComparison.Ordinal) || l.StartsWith('\t')))
            return BlockKind.Code;
        string first = lines[0].TrimStart();
        if (first.StartsWith('|'))
            return BlockKind.Table;
        if (first.StartsWith("- ", StringComparison.Ordinal) || ListNumberPattern().IsMatch(first))
            return BlockKind.List;
        return BlockKind.Paragraph;
    }

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex CodeSpanPattern();

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"^\d+\. ")]
    private static partial Regex ListNumberPattern();
}

using System.Text;
using ConvCompare.Explain.Model;

namespace ConvCompare.Explain.Rendering;

/// <summary>
/// Lays the walk-through's pieces out as fixed-width text: matrices as bracketed blocks side by side,
/// written sums wrapped at term boundaries, prose wrapped at words. Serves the plain (redirected)
/// output and the Markdown code blocks, so both look the same.
/// </summary>
internal static class TextLayout
{
    /// <summary>The width redirected output and Markdown code blocks keep to.</summary>
    public const int Width = 100;

    private const string Gap = "   ";
    private const char MarkSymbol = '*';

    /// <summary>Words of <paramref name="text"/> filled into lines of at most <see cref="Width"/> columns.</summary>
    public static IEnumerable<string> Wrap(string text, string indent = "")
    {
        var line = new StringBuilder(indent);
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > indent.Length && line.Length + 1 + word.Length > Width)
            {
                yield return line.ToString();
                line.Clear().Append(indent);
            }
            if (line.Length > indent.Length)
                line.Append(' ');
            line.Append(word);
        }
        if (line.Length > indent.Length)
            yield return line.ToString();
    }

    /// <summary>
    /// A written sum as two wrapped parts: "target = symbolic terms" and "= numeric terms = value",
    /// or one line when nothing reaches the target.
    /// </summary>
    public static IEnumerable<string> Sum(WrittenSum sum)
    {
        string head = sum.Target + " = ";
        string indent = new(' ', sum.Target.Length + 1);
        if (sum.Terms.Count == 0)
            return [head + "(no term: no window covers this cell) = 0"];
        return Pieces(head, sum.SymbolicTerms, indent + "  ")
            .Concat(Pieces(indent + "= ", [.. sum.NumericTerms.SkipLast(1), sum.NumericTerms[^1] + " = " + Numbers.Format(sum.Value)], indent + "  "));
    }

    /// <summary>A row of matrices side by side, broken into several bands when wider than <see cref="Width"/>; then the legend of marked cells.</summary>
    public static IEnumerable<string> Row(MatrixRow row)
    {
        if (row.Caption is { } caption)
            foreach (var line in Wrap(caption + ":"))
                yield return line;
        var blocks = row.Matrices.Select(Block).ToList();
        int start = 0;
        while (start < blocks.Count)
        {
            int width = blocks[start].Width, end = start + 1;
            while (end < blocks.Count && width + Gap.Length + blocks[end].Width <= Width)
                width += Gap.Length + blocks[end++].Width;
            var band = blocks.GetRange(start, end - start);
            int height = band.Max(b => b.Lines.Count);
            for (int i = 0; i < height; i++)
                yield return string.Join(Gap, band.Select(b => (i < b.Lines.Count ? b.Lines[i] : "").PadRight(b.Width))).TrimEnd();
            start = end;
        }
        foreach (var legend in row.MarkLegends)
            foreach (var line in Wrap($"{MarkSymbol} in {legend}", "  "))
                yield return line;
    }

    /// <summary>One check as a line: verdict, quantity, largest difference and bound.</summary>
    public static IEnumerable<string> Check(Check check) =>
        Wrap($"{(check.Passed ? "PASS" : "FAIL")} {check.Quantity} (max |difference| {Numbers.Format(check.MaxAbsDifference)}, bound {Numbers.Format(check.Bound)})", "     ");

    /// <summary>The closing verdict over all checks.</summary>
    public static string Verdict(Walkthrough walkthrough)
    {
        int total = walkthrough.Checks.Count(), failed = walkthrough.Checks.Count(c => !c.Passed);
        return failed == 0
            ? $"All {total} comparisons within bound: ConvRef, the written-out sums and TorchSharp autograd agree."
            : $"{failed} of {total} comparisons FAILED (see the FAIL lines above).";
    }

    private static IEnumerable<string> Pieces(string head, IReadOnlyList<string> terms, string continuation)
    {
        var line = new StringBuilder(head);
        for (int t = 0; t < terms.Count; t++)
        {
            string piece = (t == 0 ? "" : " + ") + terms[t];
            if (t > 0 && line.Length + piece.Length > Width)
            {
                yield return line.ToString();
                line.Clear().Append(continuation).Append("+ ").Append(terms[t]);
            }
            else
                line.Append(piece);
        }
        yield return line.ToString();
    }

    private sealed record TextBlock(IReadOnlyList<string> Lines, int Width);

    private static TextBlock Block(LabelledMatrix m)
    {
        var cells = new string[m.Rows, m.Columns];
        int cellWidth = 1;
        for (int i = 0; i < m.Rows; i++)
            for (int j = 0; j < m.Columns; j++)
                cellWidth = Math.Max(cellWidth, (cells[i, j] = Numbers.Format(m.Values[i, j])).Length);
        bool marks = m.Marked is not null;
        var lines = new List<string> { m.Label };
        for (int i = 0; i < m.Rows; i++)
        {
            var line = new StringBuilder("[");
            for (int j = 0; j < m.Columns; j++)
            {
                line.Append(j == 0 ? "" : " ").Append(cells[i, j].PadLeft(cellWidth));
                if (marks)
                    line.Append(m.IsMarked(i, j) ? MarkSymbol : ' ');
            }
            lines.Add(line.Append(']').ToString());
        }
        return new TextBlock(lines, lines.Max(l => l.Length));
    }
}

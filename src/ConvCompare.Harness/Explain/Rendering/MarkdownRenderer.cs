using System.Text;
using ConvCompare.Explain.Model;

namespace ConvCompare.Explain.Rendering;

/// <summary>The walk-through as Markdown, for a wiki page or a pull request: prose as text, sums and matrices in fixed-width code blocks.</summary>
internal static class MarkdownRenderer
{
    /// <summary>The whole document.</summary>
    public static string Render(Walkthrough walkthrough)
    {
        var md = new StringBuilder();
        md.Append("# ").AppendLine(Headline.Title(walkthrough)).AppendLine();
        md.AppendLine(Escape(Headline.Text(walkthrough))).AppendLine();
        foreach (var part in walkthrough.Parts)
        {
            md.Append("## Part ").Append(part.Number).Append(". ").AppendLine(Escape(part.Title)).AppendLine();
            md.AppendLine(Escape(part.Introduction)).AppendLine();
            foreach (var step in part.Steps)
                Step(md, step);
        }
        md.Append("**").Append(Escape(TextLayout.Verdict(walkthrough))).AppendLine("**");
        return md.ToString();
    }

    private static void Step(StringBuilder md, WalkthroughStep step)
    {
        md.Append("### ").Append(step.EquationLabel).Append(": ").AppendLine(Escape(step.Title)).AppendLine();
        foreach (var paragraph in step.Prose)
            md.AppendLine(Escape(paragraph)).AppendLine();
        if (step.Sums.Count > 0)
            CodeBlock(md, step.Sums.SelectMany(TextLayout.Sum));
        if (step.Rows.Count > 0)
            CodeBlock(md, step.Rows.SelectMany((row, i) => (i == 0 ? [] : new[] { "" }).Concat(TextLayout.Row(row))));
        if (step.Checks.Count == 0)
            return;
        md.AppendLine("| check | max \\|difference\\| | bound | result |").AppendLine("|---|---:|---:|---|");
        foreach (var check in step.Checks)
            md.Append("| ").Append(Escape(check.Quantity).Replace("|", "\\|", StringComparison.Ordinal))
              .Append(" | ").Append(Numbers.Format(check.MaxAbsDifference))
              .Append(" | ").Append(Numbers.Format(check.Bound))
              .Append(" | ").Append(check.Passed ? "pass" : "**FAIL**").AppendLine(" |");
        md.AppendLine();
    }

    private static void CodeBlock(StringBuilder md, IEnumerable<string> lines)
    {
        md.AppendLine("```text");
        foreach (var line in lines)
            md.AppendLine(line);
        md.AppendLine("```").AppendLine();
    }

    /// <summary>Escapes the characters Markdown would read as emphasis or markup in prose (the derivation's a*b, [i,j], _ subscripts).</summary>
    private static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char ch in text)
        {
            if (ch is '*' or '_' or '[' or ']' or '<' or '>' or '`' or '\\')
                sb.Append('\\');
            sb.Append(ch);
        }
        return sb.ToString();
    }
}

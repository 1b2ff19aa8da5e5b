using ConvCompare.Explain.Model;

namespace ConvCompare.Explain.Rendering;

/// <summary>The walk-through as plain text of at most 100 columns: for redirected output, CI logs and Markdown-free places.</summary>
internal static class PlainTextRenderer
{
    /// <summary>Writes the whole walk-through.</summary>
    public static void Write(Walkthrough walkthrough, TextWriter output)
    {
        foreach (var line in Lines(walkthrough))
            output.WriteLine(line);
    }

    /// <summary>The lines <see cref="Write"/> writes.</summary>
    public static IEnumerable<string> Lines(Walkthrough walkthrough)
    {
        yield return Headline.Title(walkthrough);
        foreach (var line in TextLayout.Wrap(Headline.Text(walkthrough)))
            yield return line;
        foreach (var part in walkthrough.Parts)
        {
            yield return "";
            yield return new string('=', TextLayout.Width);
            yield return $"Part {part.Number}. {part.Title}";
            yield return new string('=', TextLayout.Width);
            foreach (var line in TextLayout.Wrap(part.Introduction))
                yield return line;
            foreach (var step in part.Steps)
                foreach (var line in Step(step))
                    yield return line;
        }
        yield return "";
        yield return TextLayout.Verdict(walkthrough);
    }

    private static IEnumerable<string> Step(WalkthroughStep step)
    {
        yield return "";
        foreach (var line in TextLayout.Wrap($"--- {step.EquationLabel}: {step.Title} ---"))
            yield return line;
        foreach (var paragraph in step.Prose)
            foreach (var line in TextLayout.Wrap(paragraph))
                yield return line;
        if (step.Sums.Count > 0)
            yield return "";
        foreach (var line in step.Sums.SelectMany(TextLayout.Sum))
            yield return line;
        foreach (var row in step.Rows)
        {
            yield return "";
            foreach (var line in TextLayout.Row(row))
                yield return line;
        }
        if (step.Checks.Count > 0)
            yield return "";
        foreach (var line in step.Checks.SelectMany(TextLayout.Check))
            yield return line;
    }
}

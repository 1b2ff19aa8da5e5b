using System.Text.RegularExpressions;
using System.Xml.Linq;
using ConvCompare.Explain.Model;

namespace ConvCompare.Explain.Rendering;

/// <summary>
/// The walk-through as one self-contained HTML page: inline CSS and inline SVG heatmaps, no
/// scripts, no external resources, so it opens offline. Built as an XML tree, so it is also
/// well-formed XML (every element closed, text escaped).
/// </summary>
internal static partial class HtmlRenderer
{
    private const string Css =
        "body { font-family: system-ui, 'DejaVu Sans', sans-serif; max-width: 1140px; margin: 16px auto; padding: 0 16px; color: #222; line-height: 1.45; }\n" +
        "h1 { font-size: 24px; margin-bottom: 4px; } h2 { font-size: 20px; border-bottom: 2px solid #ccc; margin-top: 32px; }\n" +
        "h3 { font-size: 16px; margin: 22px 0 6px; } h3 .eq { background: #eef; color: #224; border-radius: 4px; padding: 1px 6px; margin-right: 6px; }\n" +
        "p { margin: 6px 0; } .verdict { padding: 8px 12px; border-radius: 6px; font-weight: 600; }\n" +
        ".pass { background: #d9f2e0; } .fail { background: #f8d0cc; }\n" +
        "pre.sums { background: #f6f6f6; padding: 8px; font-size: 13px; overflow-x: auto; margin: 0; }\n" +
        ".body { display: flex; flex-wrap: wrap; gap: 8px 28px; align-items: flex-start; }\n" +
        ".figures { flex: 1 1 420px; display: flex; flex-wrap: wrap; gap: 4px 40px; align-items: flex-start; }\n" +
        ".row { margin: 8px 0; } .caption { font-size: 13px; color: #555; margin-bottom: 2px; }\n" +
        ".mats { display: flex; flex-wrap: wrap; gap: 14px; align-items: flex-start; }\n" +
        ".note { font-size: 12px; color: #555; } table.checks { border-collapse: collapse; font-size: 13px; margin: 6px 0; }\n" +
        "table.checks td, table.checks th { border: 1px solid #ccc; padding: 2px 8px; text-align: left; }\n" +
        "table.checks td.num { text-align: right; font-family: monospace; }\n" + SvgHeatmap.Style;

    /// <summary>The whole page.</summary>
    public static string Render(Walkthrough walkthrough)
    {
        var body = new XElement("body",
            new XElement("h1", Headline.Title(walkthrough)),
            new XElement("p", Headline.Text(walkthrough)),
            Verdict(walkthrough),
            new XElement("p", new XAttribute("class", "note"),
                "Each grid is one matrix, rows and columns numbered from 1 as in the derivation; colour runs from blue (negative) through white (0) to red (positive) on that grid's own scale. Difference maps are ConvRef minus autograd: green where zero. Dashed cells are marked; the note under the row says why."));
        foreach (var part in walkthrough.Parts)
        {
            body.Add(new XElement("h2", $"Part {part.Number}. {part.Title}"), new XElement("p", Rich(part.Introduction)));
            foreach (var step in part.Steps)
                body.Add(Step(step));
        }
        body.Add(Verdict(walkthrough));
        var html = new XElement("html", new XAttribute("lang", "en"),
            new XElement("head",
                new XElement("meta", new XAttribute("charset", "utf-8")),
                new XElement("meta", new XAttribute("name", "viewport"), new XAttribute("content", "width=device-width, initial-scale=1")),
                new XElement("title", Headline.Title(walkthrough)),
                new XElement("style", Css)),
            body);
        return "<!DOCTYPE html>\n" + html.ToString(SaveOptions.None) + "\n";
    }

    private static IEnumerable<XElement> Step(WalkthroughStep step)
    {
        yield return new XElement("h3", new XElement("span", new XAttribute("class", "eq"), step.EquationLabel), Rich(step.Title));
        foreach (var paragraph in step.Prose)
            yield return new XElement("p", Rich(paragraph));
        var content = new XElement("div", new XAttribute("class", "body"));
        if (step.Sums.Count > 0)
            content.Add(new XElement("pre", new XAttribute("class", "sums"), string.Join("\n", step.Sums.SelectMany(TextLayout.Sum))));
        var figures = new XElement("div", new XAttribute("class", "figures"));
        foreach (var row in step.Rows)
        {
            var div = new XElement("div", new XAttribute("class", "row"));
            if (row.Caption is not null)
                div.Add(new XElement("div", new XAttribute("class", "caption"), Rich(row.Caption)));
            div.Add(new XElement("div", new XAttribute("class", "mats"), row.Matrices.Select(SvgHeatmap.Render)));
            foreach (var legend in row.MarkLegends)
                div.Add(new XElement("div", new XAttribute("class", "note"), "dashed cells in " + legend));
            figures.Add(div);
        }
        if (!figures.IsEmpty)
            content.Add(figures);
        if (!content.IsEmpty)
            yield return content;
        if (step.Checks.Count > 0)
            yield return new XElement("table", new XAttribute("class", "checks"),
                new XElement("tr", new XElement("th", "check"), new XElement("th", "max |difference|"), new XElement("th", "bound"), new XElement("th", "result")),
                step.Checks.Select(c => new XElement("tr", new XAttribute("class", c.Passed ? "pass" : "fail"),
                    new XElement("td", c.Quantity),
                    new XElement("td", new XAttribute("class", "num"), Numbers.Format(c.MaxAbsDifference)),
                    new XElement("td", new XAttribute("class", "num"), Numbers.Format(c.Bound)),
                    new XElement("td", c.Passed ? "pass" : "FAIL"))));
    }

    private static XElement Verdict(Walkthrough walkthrough) =>
        new("p", new XAttribute("class", walkthrough.Passed ? "verdict pass" : "verdict fail"), TextLayout.Verdict(walkthrough));

    /// <summary>Text with the derivation's layer superscripts, written ^(l-1) in plain text, set as superscripts.</summary>
    private static IEnumerable<object> Rich(string text)
    {
        int last = 0;
        foreach (Match m in Superscript().Matches(text))
        {
            yield return text[last..m.Index];
            yield return new XElement("sup", m.Groups[1].Value);
            last = m.Index + m.Length;
        }
        yield return text[last..];
    }

    [GeneratedRegex(@"\^(\([^)]*\))")]
    private static partial Regex Superscript();
}

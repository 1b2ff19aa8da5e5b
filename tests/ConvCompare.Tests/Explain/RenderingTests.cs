using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using ConvCompare.Cli;
using ConvCompare.Explain.Examples;
using ConvCompare.Oracles;
using ConvCompare.Explain.Model;
using ConvCompare.Explain.Rendering;
using Spectre.Console;

namespace ConvCompare.Tests.Explain;

public class RenderingTests
{
    public static TheoryData<int> EquationNumbers => [1, 2, 3, 4, 5, 6, 7, 8, 9];

    [Theory]
    [MemberData(nameof(EquationNumbers))]
    public void EveryEquation_IsCitedInPlainMarkdownAndHtml(int equation)
    {
        var cited = new Regex($@"\bEq {equation}\b");
        Assert.Contains(equation, ExplainFixture.Walkthrough.CitedEquations);
        Assert.Contains(ExplainFixture.PlainLines, l => cited.IsMatch(l));
        Assert.Matches(cited, ExplainFixture.Markdown);
        Assert.Matches(cited, ExplainFixture.Html);
    }

    public static TheoryData<string> Topics => [.. ExplainCommand.Topics.Keys];

    [Theory]
    [InlineData("backprop", 24)]
    [InlineData("transposed", 14)]
    [InlineData("reflect", 8)]
    [InlineData("second-order", 9)]
    public void IntegerExamples_AgreeExactlyEverywhere(string topic, int comparisons)
    {
        var checks = ExplainFixture.Page(topic).Checks.ToArray();
        Assert.Equal(comparisons, checks.Length);
        Assert.All(checks, c => Assert.True(c.MaxAbsDifference == 0 && c.Bound == 0, c.Quantity));
    }

    [Theory]
    [MemberData(nameof(Topics))]
    public void EveryEquationAPageCites_AppearsInPlainMarkdownAndHtml(string topic)
    {
        var cited = ExplainFixture.Page(topic).CitedEquations;
        Assert.NotEmpty(cited);
        foreach (int equation in cited)
        {
            var pattern = new Regex($@"\bEq {equation}\b");
            Assert.Contains(ExplainFixture.PlainLinesOf(topic), l => pattern.IsMatch(l));
            Assert.Matches(pattern, ExplainFixture.MarkdownOf(topic));
            Assert.Matches(pattern, ExplainFixture.HtmlOf(topic));
        }
    }

    [Theory]
    [MemberData(nameof(Topics))]
    public void EveryRendering_OpensWithThePagesOwnTitle(string topic)
    {
        string title = Headline.Title(ExplainFixture.Page(topic));
        Assert.Equal(topic == "backprop", title == Headline.DefaultTitle);
        Assert.Equal(title, ExplainFixture.PlainLinesOf(topic)[0]);
        Assert.StartsWith("# " + title + "\n", ExplainFixture.MarkdownOf(topic), StringComparison.Ordinal);
        Assert.Equal(title, ParseXml(ExplainFixture.HtmlOf(topic)).Descendants("h1").Single().Value);
    }

    [Theory]
    [InlineData("backprop", ExplainCommand.DefaultSeed)]
    [InlineData("backprop", 99UL)]
    [InlineData("backprop", ulong.MaxValue)]
    [InlineData("transposed", ExplainCommand.DefaultSeed)]
    [InlineData("transposed", ulong.MaxValue)]
    [InlineData("reflect", ExplainCommand.DefaultSeed)]
    [InlineData("reflect", ulong.MaxValue)]
    [InlineData("second-order", ExplainCommand.DefaultSeed)]
    [InlineData("second-order", ulong.MaxValue)]
    public void RedirectedOutput_FitsOneHundredColumnsWithoutEscapeCodes(string topic, ulong seed)
    {
        var lines = seed == ExplainCommand.DefaultSeed ? ExplainFixture.PlainLinesOf(topic)
            : PlainTextRenderer.Lines(WalkthroughBuilder.Build(ExplainCommand.Topics[topic], ExampleChoice.All, seed, new TorchOracle(), new TorchFamilyAutograd())).ToArray();
        Assert.All(lines, l => Assert.True(l.Length <= TextLayout.Width, $"{l.Length} columns: {l}"));
        Assert.DoesNotContain(lines, l => l.Contains('\u001b', StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Topics))]
    public void HtmlPage_IsWellFormedWithOneLabelledSvgHeatmapPerMatrix(string topic)
    {
        var doc = ParseXml(ExplainFixture.HtmlOf(topic));
        var svgs = doc.Descendants("svg").ToArray();
        var matrices = ExplainFixture.Page(topic).Parts.SelectMany(p => p.Steps).SelectMany(s => s.Rows).SelectMany(r => r.Matrices).ToArray();
        Assert.Equal(matrices.Length, svgs.Length);
        foreach (var (svg, matrix) in svgs.Zip(matrices))
        {
            Assert.Equal(matrix.Label, svg.Element("title")?.Value);
            Assert.Equal(matrix.Rows * matrix.Columns, svg.Elements("rect").Count());
            var cellTexts = svg.Elements("text").Where(t => t.Attribute("class")!.Value.StartsWith("value", StringComparison.Ordinal)).Select(t => t.Value);
            Assert.Equal(matrix.Values.Cast<double>().Select(Numbers.Format), cellTexts);
        }
    }

    [Theory]
    [InlineData("a^(l-1)")]
    [InlineData("w^(l)")]
    [InlineData("Rot180(w)")]
    [InlineData("δ^(l)")]
    [InlineData("δ padded for full mode")]
    [InlineData("interleaved δ")]
    [InlineData("full convolution")]
    [InlineData("dJ/da ConvRef")]
    [InlineData("dJ/da autograd")]
    [InlineData("dJ/dw ConvRef")]
    [InlineData("dJ/dw autograd")]
    [InlineData("dJ/db ConvRef")]
    [InlineData("δ^(l-1) ConvRef")]
    [InlineData("δ^(l-1) autograd")]
    [InlineData("difference")]
    public void HtmlPage_DrawsEachTensorKind(string label)
    {
        var titles = ParseXml(ExplainFixture.Html).Descendants("svg").Select(s => s.Element("title")!.Value);
        Assert.Contains(label, titles);
    }

    [Theory]
    [MemberData(nameof(Topics))]
    public void HtmlPage_IsSelfContained(string topic)
    {
        string html = ExplainFixture.HtmlOf(topic);
        var doc = ParseXml(html);
        Assert.DoesNotContain("://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(doc.Descendants(), e => e.Name.LocalName is "script" or "link" or "img" or "iframe" or "object" or "embed");
        Assert.DoesNotContain(doc.Descendants().Attributes(), a => a.Name.LocalName is "src" or "href");
    }

    [Theory]
    [MemberData(nameof(Topics))]
    public void Markdown_HasOneSectionPerStepAndFencedMatrices(string topic)
    {
        var page = ExplainFixture.Page(topic);
        int steps = page.Parts.Sum(p => p.Steps.Count);
        var lines = ExplainFixture.MarkdownOf(topic).Split('\n');
        Assert.Equal(steps, lines.Count(l => l.StartsWith("### ", StringComparison.Ordinal)));
        Assert.Equal(page.Parts.Count, lines.Count(l => l.StartsWith("## Part ", StringComparison.Ordinal)));
        Assert.True(lines.Count(l => l == "```text") == lines.Count(l => l == "```"), "every code fence is closed");
    }

    [Theory]
    [MemberData(nameof(Topics))]
    public void TerminalRendering_DrawsGridsAndTheVerdict(string topic)
    {
        var page = ExplainFixture.Page(topic);
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 160;
        TerminalRenderer.Write(page, console);
        string text = writer.ToString();
        Assert.Contains(Headline.Title(page), text, StringComparison.Ordinal);
        Assert.All(page.CitedEquations, e => Assert.Contains($"Eq {e}", text, StringComparison.Ordinal));
        Assert.Contains(page.Parts[^1].Steps[^1].Rows[^1].Matrices[0].Label, text, StringComparison.Ordinal);
        Assert.Contains("╭", text, StringComparison.Ordinal);
        Assert.Contains(TextLayout.Verdict(page), text, StringComparison.Ordinal);
    }

    private static XDocument ParseXml(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }
}

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

    [Fact]
    public void IntegerExamples_AgreeExactlyEverywhere()
    {
        var checks = ExplainFixture.Walkthrough.Checks.ToArray();
        Assert.True(checks.Length >= 20);
        Assert.All(checks, c => Assert.True(c.MaxAbsDifference == 0 && c.Bound == 0, c.Quantity));
    }

    [Theory]
    [InlineData(ExplainCommand.DefaultSeed)]
    [InlineData(99UL)]
    [InlineData(ulong.MaxValue)]
    public void RedirectedOutput_FitsOneHundredColumnsWithoutEscapeCodes(ulong seed)
    {
        var lines = seed == ExplainCommand.DefaultSeed ? ExplainFixture.PlainLines
            : PlainTextRenderer.Lines(WalkthroughBuilder.Build(ExampleChoice.All, seed, new TorchOracle())).ToArray();
        Assert.All(lines, l => Assert.True(l.Length <= TextLayout.Width, $"{l.Length} columns: {l}"));
        Assert.DoesNotContain(lines, l => l.Contains('\u001b', StringComparison.Ordinal));
    }

    [Fact]
    public void HtmlPage_IsWellFormedWithOneLabelledSvgHeatmapPerMatrix()
    {
        var doc = ParseXml(ExplainFixture.Html);
        var svgs = doc.Descendants("svg").ToArray();
        var matrices = ExplainFixture.Walkthrough.Parts.SelectMany(p => p.Steps).SelectMany(s => s.Rows).SelectMany(r => r.Matrices).ToArray();
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

    [Fact]
    public void HtmlPage_IsSelfContained()
    {
        string html = ExplainFixture.Html;
        var doc = ParseXml(html);
        Assert.DoesNotContain("://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(doc.Descendants(), e => e.Name.LocalName is "script" or "link" or "img" or "iframe" or "object" or "embed");
        Assert.DoesNotContain(doc.Descendants().Attributes(), a => a.Name.LocalName is "src" or "href");
    }

    [Fact]
    public void Markdown_HasOneSectionPerStepAndFencedMatrices()
    {
        int steps = ExplainFixture.Walkthrough.Parts.Sum(p => p.Steps.Count);
        var lines = ExplainFixture.Markdown.Split('\n');
        Assert.Equal(steps, lines.Count(l => l.StartsWith("### ", StringComparison.Ordinal)));
        Assert.Equal(ExplainFixture.Walkthrough.Parts.Count, lines.Count(l => l.StartsWith("## Part ", StringComparison.Ordinal)));
        Assert.True(lines.Count(l => l == "```text") == lines.Count(l => l == "```"), "every code fence is closed");
    }

    [Fact]
    public void TerminalRendering_DrawsGridsAndTheVerdict()
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 160;
        TerminalRenderer.Write(ExplainFixture.Walkthrough, console);
        string text = writer.ToString();
        Assert.Contains("Eq 9", text, StringComparison.Ordinal);
        Assert.Contains("Rot180(w)", text, StringComparison.Ordinal);
        Assert.Contains("╭", text, StringComparison.Ordinal);
        Assert.Contains(TextLayout.Verdict(ExplainFixture.Walkthrough), text, StringComparison.Ordinal);
    }

    private static XDocument ParseXml(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }
}

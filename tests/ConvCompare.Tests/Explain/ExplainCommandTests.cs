using ConvCompare.Cases;
using ConvCompare.Cli;
using ConvCompare.Explain.Examples;
using ConvCompare.Oracles;
using ConvCompare.Runner;
using ConvRef;

namespace ConvCompare.Tests.Explain;

public class ExplainCommandTests
{
    [Fact]
    public void IntegerExamples_ExitWithZero()
    {
        var output = new StringWriter();
        int code = ExplainCommand.Run(Settings(), output, new StringWriter(), new TorchOracle());
        Assert.Equal(0, code);
        Assert.DoesNotContain("FAIL", output.ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string> PlantedErrors => ["y", "dx", "dw", "db"];

    /// <summary>An oracle that is off by one in a single element must turn the verdict and the exit code.</summary>
    [Theory]
    [MemberData(nameof(PlantedErrors))]
    public void PlantedAutogradError_IsCaughtAndExitsWithOne(string tensor)
    {
        var wrong = new PlantedError((config, outputs) =>
        {
            var target = tensor switch { "y" => outputs.Y, "dx" => outputs.InputGradient, "dw" => outputs.Dw, _ => outputs.Db };
            if (target is not null)
                target.Data[^1] += 1;
        });
        var output = new StringWriter();
        int code = ExplainCommand.Run(Settings(), output, new StringWriter(), wrong);
        Assert.Equal(1, code);
        Assert.Contains("FAIL", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void GradientInUncoveredRow_IsCaught()
    {
        var wrong = new PlantedError((config, outputs) =>
        {
            if (config.Geometry.StrideH == 2)
                outputs.InputGradient[0, 0, 5, 0] = 1;
        });
        var walkthrough = WalkthroughBuilder.Build(ExampleChoice.Stride, 1, wrong);
        Assert.Contains(walkthrough.Checks, c => !c.Passed && c.Quantity.Contains("under no window", StringComparison.Ordinal));
    }

    /// <summary>TorchSharp autograd with one planted change to its outputs.</summary>
    private sealed class PlantedError(Action<CaseConfig, CaseOutputs> plant) : ILayerEngine
    {
        private readonly TorchOracle _torch = new();

        public string Name => "planted";

        public CaseOutputs Compute(CaseConfig config, CaseInputs inputs, CaseDtype dtype)
        {
            var outputs = _torch.Compute(config, inputs, dtype);
            plant(config, outputs);
            return outputs;
        }
    }

    [Fact]
    public void HtmlAndMarkdownFiles_AreWritten()
    {
        string dir = Directory.CreateTempSubdirectory("explain").FullName;
        try
        {
            string html = Path.Combine(dir, "e.html"), md = Path.Combine(dir, "e.md");
            int code = ExplainCommand.Run(Settings() with { Example = ExampleChoice.Single, HtmlPath = html, MarkdownPath = md },
                new StringWriter(), new StringWriter(), new TorchOracle());
            Assert.Equal(0, code);
            Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(html), StringComparison.Ordinal);
            Assert.StartsWith("# ", File.ReadAllText(md), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void UnwritableHtmlPath_ExitsWithTwoAndNamesTheOption()
    {
        var error = new StringWriter();
        string path = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "e.html");
        int code = ExplainCommand.Run(Settings() with { HtmlPath = path }, new StringWriter(), error, new TorchOracle());
        Assert.Equal(2, code);
        Assert.StartsWith("convcompare: --html ", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("does not exist", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--example", "bogus")]
    [InlineData("--seed", "-1")]
    [InlineData("--topic", "bogus")]
    public void BadArgument_ExitsWithTwo(string option, string value)
    {
        Assert.Equal(2, CommandLine.Run(["explain", option, value]));
    }

    [Theory]
    [InlineData("transposed")]
    [InlineData("reflect")]
    [InlineData("second-order")]
    public void TopicPage_ExitsWithZeroAndWritesHtmlAndMarkdown(string topic)
    {
        string dir = Directory.CreateTempSubdirectory("explain").FullName;
        try
        {
            string html = Path.Combine(dir, "e.html"), md = Path.Combine(dir, "e.md");
            var output = new StringWriter();
            int code = ExplainCommand.Run(Settings() with { Topic = ExplainCommand.Topics[topic], HtmlPath = html, MarkdownPath = md },
                output, new StringWriter(), new TorchOracle());
            Assert.Equal(0, code);
            Assert.DoesNotContain("FAIL", output.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("Eq 1 to Eq 9", output.ToString(), StringComparison.Ordinal);
            Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(html), StringComparison.Ordinal);
            Assert.StartsWith("# ", File.ReadAllText(md), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("transposed")]
    [InlineData("reflect")]
    [InlineData("second-order")]
    public void PlantedAutogradErrorOnATopicPage_IsCaughtAndExitsWithOne(string topic)
    {
        var planted = new PlantedFamilyAutograd
        {
            FirstOrder = (_, r) => r with { InputGradient = PlantedFamilyAutograd.OffByOne(r.InputGradient) },
            SecondOrder = r => PlantedFamilyAutograd.OffByOne(r.Input),
        };
        var output = new StringWriter();
        int code = ExplainCommand.Run(Settings() with { Topic = ExplainCommand.Topics[topic] }, output, new StringWriter(), new TorchOracle(), planted);
        Assert.Equal(1, code);
        Assert.Contains("FAIL", output.ToString(), StringComparison.Ordinal);
    }

    private static ExplainCommand.Settings Settings() => new(ExampleChoice.All, ExplainCommand.DefaultSeed, null, null, Plain: true);
}

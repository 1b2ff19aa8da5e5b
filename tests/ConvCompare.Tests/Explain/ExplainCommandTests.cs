using ConvCompare.Cli;
using ConvCompare.Explain.Examples;
using ConvRef;

namespace ConvCompare.Tests.Explain;

public class ExplainCommandTests
{
    [Fact]
    public void IntegerExamples_ExitWithZero()
    {
        var output = new StringWriter();
        int code = ExplainCommand.Run(Settings(), output, new StringWriter(), TorchAutograd.Compute);
        Assert.Equal(0, code);
        Assert.DoesNotContain("FAIL", output.ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string> PlantedErrors => ["output", "input", "weights", "bias"];

    /// <summary>An oracle that is off by one in a single element must turn the verdict and the exit code.</summary>
    [Theory]
    [MemberData(nameof(PlantedErrors))]
    public void PlantedAutogradError_IsCaughtAndExitsWithOne(string where)
    {
        AutogradResult Wrong(AutogradProblem problem)
        {
            var r = TorchAutograd.Compute(problem);
            var target = where switch
            {
                "output" => r.Output,
                "input" => r.InputGradient,
                "weights" => r.WeightGradient,
                _ => r.BiasGradient,
            };
            if (target is not null)
                target.Data[^1] += 1;
            return r;
        }
        var output = new StringWriter();
        int code = ExplainCommand.Run(Settings(), output, new StringWriter(), Wrong);
        Assert.Equal(1, code);
        Assert.Contains("FAIL", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void GradientInUncoveredRow_IsCaught()
    {
        AutogradResult Wrong(AutogradProblem problem)
        {
            var r = TorchAutograd.Compute(problem);
            if (problem.Stride == 2)
                r.InputGradient[0, 0, 5, 0] = 1;
            return r;
        }
        var walkthrough = WalkthroughBuilder.Build(ExampleChoice.Stride, 1, Wrong);
        Assert.Contains(walkthrough.Checks, c => !c.Passed && c.Quantity.Contains("under no window", StringComparison.Ordinal));
    }

    [Fact]
    public void HtmlAndMarkdownFiles_AreWritten()
    {
        string dir = Directory.CreateTempSubdirectory("explain").FullName;
        try
        {
            string html = Path.Combine(dir, "e.html"), md = Path.Combine(dir, "e.md");
            int code = ExplainCommand.Run(Settings() with { Example = ExampleChoice.Single, HtmlPath = html, MarkdownPath = md },
                new StringWriter(), new StringWriter(), TorchAutograd.Compute);
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
        int code = ExplainCommand.Run(Settings() with { HtmlPath = path }, new StringWriter(), error, TorchAutograd.Compute);
        Assert.Equal(2, code);
        Assert.StartsWith("--html: cannot write", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--example", "bogus")]
    [InlineData("--seed", "-1")]
    public void BadArgument_ExitsWithTwo(string option, string value)
    {
        Assert.Equal(2, CommandLine.Run(["explain", option, value]));
    }

    private static ExplainCommand.Settings Settings() => new(ExampleChoice.All, 1, null, null, Plain: true);
}

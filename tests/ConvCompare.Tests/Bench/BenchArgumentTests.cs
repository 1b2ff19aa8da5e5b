using ConvCompare.Cli;
using ConvCompare.Tests.Harness;

namespace ConvCompare.Tests.Bench;

/// <summary>The bench's shape names and scaling options: bad values are refused in one sentence before anything is measured.</summary>
[Collection(nameof(ConsoleCollection))]
public class BenchArgumentTests
{
    [Theory]
    [InlineData("bench --shapes resnet50", "unknown shape 'resnet50'")]
    [InlineData("bench --shapes r18.conv9", "or a layer name such as r18.conv1")]
    [InlineData("bench --shapes S1,mv2.dw7", "unknown shape 'mv2.dw7'")]
    [InlineData("bench --details", "--details needs --scaling")]
    [InlineData("bench --quick --details", "--details needs --scaling")]
    [InlineData("bench --scaling yes", "yes")]
    public void BadBenchArguments_GiveOneSentenceAndExitCode2(string args, string mentioned)
    {
        var (code, stdout, stderr) = CommandLineTests.Invoke(args);

        Assert.Equal(ExitCodes.BadArguments, code);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(mentioned, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    [Theory]
    [InlineData("bench --shapes resnet18,mobilenetv2,S1 --scaling --details")]
    [InlineData("bench --quick --shapes mv2.dw960")]
    [InlineData("bench --shapes r18.l2.down,S4 --dtype f64")]
    public void ScalingAndDetailsOptions_AreKnownToTheParser(string args)
    {
        Assert.Empty(CommandLine.Root().Parse(args.Split(' ')).Errors);
    }
}

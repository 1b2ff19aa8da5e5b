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
    [InlineData("bench --profile fwd --profile-threads 0", "--profile-threads must be >= 1")]
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

    [Theory]
    [InlineData("fwd")]
    [InlineData("bwd")]
    [InlineData("fwdbwd")]
    public void ProfileDriver_RunsOnlyTheVectorizedPass_AndSaysWhatItRan(string pass)
    {
        var (code, stdout, stderr) = CommandLineTests.Invoke($"bench --profile {pass} --shapes S1 --dtype both --repeat 2 --profile-threads 2");

        Assert.Equal(ExitCodes.Passed, code);
        Assert.Equal("", stdout);
        Assert.Equal(
            [$"profiled S1 f32 {pass}: 2 calls after 3 warm-up, 2 thread(s)", $"profiled S1 f64 {pass}: 2 calls after 3 warm-up, 2 thread(s)"],
            stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line[..line.LastIndexOf(',')]));
    }
}

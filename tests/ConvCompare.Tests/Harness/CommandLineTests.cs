using ConvCompare.Cli;
using ConvCompare.Tests.Cli;

namespace ConvCompare.Tests.Harness;

[Collection(nameof(ConsoleCollection))]
public class CommandLineTests
{
    [Theory]
    [InlineData("run --cases 0", "--cases 0 must be between")]
    [InlineData("run --cases many", "many")]
    [InlineData("run --seed -1", "-1")]
    [InlineData("run --shard 3/2", "--shard '3/2' must be i/n")]
    [InlineData("run --dtype f16", "f16")]
    [InlineData("run --impl gpu", "gpu")]
    [InlineData("run --threads 0", "--threads 0 must be at least 1")]
    [InlineData("check n1c2h4w4-o2k2x2-s1x1-p0,1,0,1-d1x1-g1-f32-tanh-v3 --threads -2", "--threads -2 must be at least 1")]
    [InlineData("run --bogus", "--bogus")]
    [InlineData("run --json /no/such/dir/r.json", "does not exist")]
    [InlineData("check", "check")]
    [InlineData("check n1c1h2w2-o1k5x1-s1x1-p0,0,0,0-d1x1-g1-f64-v1", "exceeds the padded input height")]
    [InlineData("check not-an-id", "does not match")]
    [InlineData("frobnicate", "frobnicate")]
    [InlineData("bench --shapes S9", "unknown shape 'S9'")]
    [InlineData("bench --impl gpu", "not registered ('gpu'); registered: serial, vectorized, torch (the oracle) (or all)")]
    [InlineData("bench --repeat 0", "--repeat must be >= 1")]
    [InlineData("bench --dtype f16", "f16")]
    public void BadArguments_GiveOneLineOnStderrAndExitCode2(string args, string mentioned)
    {
        var (code, stdout, stderr) = Invoke(args);
        Assert.Equal(ExitCodes.BadArguments, code);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(mentioned, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void CheckOfAPassingCase_PrintsEveryMetricAndExits0()
    {
        var (code, stdout, _) = Invoke("check n1c2h4w4-o2k2x2-s1x1-p0,1,0,1-d1x1-g1-f32-tanh-v3");
        Assert.Equal(ExitCodes.Passed, code);
        foreach (var expected in new[] { "y  vs torch", "dx vs torch", "dw vs torch", "db vs torch", "max_abs", "max_rel", "bound_ratio", "assert_close", "gradcheck (full", "[serial]", "[vectorized]", "[torch, the oracle]", "ConvRef serial: pass", "ConvRef vectorized: pass", "TorchSharp: " })
            Assert.Contains(expected, stdout, StringComparison.Ordinal);
    }

    internal static (int Code, string Stdout, string Stderr) Invoke(string args) => ProgramRun.Invoke(args.Split(' '));
}

/// <summary>Tests that redirect the process-wide console run one at a time.</summary>
[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

using ConvCompare.Cli;
using ConvCompare.Tests.Cli;

namespace ConvCompare.Tests.Harness.Family;

/// <summary><c>check</c> reruns a family case from its id, and <c>run --op</c> sweeps one operation; bad family input is one sentence.</summary>
[Collection(nameof(ConsoleCollection))]
public class FamilyCommandTests
{
    [Fact]
    public void CheckOfAFamilyId_RerunsThatCaseAndPasses()
    {
        const string id = "conv_transpose1d-n2c2w4-o4k3-s2-p1,1-op1-d1-g2-f64-v48";
        var (code, stdout, stderr) = ProgramRun.Invoke("check", id);
        Assert.True(code == ExitCodes.Passed, stderr + stdout);
        Assert.Contains(id, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckOfAFamilyIdBreakingARule_IsABadArgumentInOneSentence()
    {
        var (code, _, stderr) = ProgramRun.Invoke("check", "conv1d-n1c2w4-o2k3-s2-psame-d1-g1-f32-v1");
        Assert.Equal(ExitCodes.BadArguments, code);
        Assert.Contains("padding 'same' needs stride 1", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void RunWithOp_SweepsThatOperationAloneAndListsItInTheCoverageLine()
    {
        var (code, stdout, stderr) = ProgramRun.Invoke("run", "--op", "conv3d", "--cases", "4", "--dtype", "f64");
        Assert.True(code == ExitCodes.Passed, stderr + stdout);
        Assert.Contains("4 cases of conv3d", stdout, StringComparison.Ordinal);
        Assert.Contains("conv3d 4, conv_transpose1d 0", stdout, StringComparison.Ordinal);
        Assert.Contains("padding zeros 1, padding reflect 1, padding replicate 1, padding circular 1", stdout, StringComparison.Ordinal);
    }
}

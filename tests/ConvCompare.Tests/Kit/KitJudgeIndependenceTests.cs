using ConvCompare.Kit;
using ConvCompare.Tests.Harness;

namespace ConvCompare.Tests.Kit;

/// <summary>
/// judge holds outputs to the independent yardstick alone: the IL of <see cref="KitJudge"/> and of
/// everything it calls in the harness, scanned as <see cref="JudgeIndependenceTests"/> scans the judging
/// path, reaches no ConvRef compute code and nothing of TorchSharp, with two known exceptions, each
/// listed exactly so that anything new fails.
/// </summary>
public class KitJudgeIndependenceTests
{
    /// <summary>
    /// The optional --torch note runs an engine (TorchSharp) and never decides a verdict; the cost check
    /// shared with the other commands reads ConvRef's largest buffer, a constant that matters only when
    /// the serial algorithm is asked for, which judge never does.
    /// </summary>
    private static readonly string[] Known =
    [
        "ConvCompare.Kit.KitJudge::TorchAgainst uses ConvCompare.Runner.ILayerEngine::Compute (abstract: the code it runs is unknown)",
        "ConvCompare.Limits.CaseCost::Unrunnable uses ConvRef.Conv2dLimits",
        "ConvCompare.Limits.CaseCost::Unrunnable uses ConvRef.Conv2dLimits::get_Default",
        "ConvCompare.Limits.CaseCost::Unrunnable uses ConvRef.Conv2dLimits::get_MaxTensorBytes",
    ];

    [Fact]
    public void KitJudge_ReachesNoConvRefComputeCodeAndTorchSharpOnlyThroughTheOptionalNote()
    {
        var violations = JudgeIndependenceTests.Violations([JudgeIndependenceTests.Type(typeof(KitJudge))]);

        Assert.Equal(Known, violations);
    }

    [Fact]
    public void TheScan_SeesTheTorchSharpOracleWhereJudgeCreatesIt()
    {
        var violations = JudgeIndependenceTests.Violations([JudgeIndependenceTests.Type(typeof(global::ConvCompare.Cli.JudgeCommand))]);

        Assert.Contains(violations, v => v.Contains("TorchSharp", StringComparison.Ordinal));
    }
}

using ConvCompare.Cases;
using ConvCompare.GradCheck;
using ConvCompare.Runner;
using global::ConvRef;

namespace ConvCompare.Tests.Harness;

public class GradientCheckTests
{
    private static readonly ConvRefEngine Engine = new(Conv2dAlgorithm.Vectorized);

    public static TheoryData<string, string, string> Plantings()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var id in new[] { "n2c2h5w5-o3k3x3-s1x1-p1,1,1,1-d1x1-g1-f64-v42", "n1c2h6w5-o2k3x2-s2x1-p1,0,0,1-d1x1-g1-f64-tanh-v7" })
            foreach (var mode in new[] { "full", "fast" })
                foreach (var tensor in new[] { "dx", "dw", "db" })
                    data.Add(id, mode, tensor);
        return data;
    }

    [Theory]
    [MemberData(nameof(Plantings))]
    public void ChangeOfOneMillionthOfMaxGradInOneElement_IsCaught(string id, string modeName, string tensor)
    {
        var mode = modeName == "full" ? GradCheckMode.Full : GradCheckMode.Fast;
        var kind = TensorKinds.All.Single(k => k.Name() == tensor);
        Assert.True(CaseId.TryParse(id, out var config, out string error), error);
        var inputs = CaseInputs.Create(config);
        var analytic = Engine.Compute(config, inputs, CaseDtype.F64);
        var planted = new PlantedEngine(Engine, kind, 1, 1e-6).Compute(config, inputs, CaseDtype.F64);

        var results = GradientCheck.Run(config, inputs, null, mode, GradientCheck.DefaultDirections, [("right", analytic), ("planted", planted)]);

        Assert.True(results[0].Pass, $"correct gradients failed: {results[0]}");
        Assert.False(results[1].Pass, $"planted error not caught: {results[1]}");
        Assert.Equal(mode, results[1].Mode);
    }

    [Theory]
    [MemberData(nameof(Plantings))]
    public void PlantedGradients_AreJudgedWithTheSameProbeAndToleranceAsCorrectOnes(string id, string modeName, string tensor)
    {
        // A wrong gradient cannot widen its own tolerance: every tolerance comes from the case alone.
        var mode = modeName == "full" ? GradCheckMode.Full : GradCheckMode.Fast;
        var kind = TensorKinds.All.Single(k => k.Name() == tensor);
        Assert.True(CaseId.TryParse(id, out var config, out string error), error);
        var inputs = CaseInputs.Create(config);
        var side = GradientCheck.Measure(config, inputs, null, mode, GradientCheck.DefaultDirections);
        var planted = new PlantedEngine(Engine, kind, 1, 1e-3).Compute(config, inputs, CaseDtype.F64);

        var result = side.Judge("planted", planted);

        Assert.False(result.Pass);
        var probe = side.Probes.Single(p => p.Label == result.Worst);
        Assert.Equal(BitConverter.DoubleToInt64Bits(probe.Tolerance), BitConverter.DoubleToInt64Bits(result.Tolerance));
        Assert.Equal(BitConverter.DoubleToInt64Bits(probe.Error(planted[kind]!.Data)), BitConverter.DoubleToInt64Bits(result.MaxError));
        Assert.Equal(side.Probes.Select(p => p.Tolerance),
            GradientCheck.Measure(config, inputs, null, mode, GradientCheck.DefaultDirections).Probes.Select(p => p.Tolerance));
    }

    [Theory]
    [InlineData("n1c2h4w4-o2k2x2-s1x1-p0,0,0,0-d1x1-g1-f64-v1", "full")]
    [InlineData("n2c8h16w16-o8k3x3-s1x1-p1,1,1,1-d1x1-g1-f64-v1", "fast")]
    public void SmallCasesAreCheckedElementByElement_LargerOnesByProjections(string id, string mode)
    {
        Assert.True(CaseId.TryParse(id, out var config, out _));
        Assert.Equal(mode == "full" ? GradCheckMode.Full : GradCheckMode.Fast, GradientCheck.ChooseMode(config));
    }

    [Fact]
    public void ToleranceOfASmallCase_IsFarBelowTheSensitivityTheIssueAsksFor()
    {
        Assert.True(CaseId.TryParse("n2c2h5w5-o3k3x3-s1x1-p1,1,1,1-d1x1-g1-f64-v42", out var config, out _));
        var inputs = CaseInputs.Create(config);
        var analytic = Engine.Compute(config, inputs, CaseDtype.F64);
        double maxGrad = analytic.Dw.Data.Max(Math.Abs);
        var result = GradientCheck.Run(config, inputs, null, GradCheckMode.Full, 0, [("right", analytic)])[0];
        Assert.True(result.Tolerance < 1e-3 * 1e-6 * maxGrad, $"tolerance {result.Tolerance} vs max|grad| {maxGrad}");
    }
}

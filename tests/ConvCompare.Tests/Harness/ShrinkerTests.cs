using ConvCompare.Cases;
using ConvCompare.Oracles;
using ConvCompare.Runner;
using global::ConvRef;
using TorchSharp;

namespace ConvCompare.Tests.Harness;

public class ShrinkerTests
{
    private const string Big = "n4c6h9w7-o4k3x2-s2x1-p1,0,2,1-d1x2-g2-f64-relu-clip0.5-v1234";

    private static CaseConfig Parse(string id)
    {
        Assert.True(CaseId.TryParse(id, out var config, out string error), error);
        return config;
    }

    [Fact]
    public void FailureNeedingThreeChannelsAndATallKernel_ShrinksToTheSmallestSuchLayer()
    {
        var smallest = Shrinker.Shrink(Parse(Big), c => c.Shape.Cin >= 3 && c.Shape.KH >= 2);
        Assert.Equal("n1c3h2w1-o1k2x1-s1x1-p0,0,0,0-d1x1-g1-f64-nb-v1234", CaseId.Format(smallest));
    }

    [Fact]
    public void EveryCandidate_IsValidAndDifferent()
    {
        var big = Parse(Big);
        var candidates = Shrinker.Candidates(big).ToList();
        Assert.NotEmpty(candidates);
        Assert.All(candidates, c => Assert.Null(c.Problem));
        Assert.DoesNotContain(big, candidates);
        Assert.Empty(Shrinker.Candidates(Parse("n1c1h1w1-o1k1x1-s1x1-p0,0,0,0-d1x1-g1-f64-nb-v1")));
    }

    [Fact]
    public void PlantedConvRefFailure_InASweep_IsReportedWithItsShrunkId()
    {
        using var scope = torch.NewDisposeScope();
        var planted = new PlantedEngine(new ConvRefEngine(Conv2dAlgorithm.Vectorized), TensorKind.Y, 0, 1e-3, (c, _) => c.Shape.Cin >= 3 && c.Shape.KH >= 2);
        var runner = new CaseRunner([planted], new TorchOracle());
        var failing = Parse(Big);

        var result = Assert.Single(runner.Run(failing), r => !r.IsOracle);
        Assert.False(result.Pass);
        var smallest = Shrinker.Shrink(failing, c => runner.Run(c).Any(r => !r.IsOracle && !r.Pass));

        Assert.Equal("n1c3h2w1-o1k2x1-s1x1-p0,0,0,0-d1x1-g1-f64-nb-v1234", CaseId.Format(smallest));
    }
}

using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef;

/// <summary>The agreement checks can fail: planted errors just beyond the bound are caught.</summary>
public class AgreementTolerancesTests
{
    [Fact]
    public void ErrorJustBeyondTheBound_IsCaught()
    {
        var c = ConvCase.Random(5);
        var run = Conv2dRun.Of<float>(c, Conv2dAlgorithm.Serial);
        var bounds = AgreementTolerances.For<float>(c);
        Assert.Null(AgreementTolerances.Violation(run.Weights, run.Weights, bounds.Weights));
        int i = Array.IndexOf(bounds.Weights, bounds.Weights.Max());
        double[] planted = [.. run.Weights];
        planted[i] += 1.01 * bounds.Weights[i];
        Assert.Equal(i, AgreementTolerances.Violation(run.Weights, planted, bounds.Weights));
    }

    [Fact]
    public void OneWeightOffByOnePartInAThousand_IsCaughtInTheOutput()
    {
        var c = ConvCase.Random(6);
        double[] weights = [.. c.Weights];
        weights[0] *= 1.001;
        var expected = Conv2dRun.Of<float>(c, Conv2dAlgorithm.Serial);
        var planted = Conv2dRun.Of<float>(c with { Weights = weights }, Conv2dAlgorithm.Vectorized);
        Assert.NotNull(AgreementTolerances.Violation(expected.Z, planted.Z, AgreementTolerances.For<float>(c).Z));
    }
}

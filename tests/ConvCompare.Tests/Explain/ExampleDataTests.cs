using ConvCompare.Explain.Examples;

namespace ConvCompare.Tests.Explain;

public class ExampleDataTests
{
    /// <summary>SplitMix64 is fully specified, so seed 1's first draws are fixed forever and on every machine.</summary>
    [Fact]
    public void SeedOne_DrawsTheSameDeltaOnEveryMachine()
    {
        Assert.Equal(new double[,] { { -1, -3 }, { -2, -3 } }, new IntegerSource(1).Matrix(2, 2, -3, 3));
    }

    [Fact]
    public void SkipZero_NeverDrawsZero()
    {
        var m = new IntegerSource(5).Matrix(20, 20, -1, 1, skipZero: true);
        Assert.DoesNotContain(0.0, m.Cast<double>());
        Assert.Contains(-1.0, m.Cast<double>());
        Assert.Contains(1.0, m.Cast<double>());
    }

    [Fact]
    public void SmallIntegers_AllowNoDifference()
    {
        Assert.Equal(0, RoundingBound.For([3, -2, 1], [2, 2, -1], terms: 12));
    }

    /// <summary>Non-integers round, so two summation orders may differ: the bound is 2 γ_K K max|x| max|y| with u = 2^-53.</summary>
    [Fact]
    public void NonIntegers_AllowTwiceGammaKTimesTheLargestSum()
    {
        const int K = 4;
        double u = Math.Pow(2, -53), gamma = K * u / (1 - K * u);
        Assert.Equal(2 * gamma * K * 0.5 * 3, RoundingBound.For([0.5, -0.25], [3, 1], K));
    }

    [Fact]
    public void IntegersBeyondTwoToThe53_AreNotTreatedAsExact()
    {
        Assert.True(RoundingBound.For([1L << 40], [1L << 20], terms: 2) > 0);
    }
}

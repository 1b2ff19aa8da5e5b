using ConvCompare.Explain.Examples;

namespace ConvCompare.Tests.Explain;

public class ExampleDataTests
{
    /// <summary>SplitMix64 is fully specified, so seed 1's first draws are fixed forever and on every machine.</summary>
    [Fact]
    public void SeedOne_DrawsTheSameDeltaOnEveryMachine()
    {
        Assert.Equal(new double[,] { { 0, 2 }, { 3, 0 } }, new IntegerSource(1).Matrix(2, 2, -3, 3));
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
        Assert.Equal(0, ExactIntegers.Bound([3, -2, 1], [2, 2, -1], terms: 12));
    }

    [Fact]
    public void NonIntegers_AreRefusedBecauseZeroWouldNotBeAValidBound()
    {
        Assert.Throws<InvalidOperationException>(() => ExactIntegers.Bound([0.5, -0.25], [3, 1], terms: 4));
    }

    [Fact]
    public void IntegersWhoseSumsExceedTwoToThe53_AreRefused()
    {
        Assert.Throws<InvalidOperationException>(() => ExactIntegers.Bound([1L << 40], [1L << 20], terms: 2 << 10));
        Assert.Equal(0, ExactIntegers.Bound([1L << 40], [1L << 10], terms: 2));
    }
}

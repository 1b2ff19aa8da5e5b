using ConvCompare.Explain.Examples;
using ConvCompare.Explain.Model;

namespace ConvCompare.Tests.Explain;

public class ComparisonsTests
{
    private static WrittenSum Sum(double value) => new("x", [new SumTerm([new Factor("v", value)])]);

    /// <summary>Enumerable.Max skips NaN, so a NaN next to a matching value must still fail the check.</summary>
    [Fact]
    public void WrittenSums_WithOneNaNFromConvRef_Fails() =>
        Assert.False(Comparisons.WrittenSums("x", [Sum(1), Sum(2)], [double.NaN, 2], bound: 0).Passed);

    [Fact]
    public void WrittenSums_EqualToConvRef_Pass() =>
        Assert.True(Comparisons.WrittenSums("x", [Sum(1), Sum(2)], [1, 2], bound: 0).Passed);
}

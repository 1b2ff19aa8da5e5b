using ConvCompare.Implementations;

namespace PlainConv.Tests;

/// <summary>The same layer with one planted bug (the last output column left out of dL/dw): the harness names the tensor and the case.</summary>
public class PlantedBugTests
{
    /// <summary>A 1x1x5x5 input, a 2x2 kernel, stride 1, no padding, float64: every output column feeds dw.</summary>
    private const string Case = "n1c1h5w5-o1k2x2-s1x1-p0,0,0,0-d1x1-g1-f64-v7";

    [Fact]
    public void PlantedBug_FailsNamingTheWeightGradientTheCaseAndTheBoundRatio()
    {
        var buggy = new PlainConv2dImplementation("plain-bug", plantedBug: true);

        var failure = Assert.Throws<ConformanceException>(() => Conformance.Assert(buggy, Case));

        Assert.Equal("dw", failure.Tensor);
        Assert.Equal(Case, failure.CaseId);
        Assert.StartsWith("dw[", failure.Element, StringComparison.Ordinal);
        Assert.True(failure.BoundRatio > 1, $"bound ratio {failure.BoundRatio}");
        Assert.Contains($"conv2d 'plain-bug' fails case {Case} (shrunk: ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("dw: ", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutThePlantedBug_TheSameCasePasses() =>
        Conformance.Assert(new PlainConv2dImplementation(), Case);
}

using ConvCompare.Bench;

namespace ConvCompare.Tests.Bench;

public class BenchArithmeticTests
{
    [Fact]
    public void ForwardFlops_CountOneMultiplyAndOneAddPerTapAndOutput()
    {
        // S4: 16 x 32 x 32x32 -> 64, 3x3, stride 2, pad 1: output 16x16.
        var s4 = BenchShape.All.Single(s => s.Name == "S4");
        Assert.Equal(16, s4.OutHeight);
        Assert.Equal(16, s4.OutWidth);
        Assert.Equal(2.0 * 16 * 64 * 16 * 16 * 32 * 3 * 3, s4.ForwardFlops);
        Assert.Equal(2.0 * 2 * 16 * 64 * 16 * 16 * 32 * 3 * 3, s4.BackwardFlops);
        Assert.Equal(3 * s4.ForwardFlops, s4.ForwardBackwardFlops);
        Assert.Equal(s4.ForwardBackwardFlops, s4.Flops(BenchPass.FwdBwd));
    }

    [Fact]
    public void Ratios_CompareWithTorchSharpInTheSameRunOnly()
    {
        BenchMeasurement M(string impl, string variant, double ms) =>
            new("S1", "f32", impl, variant, BenchPass.FwdBwd, ms, ms, ms, 1, 1);
        var results = BenchRunner.WithRatios([M("torch", "as-is", 4), M("torch", "tuned", 1), M("vectorized", "as-is", 2), M("vectorized", "tuned", 2)]);

        Assert.Equal(0.5, results.Single(m => m.Impl == "vectorized" && m.Variant == "as-is").RatioToTorch);
        Assert.Equal(2.0, results.Single(m => m.Impl == "vectorized" && m.Variant == "tuned").RatioToTorch);
    }

    [Fact]
    public void BestRuns_ReadEachSideAtItsOwnFastestRun()
    {
        BenchMeasurement M(string impl, string variant, double ms) =>
            new("S1", "f32", impl, variant, BenchPass.FwdBwd, ms, ms, ms, 1, 1);
        var best = BenchRunner.BestRuns([M("torch", "as-is", 4), M("torch", "tuned", 1), M("vectorized", "as-is", 0.75), M("vectorized", "tuned", 2)]);

        var vectorized = best.Single(m => m.Impl == "vectorized");
        Assert.Equal(("as-is", 0.75), (vectorized.Variant, vectorized.RatioToTorch));
        Assert.Equal(("tuned", 1.0), (best.Single(m => m.Impl == "torch").Variant, best.Single(m => m.Impl == "torch").RatioToTorch));
    }
}

using System.Runtime.Intrinsics;
using ConvCompare.Bench;

namespace ConvCompare.Tests.Bench;

/// <summary>The arithmetic of percent-of-peak and parallel efficiency; no timing is asserted.</summary>
public class EfficiencyTests
{
    [Fact]
    public void PeakRate_CountsTwoOperationsPerLanePerAccumulatorPerIteration()
    {
        // 2 threads x 1e6 iterations x 12 accumulators x 16 lanes x 2 operations in 1 ms.
        Assert.Equal(2.0 * 1e6 * 12 * 16 * 2 / 1e-3 / 1e9, FmaPeak.Gflops(threads: 2, iterations: 1_000_000, lanes: 16, seconds: 1e-3), 9);
        Assert.Equal(12, FmaPeak.Accumulators);
    }

    [Fact]
    public void PercentOfPeak_IsTheRateOverThePeakTimesHundred()
    {
        Assert.Equal(50.0, FmaPeak.PercentOfPeak(225, 450));
        Assert.Equal(125.0, FmaPeak.PercentOfPeak(500, 400));
    }

    [Fact]
    public void MeasurementPercent_UsesThePeakOfItsOwnDtypeAndThreadCount()
    {
        var m = new BenchMeasurement("S3", "f32", "vectorized", "as-is", BenchPass.Fwd, 1, 1, 1, Gflops: 100, 1) { Threads = 2 };
        FmaPeak.Result[] peaks = [new("f32", 1, 512, 200), new("f64", 2, 512, 100), new("f32", 2, 512, 400)];

        var withPercent = BenchRunner.WithPercentOfPeak([m, m with { Threads = 4 }], peaks);

        Assert.Equal(25.0, withPercent[0].PercentOfPeak);
        Assert.Null(withPercent[1].PercentOfPeak);
    }

    [Fact]
    public void Calibration_ReportsTheWidestAcceleratedWidthAndAFiniteRate()
    {
        int widest = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;

        var peak = FmaPeak.Measure("f64", threads: 1, trials: 1, TimeSpan.FromMilliseconds(2));

        Assert.Equal(("f64", 1, widest), (peak.Dtype, peak.Threads, peak.VectorBits));
        Assert.True(double.IsFinite(peak.Gflops) && peak.Gflops > 0, $"rate {peak.Gflops}");
    }

    [Theory]
    [InlineData(10.0, 2, 5.0, 1.0)]
    [InlineData(10.0, 2, 10.0, 0.5)]
    [InlineData(10.0, 4, 5.0, 0.5)]
    [InlineData(10.0, 2, 20.0, 0.25)]
    public void ParallelEfficiency_IsOneThreadTimeOverThreadsTimesTime(double oneThread, int threads, double ms, double expected)
    {
        Assert.Equal(expected, ParallelScaling.Efficiency(oneThread, threads, ms));
    }

    [Theory]
    [InlineData(2, 2, new[] { 1, 2 })]
    [InlineData(1, 2, new[] { 1, 2 })]
    [InlineData(8, 2, new[] { 1, 2, 4, 8 })]
    [InlineData(6, 2, new[] { 1, 2, 4, 6 })]
    public void ThreadLadder_RunsFromOneToTheMachinesCount_AndHoldsTheBenchsOwn(int processors, int main, int[] expected)
    {
        Assert.Equal(expected, ParallelScaling.Ladder(processors, main));
    }

    [Fact]
    public void ScalingSummary_WeightsLayersByOccurrences_AndNamesTheWorstAndTheSlower()
    {
        BenchMeasurement M(string shape, int threads, double ms) =>
            new(shape, "f32", "vectorized", "as-is", BenchPass.FwdBwd, ms, ms, ms, 1, 1) { Threads = threads };
        // r18.l1 (4 occurrences) halves its time on 2 threads, r18.conv1 (1) stays, r18.l4 (3) gets slower.
        var scalings = ParallelScaling.Of([M("r18.l1", 1, 10), M("r18.l1", 2, 5), M("r18.conv1", 1, 10), M("r18.conv1", 2, 10),
            M("r18.l4", 1, 2), M("r18.l4", 2, 4), M("S1", 1, 1), M("S1", 2, 1), M("r18.l2", 2, 1)]);

        var summary = ParallelScaling.Summarize(scalings).Single(s => s.Group == "resnet18");
        var reference = ParallelScaling.Summarize(scalings).Single(s => s.Group == ParallelScaling.ReferenceGroup);

        // (4 x 10 + 10 + 3 x 2) / (2 x (4 x 5 + 10 + 3 x 4)) = 56 / 84.
        Assert.Equal(56.0 / 84.0, summary.Efficiency, 12);
        Assert.Equal(("r18.l4", 0.25), (summary.Worst.Shape, summary.Worst.EfficiencyAtMost));
        Assert.Equal(["r18.l4"], summary.Slower);
        Assert.Equal(2, summary.Threads);
        Assert.Equal(0.5, reference.Efficiency);
        // r18.l2 was not measured on one thread: no efficiency can be read for it.
        Assert.DoesNotContain(scalings, s => s.Shape == "r18.l2");
    }
}

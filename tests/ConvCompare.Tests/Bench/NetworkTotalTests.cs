using ConvCompare.Bench;

namespace ConvCompare.Tests.Bench;

public class NetworkTotalTests
{
    private static BenchMeasurement M(string shape, string impl, double ms, string variant = "as-is", int threads = 2, string dtype = "f32") =>
        new(shape, dtype, impl, variant, BenchPass.FwdBwd, ms, ms, ms, 1, 1) { Threads = threads };

    [Fact]
    public void Total_WeightsEachLayerByItsOccurrences()
    {
        // r18.l1 occurs 4 times; the other 10 layers occur 16 times in all: 4 x 10 ms + 16 x 1 ms.
        var measured = NetworkLayers.ResNet18.Select(l => M(l.Name, "torch", l.Name == "r18.l1" ? 10 : 1)).ToList();

        var total = Assert.Single(NetworkTotal.Of(measured, []));

        Assert.Equal(56, total.Ms, 12);
        Assert.Equal(20, total.Convolutions);
        Assert.Equal("resnet18", total.Network);
        Assert.Equal(6.0 * 1_813_561_344 * 8, total.Flops);
        Assert.Null(total.PercentOfPeak);
    }

    [Fact]
    public void TotalRatio_IsVectorizedTotalOverTorchTotal_InTheSameRunAndThreadCount_WithTheWorstLayer()
    {
        var torch = NetworkLayers.ResNet18.Select(l => M(l.Name, "torch", l.Name == "r18.l1" ? 10 : 1));
        var otherRun = NetworkLayers.ResNet18.Select(l => M(l.Name, "torch", 100, variant: "tuned"));
        var otherThreads = NetworkLayers.ResNet18.Select(l => M(l.Name, "torch", 100, threads: 1));
        // Twice as slow as torch on the conv1 stem, as fast everywhere else: 4 x 10 + 2 + 15 x 1 = 57 ms.
        var vectorized = NetworkLayers.ResNet18.Select(l => M(l.Name, "vectorized", l.Name switch { "r18.l1" => 10, "r18.conv1" => 2, _ => 1 }));
        var measured = BenchRunner.WithRatios([.. torch, .. otherRun, .. otherThreads, .. vectorized]);

        var total = NetworkTotal.Of(measured, []).Single(t => t.Impl == "vectorized");

        Assert.Equal(57.0 / 56.0, total.RatioToTorch!.Value, 12);
        Assert.Equal(("r18.conv1", 2.0), total.WorstLayer);
    }

    [Fact]
    public void NetworkWithALayerMissing_HasNoTotal()
    {
        var measured = NetworkLayers.MobileNetV2.Skip(1).Select(l => M(l.Name, "torch", 1)).ToList();

        Assert.Empty(NetworkTotal.Of(measured, []));
    }

    [Fact]
    public void TotalPercentOfPeak_IsItsRateOverThePeakOfItsDtypeAndThreadCount()
    {
        // Every MobileNetV2 layer of f64 at 2 threads takes 1 ms: 52 ms for 6 x 299,494,272 x 8 operations.
        var measured = NetworkLayers.MobileNetV2.Select(l => M(l.Name, "torch", 1, dtype: "f64")).ToList();
        FmaPeak.Result[] peaks = [new("f64", 1, 512, 1), new("f32", 2, 512, 1), new("f64", 2, 512, 300)];

        var total = Assert.Single(NetworkTotal.Of(measured, peaks));

        double gflops = 6.0 * 299_494_272 * 8 / 52e-3 / 1e9;
        Assert.Equal(gflops, total.Gflops, 9);
        Assert.Equal(100 * gflops / 300, total.PercentOfPeak!.Value, 9);
    }
}

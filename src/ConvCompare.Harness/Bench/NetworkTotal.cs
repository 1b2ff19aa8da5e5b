using ConvCompare.Implementations;

namespace ConvCompare.Bench;

/// <summary>
/// What the convolutions of one network cost in one step, for one implementation, dtype, pass, run
/// and thread count: the sum over its distinct layers of the layer's median times the number of
/// layers of that shape in the network (<see cref="BenchShape.Occurrences"/>). With the forward and
/// backward pass it is the convolution part of one training step.
/// </summary>
/// <param name="Network">resnet18 or mobilenetv2.</param>
/// <param name="Dtype">f32 or f64.</param>
/// <param name="Pass">What one call of each layer does.</param>
/// <param name="Impl">vectorized or torch.</param>
/// <param name="Variant">as-is or tuned.</param>
/// <param name="Threads">Threads both implementations were allowed.</param>
/// <param name="Ms">Σ occurrences · median milliseconds.</param>
/// <param name="Flops">Σ occurrences · floating-point operations of the pass.</param>
/// <param name="Convolutions">Σ occurrences: the number of convolutions in the network.</param>
internal sealed record NetworkTotal(string Network, string Dtype, BenchPass Pass, string Impl, string Variant, int Threads,
    double Ms, double Flops, int Convolutions)
{
    /// <summary>Rate of the whole network: its operations over its time.</summary>
    public double Gflops => Flops / (Ms * 1e6);

    /// <summary><see cref="Gflops"/> as a percentage of the FMA peak for the dtype and thread count; null when not calibrated.</summary>
    public double? PercentOfPeak { get; init; }

    /// <summary>This total over TorchSharp's total in the same run and thread count; null when TorchSharp was not measured.</summary>
    public double? RatioToTorch { get; init; }

    /// <summary>The layer with the highest ratio to TorchSharp in the same run, and that ratio; null when TorchSharp was not measured.</summary>
    public (string Layer, double Ratio)? WorstLayer { get; init; }

    /// <summary>
    /// The totals of every network all of whose layers were measured (a partial sum is not a network),
    /// with their ratios to TorchSharp and their share of the peak.
    /// </summary>
    /// <param name="measurements">Measurements with <see cref="BenchMeasurement.RatioToTorch"/> filled in.</param>
    /// <param name="peaks">The calibrated FMA peaks; may be empty.</param>
    public static List<NetworkTotal> Of(IReadOnlyList<BenchMeasurement> measurements, IReadOnlyList<FmaPeak.Result> peaks)
    {
        var totals = new List<NetworkTotal>();
        foreach (var layers in NetworkLayers.Networks)
        {
            var byName = layers.ToDictionary(l => l.Name);
            foreach (var run in measurements.Where(m => byName.ContainsKey(m.Shape))
                         .GroupBy(m => (m.Dtype, m.Pass, m.Impl, m.Variant, m.Threads)))
            {
                var measured = run.GroupBy(m => m.Shape).ToDictionary(g => g.Key, g => g.First());
                if (measured.Count != layers.Count)
                    continue;
                var (dtype, pass, impl, variant, threads) = run.Key;
                var worst = measured.Values.Where(m => m.RatioToTorch is not null).MaxBy(m => m.RatioToTorch);
                var total = new NetworkTotal(layers[0].Network!, dtype, pass, impl, variant, threads,
                    layers.Sum(l => l.Occurrences * measured[l.Name].MedianMs),
                    layers.Sum(l => l.Occurrences * l.Flops(pass)),
                    layers.Sum(l => l.Occurrences))
                {
                    WorstLayer = worst is null ? null : (worst.Shape, worst.RatioToTorch!.Value),
                };
                var peak = peaks.FirstOrDefault(p => p.Dtype == dtype && p.Threads == threads);
                totals.Add(total with { PercentOfPeak = peak is null ? null : FmaPeak.PercentOfPeak(total.Gflops, peak.Gflops) });
            }
        }
        return totals.Select(t => totals.FirstOrDefault(o => o.Impl == BuiltInImplementations.OracleName && (o.Network, o.Dtype, o.Pass, o.Variant, o.Threads) == (t.Network, t.Dtype, t.Pass, t.Variant, t.Threads)) is { } torch
            ? t with { RatioToTorch = t.Ms / torch.Ms } : t).ToList();
    }
}

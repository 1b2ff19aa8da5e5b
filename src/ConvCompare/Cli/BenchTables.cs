using ConvCompare.Bench;
using static ConvCompare.Cli.BenchCommand;

namespace ConvCompare.Cli;

/// <summary>The tables <c>bench</c> prints after the per-measurement ones: FMA peaks, network totals and parallel scaling.</summary>
internal static class BenchTables
{
    public static void Print(BenchOptions options, IReadOnlyList<BenchMeasurement> results, IReadOnlyList<FmaPeak.Result> peaks, bool details)
    {
        if (options.Impls.Contains(Readable) && options.Shapes.Any(s => !BenchRunner.Measures(Readable, s, BenchRunner.Threads)))
            Console.WriteLine($"note: {Readable} is timed on S1 to S4 only; on network layers it would take minutes per call.");
        if (peaks.Count > 0)
            WriteTable("FMA peak (calibration loop: independent vector FMAs, no memory; the best of several runs)",
                ["dtype", "threads", "vector bits", "GFLOP/s"],
                [.. peaks.Select(p => new[] { p.Dtype, p.Threads.ToString(Invariant), p.VectorBits.ToString(Invariant), F(p.Gflops, "0.0") })]);

        var totals = NetworkTotal.Of(results, peaks).Where(t => t.Threads == BenchRunner.Threads)
            .OrderBy(t => t.Network).ThenBy(t => t.Dtype).ThenBy(t => t.Pass).ThenBy(t => t.Impl).ThenBy(t => t.Variant).ToList();
        if (totals.Count > 0)
            WriteTable("network totals: each distinct layer's median times its occurrences (ratio: to TorchSharp's total in the same run)",
                ["network", "dtype", "pass", "impl (run)", "convolutions", "total ms", "GFLOP/s", "% of FMA peak", "ratio to torch", "worst layer ratio"],
                [.. totals.Select(t => new[]
                {
                    t.Network, t.Dtype, t.Pass == BenchPass.Fwd ? "fwd" : "fwdbwd", $"{t.Impl} ({t.Variant})", t.Convolutions.ToString(Invariant),
                    F(t.Ms, "0.00"), F(t.Gflops, "0.0"), t.PercentOfPeak is double p ? F(p, "0") + "%" : "",
                    t.RatioToTorch is double r ? F(r, "0.00") : "",
                    t.Impl != Oracle && t.WorstLayer is { } w ? $"{F(w.Ratio, "0.00")} ({w.Layer})" : "",
                })]);

        var best = BestTotals(totals, BenchRunner.BestRuns(results.Where(m => m.Threads == BenchRunner.Threads)));
        if (best.Count > 0)
            WriteTable($"network totals, {Fast} / TorchSharp each at its fastest run (the speed goal's reading; worst layer likewise)",
                ["network", "dtype", "pass", $"{Fast} total ms (run)", $"{Oracle} total ms (run)", "ratio", "worst layer ratio"], best);

        var scalings = ParallelScaling.Of(results);
        if (scalings.Count == 0)
            return;
        WriteTable("parallel efficiency E(t) = T(1) / (t T(t)) at the most threads; a group's E is that of its summed time, layers weighted by occurrences",
            ["group", "dtype", "pass", "impl (run)", "threads", "E", "least efficient shape", "slower with more threads"],
            [.. ParallelScaling.Summarize(scalings).OrderBy(s => s.Group).ThenBy(s => s.Dtype).ThenBy(s => s.Pass).ThenBy(s => s.Impl).ThenBy(s => s.Variant)
                .Select(s => new[]
                {
                    s.Group, s.Dtype, s.Pass == BenchPass.Fwd ? "fwd" : "fwdbwd", $"{s.Impl} ({s.Variant})", s.Threads.ToString(Invariant),
                    F(s.Efficiency, "0.00"), $"{s.Worst.Shape} ({F(s.Worst.EfficiencyAtMost, "0.00")})",
                    s.Slower.Count == 0 ? "none" : string.Join(", ", s.Slower),
                })]);
        if (!details)
            return;
        WriteTable("parallel efficiency per shape: median ms and E on each thread count",
            ["shape", "dtype", "pass", "impl (run)", "ms and E by threads"],
            [.. scalings.OrderBy(s => s.Group).ThenBy(s => s.Shape).ThenBy(s => s.Dtype).ThenBy(s => s.Pass).ThenBy(s => s.Impl).ThenBy(s => s.Variant)
                .Select(s => new[]
                {
                    s.Shape, s.Dtype, s.Pass == BenchPass.Fwd ? "fwd" : "fwdbwd", $"{s.Impl} ({s.Variant})",
                    string.Join("; ", s.Times.Select(t => $"{t.Threads}: {F(t.Ms, "0.000")} ms, E {F(ParallelScaling.Efficiency(s.Times[0].Ms, t.Threads, t.Ms), "0.00")}")),
                })]);
    }

    /// <summary>
    /// Per network, dtype and pass: the fast algorithm's total and TorchSharp's, each the smaller of its
    /// runs', their ratio, and the layer whose ratio is highest with both sides at their fastest run.
    /// </summary>
    private static List<string[]> BestTotals(IReadOnlyList<NetworkTotal> totals, IReadOnlyList<BenchMeasurement> bestRuns)
    {
        var fastest = totals.GroupBy(t => (t.Network, t.Dtype, t.Pass, t.Impl)).ToDictionary(g => g.Key, g => g.MinBy(t => t.Ms)!);
        var rows = new List<string[]>();
        foreach (var ((network, dtype, pass, impl), fast) in fastest.Where(kv => kv.Key.Impl == Fast).OrderBy(kv => kv.Key.Network).ThenBy(kv => kv.Key.Dtype).ThenBy(kv => kv.Key.Pass))
        {
            if (!fastest.TryGetValue((network, dtype, pass, Oracle), out var torch))
                continue;
            var layers = NetworkLayers.Networks.First(n => n[0].Network == network).Select(l => l.Name).ToHashSet();
            var worst = bestRuns.Where(m => m.Impl == impl && m.Dtype == dtype && m.Pass == pass && layers.Contains(m.Shape) && m.RatioToTorch is not null)
                .MaxBy(m => m.RatioToTorch);
            rows.Add([network, dtype, pass == BenchPass.Fwd ? "fwd" : "fwdbwd", $"{F(fast.Ms, "0.00")} ({fast.Variant})", $"{F(torch.Ms, "0.00")} ({torch.Variant})",
                F(fast.Ms / torch.Ms, "0.00"), worst is null ? "" : $"{F(worst.RatioToTorch!.Value, "0.00")} ({worst.Shape})"]);
        }
        return rows;
    }

    private static IFormatProvider Invariant => System.Globalization.CultureInfo.InvariantCulture;
}

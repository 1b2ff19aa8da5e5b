using System.Globalization;
using ConvCompare.Bench;
using ConvCompare.Implementations;
using Spectre.Console;

namespace ConvCompare.Reports;

/// <summary>
/// What <c>bench</c> prints: every measurement, the headline ratios with each side at its fastest run,
/// the FMA peaks, the network totals and the parallel scaling; Spectre tables on a terminal, Markdown
/// when redirected (<see cref="ConsoleReport.Plain"/>).
/// </summary>
internal static class BenchConsoleReport
{
    /// <summary>Prints the tables of one bench run.</summary>
    /// <param name="options">What was measured.</param>
    /// <param name="results">Every measurement, on every thread count, with ratios and shares of the peak filled in.</param>
    /// <param name="peaks">The calibrated FMA peaks; may be empty.</param>
    /// <param name="machine">The machine it ran on.</param>
    /// <param name="details">Whether to list each shape's parallel efficiency.</param>
    public static void Print(BenchOptions options, IReadOnlyList<BenchMeasurement> results, IReadOnlyList<FmaPeak.Result> peaks, MachineInfo machine, bool details)
    {
        PrintMeasurements([.. results.Where(m => m.Threads == BenchRunner.Threads)], machine);
        PrintSummaries(options, results, peaks, details);
    }

    private static void PrintMeasurements(IReadOnlyList<BenchMeasurement> results, MachineInfo machine)
    {
        Console.WriteLine($"machine: {machine.Cpu}, {machine.LogicalCores} logical cores, SIMD {machine.Simd}, {machine.Runtime}; TorchSharp and ConvRef on {machine.TorchThreads} threads");
        var rows = results.OrderBy(m => m.Shape).ThenBy(m => m.Dtype).ThenBy(m => m.Pass).ThenBy(m => m.Impl).ThenBy(m => m.Variant)
            .Select(m => new[]
            {
                m.Shape, m.Dtype, m.PassName, $"{m.Impl} ({m.Variant})", F(m.MedianMs, "0.000"), F(m.MinMs, "0.000"), F(m.MaxMs, "0.000"),
                F(m.Gflops, "0.0"), m.PercentOfPeak is double p ? F(p, "0") + "%" : "", m.RatioToTorch is double r ? F(r, "0.00") : "",
                m.FirstCallAllocatedBytes is long a && m.TensorBytes is long t ? F(a / (double)t, "0.00") + "x" : "",
            }).ToList();
        WriteTable("all measurements (ratio: to TorchSharp in the same run)",
            ["shape", "dtype", "pass", "impl (run)", "median ms", "min ms", "max ms", "GFLOP/s", "% of FMA peak", "ratio to torch", "first-call alloc / tensors"], rows);

        var headline = new List<string[]>();
        foreach (var group in BenchRunner.BestRuns(results).GroupBy(m => (m.Shape, m.Dtype)).OrderBy(g => g.Key.Shape).ThenBy(g => g.Key.Dtype))
        {
            BenchMeasurement? Find(string impl, BenchPass pass) => group.FirstOrDefault(m => m.Impl == impl && m.Pass == pass);
            var vf = Find(Fast, BenchPass.Fwd);
            var vb = Find(Fast, BenchPass.FwdBwd);
            var tb = Find(Oracle, BenchPass.FwdBwd);
            var sb = Find(Readable, BenchPass.FwdBwd);
            headline.Add([group.Key.Shape, group.Key.Dtype,
                vf?.RatioToTorch is double rf ? F(rf, "0.00") : "", vb?.RatioToTorch is double rb ? F(rb, "0.00") : "",
                vb is null ? "" : $"{F(vb.MedianMs, "0.000")} ({vb.Variant})", tb is null ? "" : $"{F(tb.MedianMs, "0.000")} ({tb.Variant})",
                sb is not null && vb is not null ? F(sb.MedianMs / vb.MedianMs, "0") + "x" : ""]);
        }
        if (headline.Count > 0)
            WriteTable($"ConvRef {Fast} / TorchSharp, each at its fastest run (the speed goal's reading)",
                ["shape", "dtype", "fwd ratio", "fwd+bwd ratio", $"{Fast} fwd+bwd ms (run)", $"{Oracle} fwd+bwd ms (run)", $"{Readable} / {Fast} fwd+bwd"], headline);
    }

    private static void PrintSummaries(BenchOptions options, IReadOnlyList<BenchMeasurement> results, IReadOnlyList<FmaPeak.Result> peaks, bool details)
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

    /// <summary>The registered name of ConvRef's fast algorithm, whose ratio to the oracle is the headline.</summary>
    private static string Fast => BuiltInImplementations.Fast.Name;

    /// <summary>The registered name of ConvRef's readable algorithm, the yardstick of the fast one's speed-up.</summary>
    private static string Readable => BuiltInImplementations.Readable.Name;

    /// <summary>The oracle's name, the subject every ratio is taken to.</summary>
    private static string Oracle => BuiltInImplementations.OracleName;

    /// <summary>A Spectre table on a terminal; Markdown lines when redirected, so a log or the README can take the table as is at any width.</summary>
    private static void WriteTable(string title, string[] columns, List<string[]> rows)
    {
        Console.WriteLine();
        Console.WriteLine(title);
        if (ConsoleReport.Plain)
        {
            Console.WriteLine("| " + string.Join(" | ", columns) + " |");
            Console.WriteLine("|" + string.Concat(columns.Select(_ => "---|")));
            foreach (var row in rows)
                Console.WriteLine("| " + string.Join(" | ", row) + " |");
            return;
        }
        var table = new Table().Border(TableBorder.Rounded);
        foreach (string column in columns)
            table.AddColumn(column);
        foreach (var row in rows)
            table.AddRow(row);
        AnsiConsole.Write(table);
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static IFormatProvider Invariant => CultureInfo.InvariantCulture;
}

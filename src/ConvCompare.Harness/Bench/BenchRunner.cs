using System.Diagnostics;
using ConvCompare.Implementations;
using ConvRef;
using TorchSharp;

namespace ConvCompare.Bench;

/// <summary>
/// Times the implementations in one process: warm-up, then interleaved repetitions (every
/// implementation once per round) so that drift in machine load hits all of them alike.
/// </summary>
internal static class BenchRunner
{
    public const int Threads = 2;

    public static List<BenchMeasurement> Measure(BenchOptions options, Action<string>? progress = null)
    {
        var results = new List<BenchMeasurement>();
        foreach (var shape in options.Shapes)
        {
            var inputs = BenchInputs.For(shape, seed: 20261127);
            foreach (string dtype in options.Dtypes)
            {
                foreach (int threads in options.ThreadCounts)
                {
                    progress?.Invoke(options.Scaling ? $"{shape.Name} {dtype} on {threads} thread(s)" : $"{shape.Name} {dtype}");
                    torch.set_num_threads(threads);
                    var subjects = options.Impls.Where(impl => Measures(impl, shape, threads))
                        .Select(impl => Create(options.Registry, impl, shape, dtype, inputs, threads)).ToList();
                    try
                    {
                        foreach (var pass in new[] { BenchPass.Fwd, BenchPass.FwdBwd })
                            results.AddRange(MeasurePass(shape, dtype, pass, subjects, options.Repeat).Select(m => m with { Threads = threads }));
                    }
                    finally
                    {
                        subjects.ForEach(s => s.Dispose());
                    }
                }
            }
        }
        return results;
    }

    /// <summary>
    /// ConvRef's readable (serial) algorithm runs on one thread and takes seconds per call on the large shapes, so
    /// it is timed once per reference shape (for the serial / vectorized speed-up) and not on network layers.
    /// </summary>
    public static bool Measures(string impl, BenchShape shape, int threads) =>
        !BuiltInImplementations.IsReadable(impl) || (shape.Network is null && threads == Threads);

    /// <summary>The measured FMA peak for every dtype and thread count the options measure.</summary>
    public static List<FmaPeak.Result> CalibratePeaks(BenchOptions options, Action<string>? progress = null)
    {
        var peaks = new List<FmaPeak.Result>();
        foreach (string dtype in options.Dtypes)
        {
            foreach (int threads in options.ThreadCounts)
            {
                progress?.Invoke($"FMA peak {dtype} on {threads} thread(s)");
                peaks.Add(FmaPeak.Measure(dtype, threads, FmaPeak.Trials, FmaPeak.TrialTime));
            }
        }
        return peaks;
    }

    /// <summary>Fills in each measurement's percentage of the FMA peak for its dtype and thread count.</summary>
    public static List<BenchMeasurement> WithPercentOfPeak(IEnumerable<BenchMeasurement> measurements, IReadOnlyList<FmaPeak.Result> peaks) =>
        measurements.Select(m => peaks.FirstOrDefault(p => p.Dtype == m.Dtype && p.Threads == m.Threads) is { } peak
            ? m with { PercentOfPeak = FmaPeak.PercentOfPeak(m.Gflops, peak.Gflops) } : m).ToList();

    private static IEnumerable<BenchMeasurement> MeasurePass(BenchShape shape, string dtype, BenchPass pass, List<IBenchSubject> subjects, int repeat)
    {
        var firstCall = new Dictionary<IBenchSubject, long>();
        foreach (var subject in subjects)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            subject.Run(pass);
            firstCall[subject] = GC.GetTotalAllocatedBytes(precise: true) - before;
            // Tiered compilation runs a method's first calls unoptimised; warming up by time rather
            // than by count lets short calls reach fully optimised code before they are timed.
            long start = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(start) < BenchOptions.WarmUpTime)
                subject.Run(pass);
        }

        var times = subjects.ToDictionary(s => s, _ => new List<double>());
        for (int round = 0; round < repeat; round++)
        {
            foreach (var subject in subjects)
            {
                if (BuiltInImplementations.IsReadable(subject.Impl) && round >= BenchOptions.SerialRepeatCap)
                    continue;
                long start = Stopwatch.GetTimestamp();
                subject.Run(pass);
                times[subject].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        double flops = shape.Flops(pass);
        int elementSize = dtype == "f32" ? 4 : 8;
        foreach (var subject in subjects)
        {
            var t = times[subject];
            t.Sort();
            double median = t.Count % 2 == 1 ? t[t.Count / 2] : (t[t.Count / 2 - 1] + t[t.Count / 2]) / 2;
            yield return new BenchMeasurement(shape.Name, dtype, subject.Impl, Variant, pass,
                median, t[0], t[^1], flops / (median * 1e6), t.Count)
            {
                FirstCallAllocatedBytes = subject.Impl == BuiltInImplementations.OracleName ? null : firstCall[subject],
                TensorBytes = shape.TensorBytes(elementSize),
            };
        }
    }

    /// <summary>The whole process runs either as is or as the tuned child, so every measurement of a run shares it.</summary>
    private static string Variant => TunedChild.IsActive ? "tuned" : "as-is";

    /// <summary>
    /// The subject for a name of <paramref name="registry"/> or the oracle's: a ConvRef algorithm timed
    /// through its own caller-owned-output entry points, any other registered implementation through
    /// <see cref="IConv2dImplementation"/> into outputs it keeps, or the oracle.
    /// </summary>
    private static IBenchSubject Create(ImplementationRegistry registry, string impl, BenchShape shape, string dtype, BenchInputs inputs, int threads) =>
        (registry.Implementations.FirstOrDefault(i => i.Name == impl), dtype) switch
        {
            (ConvRefImplementation convRef, "f32") => new ConvRefSubject<float>(shape, convRef, inputs, threads),
            (ConvRefImplementation convRef, _) => new ConvRefSubject<double>(shape, convRef, inputs, threads),
            ({ } other, "f32") => new ImplementationSubject<float>(shape, Threaded(other, threads), inputs),
            ({ } other, _) => new ImplementationSubject<double>(shape, Threaded(other, threads), inputs),
            (null, "f32") when impl == BuiltInImplementations.OracleName => new TorchSubject(shape, torch.ScalarType.Float32, inputs),
            (null, _) when impl == BuiltInImplementations.OracleName => new TorchSubject(shape, torch.ScalarType.Float64, inputs),
            _ => throw new ArgumentException($"bench times registered implementations and the oracle; '{impl}' is neither", nameof(impl)),
        };

    private static IConv2dImplementation Threaded(IConv2dImplementation implementation, int threads) =>
        implementation is IMultithreadedConv2dImplementation threaded ? threaded.WithThreads(threads) : implementation;

    /// <summary>
    /// Fills in each measurement's ratio to TorchSharp's median in the same run (same process, same
    /// environment, same thread count, interleaved), so every ratio compares times measured side by side.
    /// </summary>
    public static List<BenchMeasurement> WithRatios(IEnumerable<BenchMeasurement> measurements)
    {
        var all = measurements.ToList();
        var anchors = all.Where(m => m.Impl == BuiltInImplementations.OracleName)
            .ToDictionary(m => (m.Shape, m.Dtype, m.Pass, m.Variant, m.Threads), m => m.MedianMs);
        return all.Select(m => anchors.TryGetValue((m.Shape, m.Dtype, m.Pass, m.Variant, m.Threads), out double anchor)
            ? m with { RatioToTorch = m.MedianMs / anchor } : m).ToList();
    }

    /// <summary>
    /// Each implementation at its fastest run (variant) per shape, dtype, pass and thread count, with
    /// <see cref="BenchMeasurement.RatioToTorch"/> taken to TorchSharp at its own fastest run: the
    /// reading the speed goal is stated in, so a setting that helps one side (libtorch's spinning
    /// workers slow ConvRef in the as-is run; the malloc tunables speed libtorch up in the tuned one)
    /// is never charged to the other.
    /// </summary>
    public static List<BenchMeasurement> BestRuns(IEnumerable<BenchMeasurement> measurements)
    {
        var best = measurements.GroupBy(m => (m.Shape, m.Dtype, m.Pass, m.Impl, m.Threads)).Select(g => g.MinBy(m => m.MedianMs)!).ToList();
        var torch = best.Where(m => m.Impl == BuiltInImplementations.OracleName)
            .ToDictionary(m => (m.Shape, m.Dtype, m.Pass, m.Threads), m => m.MedianMs);
        return best.Select(m => torch.TryGetValue((m.Shape, m.Dtype, m.Pass, m.Threads), out double anchor)
            ? m with { RatioToTorch = m.MedianMs / anchor } : m with { RatioToTorch = null }).ToList();
    }
}

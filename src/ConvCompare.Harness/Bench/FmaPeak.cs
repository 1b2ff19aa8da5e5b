using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvCompare.Bench;

/// <summary>
/// The machine's own limit for a dtype and thread count: the rate at which that many threads retire
/// fused multiply-adds on the widest vectors the CPU accelerates, measured by a short calibration
/// loop. Every thread updates <see cref="Accumulators"/> independent vector accumulators, so the loop
/// is bound by FMA throughput, not by the latency of one dependency chain, and touches no memory.
/// </summary>
internal static class FmaPeak
{
    /// <summary>
    /// Independent accumulators per thread: at least FMA latency times FMA ports (4 x 2 on current x86
    /// cores), and few enough to stay in the 16 vector registers of AVX2 beside the two constants.
    /// </summary>
    public const int Accumulators = 12;

    /// <summary>Timed runs per dtype and thread count; the best counts.</summary>
    public const int Trials = 5;

    /// <summary>About how long each timed run takes: long enough to dwarf starting the threads, short enough to keep the quick mode quick.</summary>
    public static readonly TimeSpan TrialTime = TimeSpan.FromMilliseconds(25);

    /// <summary>The measured peak of one dtype and thread count.</summary>
    /// <param name="Dtype">f32 or f64.</param>
    /// <param name="Threads">Threads running the loop at the same time.</param>
    /// <param name="VectorBits">Width of the vectors the loop used.</param>
    /// <param name="Gflops">Best rate over the trials, 2 floating-point operations per multiply-add.</param>
    public sealed record Result(string Dtype, int Threads, int VectorBits, double Gflops);

    /// <summary>
    /// Floating-point operations per second, in GFLOP/s, of <paramref name="threads"/> threads that each ran
    /// <paramref name="iterations"/> iterations of <see cref="Accumulators"/> vector FMAs of
    /// <paramref name="lanes"/> lanes in <paramref name="seconds"/>: a multiply and an add per lane.
    /// </summary>
    public static double Gflops(int threads, long iterations, int lanes, double seconds) =>
        2.0 * threads * iterations * Accumulators * lanes / seconds / 1e9;

    /// <summary>A measurement's share of the peak in percent: 100 · <paramref name="gflops"/> / <paramref name="peakGflops"/>.</summary>
    public static double PercentOfPeak(double gflops, double peakGflops) => 100.0 * gflops / peakGflops;

    /// <summary>
    /// Measures the peak: <paramref name="trials"/> timed runs of about <paramref name="trialTime"/>
    /// each, all threads released together, timed from release to the last thread's end; the best
    /// run counts, since interference from other work on the machine only ever slows the loop down.
    /// </summary>
    public static Result Measure(string dtype, int threads, int trials, TimeSpan trialTime) =>
        dtype == "f32" ? Measure<float>(dtype, threads, trials, trialTime) : Measure<double>(dtype, threads, trials, trialTime);

    private static Result Measure<T>(string dtype, int threads, int trials, TimeSpan trialTime)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (bits, loop) = Widest<T>();
        int lanes = bits / 8 / Unsafe.SizeOf<T>();
        long iterations = 1 << 12;
        // Doubled until one run takes half the trial time, so each timed run takes between half and all of it.
        while (RunOnThreads(1, iterations, loop) < trialTime.TotalSeconds / 2)
            iterations *= 2;
        double best = 0;
        for (int trial = 0; trial < trials; trial++)
            best = Math.Max(best, Gflops(threads, iterations, lanes, RunOnThreads(threads, iterations, loop)));
        return new Result(dtype, threads, bits, best);
    }

    /// <summary>The loop on the widest vector width the CPU accelerates, and that width in bits.</summary>
    private static (int Bits, Func<long, double> Loop) Widest<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector512.IsHardwareAccelerated ? (512, Loop<T, Vector512<T>, Width512<T>>)
        : Vector256.IsHardwareAccelerated ? (256, Loop<T, Vector256<T>, Width256<T>>)
        : (128, Loop<T, Vector128<T>, Width128<T>>);

    /// <summary>Seconds from releasing <paramref name="threads"/> threads that each run the loop to the end of the last one.</summary>
    private static double RunOnThreads(int threads, long iterations, Func<long, double> loop)
    {
        using var start = new ManualResetEventSlim(false);
        // Each thread stores its sum where the caller could read it, so the JIT cannot drop the loop as dead code.
        var sums = new double[threads];
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.Wait();
            sums[t] = loop(iterations);
        })).ToList();
        workers.ForEach(w => w.Start());
        Thread.Sleep(1);
        long begin = Stopwatch.GetTimestamp();
        start.Set();
        workers.ForEach(w => w.Join());
        return Stopwatch.GetElapsedTime(begin).TotalSeconds;
    }

    /// <summary>
    /// The calibration loop: a_i ← a_i · m + c for <see cref="Accumulators"/> independent a_i. With
    /// m just below 1 the values settle near c / (1 - m), so they neither overflow nor become subnormal.
    /// Compiled optimized from the first call: tiered compilation would time unoptimized code first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Loop<T, TV, TW>(long iterations)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TW : IFmaWidth<T, TV>
    {
        TV m = TW.Broadcast(T.CreateTruncating(0.999)), c = TW.Broadcast(T.CreateTruncating(0.001));
        TV a0 = TW.Broadcast(T.One), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = TW.Fma(a0, m, c); a1 = TW.Fma(a1, m, c); a2 = TW.Fma(a2, m, c); a3 = TW.Fma(a3, m, c);
            a4 = TW.Fma(a4, m, c); a5 = TW.Fma(a5, m, c); a6 = TW.Fma(a6, m, c); a7 = TW.Fma(a7, m, c);
            a8 = TW.Fma(a8, m, c); a9 = TW.Fma(a9, m, c); a10 = TW.Fma(a10, m, c); a11 = TW.Fma(a11, m, c);
        }
        T sum = TW.First(a0) + TW.First(a1) + TW.First(a2) + TW.First(a3) + TW.First(a4) + TW.First(a5)
            + TW.First(a6) + TW.First(a7) + TW.First(a8) + TW.First(a9) + TW.First(a10) + TW.First(a11);
        return double.CreateTruncating(sum);
    }

    /// <summary>One vector width seen through static abstract members, so the loop is written once.</summary>
    private interface IFmaWidth<T, TV> where T : unmanaged where TV : struct
    {
        static abstract TV Broadcast(T value);
        static abstract TV Fma(TV a, TV b, TV c);
        static abstract T First(TV value);
    }

    private readonly struct Width512<T> : IFmaWidth<T, Vector512<T>> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Vector512<T> Broadcast(T value) => Vector512.Create(value);
        public static T First(Vector512<T> value) => value.ToScalar();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<T> Fma(Vector512<T> a, Vector512<T> b, Vector512<T> c) =>
            typeof(T) == typeof(float) ? Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>()
            : Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    private readonly struct Width256<T> : IFmaWidth<T, Vector256<T>> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Vector256<T> Broadcast(T value) => Vector256.Create(value);
        public static T First(Vector256<T> value) => value.ToScalar();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> Fma(Vector256<T> a, Vector256<T> b, Vector256<T> c) =>
            typeof(T) == typeof(float) ? Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>()
            : Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    private readonly struct Width128<T> : IFmaWidth<T, Vector128<T>> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Vector128<T> Broadcast(T value) => Vector128.Create(value);
        public static T First(Vector128<T> value) => value.ToScalar();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<T> Fma(Vector128<T> a, Vector128<T> b, Vector128<T> c) =>
            typeof(T) == typeof(float) ? Vector128.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>()
            : Vector128.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }
}

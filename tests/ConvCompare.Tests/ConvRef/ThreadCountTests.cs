using System.Numerics;
using System.Runtime.InteropServices;
using ConvCompare.Cases;
using global::ConvRef;
using global::ConvRef.Kernels;

namespace ConvCompare.Tests.ConvRef;

/// <summary>
/// The vectorized algorithm splits its work into a fixed number of parts whatever the thread count,
/// so its results are bitwise the same on one thread and on several: checked on one layer of each
/// realistic family, with the parallel loops' items counted to prove the threaded path really ran.
/// </summary>
public class ThreadCountTests
{
    public static TheoryData<int> Families()
    {
        var data = new TheoryData<int>();
        for (int family = 0; family < RealisticLayers.Count; family++)
            data.Add(family);
        return data;
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void RealisticLayer_IsBitwiseTheSameOnOneThreadAndOnSeveral(int family)
    {
        Assert.True(Environment.ProcessorCount >= 2, "this machine has one processor: no thread count above 1 can be checked");
        var drawn = new CaseGenerator(20261207, new CaseGeneratorOptions { Tier = CaseTier.Realistic }).Generate(family);
        // Two samples at least: with one, a stride-2 layer whose output fits one 1024-position work unit
        // (the 56x56 family) is a single unit of work, which nothing can share.
        var config = drawn with { Shape = drawn.Shape with { N = Math.Max(drawn.Shape.N, 2) } };
        var inputs = CaseInputs.Create(config);
        if (config.Dtype == CaseDtype.F32)
            AssertSameOnAnyThreadCount<float>(config, inputs);
        else
            AssertSameOnAnyThreadCount<double>(config, inputs);
    }

    private static void AssertSameOnAnyThreadCount<T>(CaseConfig config, CaseInputs inputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (one, oneThreadItems) = Run<T>(config, inputs, 1);
        var (several, threads) = Run<T>(config, inputs, Environment.ProcessorCount);
        Assert.Empty(oneThreadItems);
        // The threaded path ran: items of parallel loops, on more than one thread.
        Assert.True(threads.Count > 0, $"{CaseId.Format(config)}: no parallel loop ran");
        Assert.True(threads.Distinct().Count() >= 2, $"{CaseId.Format(config)}: {threads.Count} parallel items all ran on one thread");
        for (int t = 0; t < one.Length; t++)
            Assert.True(Bits(one[t]).SequenceEqual(Bits(several[t])), $"{CaseId.Format(config)}: tensor {t} differs between 1 and {Environment.ProcessorCount} threads");
    }

    /// <summary>
    /// y, dJ/da (or delta), dJ/dw, dJ/db with at most <paramref name="maxThreads"/> threads, and the thread
    /// of every parallel item. The first thread to run an item waits (up to 10 s) until a second one
    /// runs one, so on a busy machine the loop cannot finish on one thread before the pool's thread
    /// starts: several threads really share the work.
    /// </summary>
    private static (T[][] Tensors, List<int> Threads) Run<T>(CaseConfig config, CaseInputs inputs, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var threads = new List<int>();
        using var secondThread = new ManualResetEventSlim();
        int first = -1;
        Parallelism.ParallelItemObserver.Value = id =>
        {
            lock (threads)
            {
                threads.Add(id);
                if (first < 0)
                    first = id;
                else if (id != first)
                    secondThread.Set();
            }
            if (id == first)
                secondThread.Wait(TimeSpan.FromSeconds(10));
        };
        try
        {
            var limits = new Conv2dLimits { MaxThreads = maxThreads };
            var a = inputs.Input.Cast<T>();
            var w = inputs.Weights.Cast<T>();
            var y = Conv2d.Forward(a, w, inputs.Bias?.Cast<T>(), config.Spec, Conv2dAlgorithm.Vectorized, limits);
            var options = new BackwardOptions<T>
            {
                PreviousActivation = config.ConvRefActivation,
                PreviousZ = inputs.PreviousZ?.Cast<T>(),
                ClipValue = config.Clip is { } c ? T.CreateChecked(c) : null,
            };
            var g = Conv2d.Backward(a, w, config.Bias, inputs.Upstream.Cast<T>(), config.Spec, options, Conv2dAlgorithm.Vectorized, limits);
            return ([y.Data, g.Input.Data, g.Weights.Data, g.Bias?.Data ?? []], threads);
        }
        finally
        {
            Parallelism.ParallelItemObserver.Value = null;
        }
    }

    private static byte[] Bits<T>(T[] values) where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}

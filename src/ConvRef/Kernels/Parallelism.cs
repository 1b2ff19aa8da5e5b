namespace ConvRef.Kernels;

/// <summary>Parallel loops that stay inline when the work is too small to pay for waking threads.</summary>
internal static class Parallelism
{
    /// <summary>
    /// Below this many multiply-adds in all (tens of microseconds on one core), a loop runs on the
    /// calling thread: waking a pool thread costs about as much on a small shared machine.
    /// </summary>
    private const long InlineBelow = 1 << 21;

    /// <summary>
    /// Told the managed thread id of every item a parallel loop runs, in the execution context that set
    /// it (the pool's threads inherit it; other callers never see it), so a test can count that a
    /// threaded path really ran on several threads. Null, and so free, everywhere else.
    /// </summary>
    internal static AsyncLocal<Action<int>?> ParallelItemObserver { get; } = new();

    /// <summary>Runs body(0..count-1), in parallel on at most <paramref name="maxThreads"/> threads when count · workPerItem is worth it.</summary>
    public static void For(int count, long workPerItem, int maxThreads, Action<int> body)
    {
        if (count <= 1 || count * workPerItem < InlineBelow || Environment.ProcessorCount == 1 || maxThreads <= 1)
        {
            for (int i = 0; i < count; i++)
                body(i);
            return;
        }
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Min(maxThreads, Environment.ProcessorCount) };
        if (ParallelItemObserver.Value is { } observe)
            Parallel.For(0, count, options, i =>
            {
                observe(Environment.CurrentManagedThreadId);
                body(i);
            });
        else
            Parallel.For(0, count, options, body);
    }
}

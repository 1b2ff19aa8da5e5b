namespace ConvRef.Kernels;

/// <summary>Parallel loops that stay inline when the work is too small to pay for waking threads.</summary>
internal static class Parallelism
{
    /// <summary>
    /// Below this many multiply-adds in all (tens of microseconds on one core), a loop runs on the
    /// calling thread: waking a pool thread costs about as much on a small shared machine.
    /// </summary>
    private const long InlineBelow = 1 << 21;

    /// <summary>Runs body(0..count-1), in parallel on at most <paramref name="maxThreads"/> threads when count · workPerItem is worth it.</summary>
    public static void For(int count, long workPerItem, int maxThreads, Action<int> body)
    {
        if (count <= 1 || count * workPerItem < InlineBelow || Environment.ProcessorCount == 1 || maxThreads <= 1)
        {
            for (int i = 0; i < count; i++)
                body(i);
            return;
        }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(maxThreads, Environment.ProcessorCount) }, body);
    }
}

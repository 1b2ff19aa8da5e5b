namespace ConvRef.Kernels;

/// <summary>Parallel loops that stay inline when the work is too small to pay for waking threads.</summary>
internal static class Parallelism
{
    /// <summary>Below this many multiply-adds (or element moves) in all, a loop runs on the calling thread.</summary>
    private const long InlineBelow = 1 << 18;

    /// <summary>Runs body(0..count-1), in parallel when count · workPerItem is worth it.</summary>
    public static void For(int count, long workPerItem, Action<int> body)
    {
        if (count <= 1 || count * workPerItem < InlineBelow || Environment.ProcessorCount == 1)
        {
            for (int i = 0; i < count; i++)
                body(i);
            return;
        }
        Parallel.For(0, count, body);
    }
}

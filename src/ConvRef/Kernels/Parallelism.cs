using System.Runtime.ExceptionServices;

namespace ConvRef.Kernels;

/// <summary>
/// Parallel loops that stay inline when the work is too small to pay for waking threads, and that
/// cannot wait long for a helper thread that starts late or loses its core: the calling thread works
/// from the first item, every thread claims one item at a time, and the caller waits only for items
/// a helper has already claimed (never for a helper that has not started).
/// </summary>
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
        int threads = Math.Min(Math.Min(maxThreads, Environment.ProcessorCount), count);
        if (threads <= 1 || count * workPerItem < InlineBelow)
        {
            for (int i = 0; i < count; i++)
                body(i);
            return;
        }
        var observe = ParallelItemObserver.Value;
        var loop = new SharedLoop(count, observe is null ? body : i =>
        {
            observe(Environment.CurrentManagedThreadId);
            body(i);
        });
        // Queued with the caller's execution context (UnsafeQueue would drop it), so the observer reaches the helpers.
        for (int t = 1; t < threads; t++)
            ThreadPool.QueueUserWorkItem(static l => l.Work(), loop, preferLocal: false);
        loop.Work();
        loop.WaitForClaimedItems();
    }

    /// <summary>
    /// One loop's items, claimed one at a time by whichever thread asks next. Which thread runs an item
    /// does not change what the item computes, so the results do not depend on the thread count.
    /// </summary>
    private sealed class SharedLoop(int count, Action<int> body)
    {
        private int _next;
        private int _working;
        private ExceptionDispatchInfo? _failure;

        public void Work()
        {
            Interlocked.Increment(ref _working);
            try
            {
                // A claim after the last item fails for good, so once the caller's claim has failed no
                // thread that starts later can run an item.
                for (int i; (i = Interlocked.Increment(ref _next) - 1) < count;)
                    body(i);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
                Interlocked.Exchange(ref _next, count);
            }
            finally
            {
                Interlocked.Decrement(ref _working);
            }
        }

        /// <summary>Waits until no helper is running an item (yielding the core, which a descheduled helper may need), then rethrows the first failure.</summary>
        public void WaitForClaimedItems()
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref _working) > 0)
                spin.SpinOnce(sleep1Threshold: -1);
            _failure?.Throw();
        }
    }
}

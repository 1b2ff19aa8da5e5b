using global::ConvRef.Kernels;

namespace ConvCompare.Tests.ConvRef;

/// <summary>
/// The engine's parallel loop: every item runs once; a helper thread that stalls (descheduled, or
/// slow to start) holds at most the one item it is running, so the calling thread takes all the rest
/// and never waits for more than that item; a body's exception reaches the caller as itself.
/// </summary>
public class ParallelismTests
{
    private const long Worth = 1 << 21;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void StalledHelper_HoldsOnlyTheItemItRuns_AndTheCallerRunsTheRest()
    {
        Assert.True(Environment.ProcessorCount >= 2, "this machine has one processor: no helper thread can be checked");
        const int count = 200, helperItems = 40;
        int caller = Environment.CurrentManagedThreadId, byCaller = 0, byHelper = 0;
        var runs = new int[count];
        using var helperStalled = new ManualResetEventSlim();
        using var callerDone = new ManualResetEventSlim();
        Parallelism.ParallelItemObserver.Value = id =>
        {
            if (id == caller)
            {
                // The caller's first item waits until the helper has run its share and stalled in its last one.
                if (Interlocked.Increment(ref byCaller) == 1)
                    Assert.True(helperStalled.Wait(Patience), "the helper never ran its items");
                if (byCaller == count - helperItems)
                    callerDone.Set();
                return;
            }
            if (Interlocked.Increment(ref byHelper) == helperItems)
            {
                helperStalled.Set();
                // Released only once the caller has run every other item: a helper that had claimed more
                // than this one item would keep them from the caller, and the wait would time out.
                Assert.True(callerDone.Wait(Patience), $"the caller ran {Volatile.Read(ref byCaller)} items, not the {count - helperItems} the stalled helper left");
            }
        };
        try
        {
            Parallelism.For(count, Worth, 2, i => Interlocked.Increment(ref runs[i]));
        }
        finally
        {
            Parallelism.ParallelItemObserver.Value = null;
        }
        Assert.All(runs, r => Assert.Equal(1, r));
        Assert.Equal(count - helperItems, byCaller);
        Assert.Equal(helperItems, byHelper);
    }

    [Fact]
    public void SmallWork_RunsOnTheCallingThreadInOrder()
    {
        var order = new List<int>();
        int caller = Environment.CurrentManagedThreadId, elsewhere = 0;
        Parallelism.For(50, Worth / 50 - 1, 2, i =>
        {
            if (Environment.CurrentManagedThreadId != caller)
                elsewhere++;
            order.Add(i);
        });
        Assert.Equal(0, elsewhere);
        Assert.Equal(Enumerable.Range(0, 50), order);
    }

    [Fact]
    public void BodyThatThrows_ReachesTheCallerAsItsOwnException_AfterEveryClaimedItemEnds()
    {
        int running = 0;
        var e = Assert.Throws<InvalidOperationException>(() => Parallelism.For(64, Worth, 2, i =>
        {
            Interlocked.Increment(ref running);
            Thread.Sleep(1);
            Interlocked.Decrement(ref running);
            if (i == 5)
                throw new InvalidOperationException("item 5");
        }));
        Assert.Equal("item 5", e.Message);
        Assert.Equal(0, Volatile.Read(ref running));
    }

    /// <summary>
    /// The inline rule at its edges: 2^21 multiply-adds in all make a parallel loop (every item seen by the
    /// observer, which only the parallel path calls), one fewer per item stays inline, and so does a
    /// single item or a limit of one thread, however large the work.
    /// </summary>
    [Fact]
    public void WorkOfExactlyTheInlineLimit_GoesParallel_WhileLessWorkOneItemOrOneThreadStaysInline()
    {
        Assert.True(Environment.ProcessorCount >= 2, "this machine has one processor: no parallel loop can be checked");
        Assert.Equal(64, ParallelItems(64, Worth / 64, 2));
        Assert.Equal(0, ParallelItems(64, Worth / 64 - 1, 2));
        Assert.Equal(0, ParallelItems(1, 4 * Worth, 2));
        Assert.Equal(0, ParallelItems(64, Worth, 1));
    }

    /// <summary>
    /// The thread limit bounds the threads that run items, not only the helpers started: each thread's
    /// first item holds its thread until a third thread runs an item (or 2 s pass), so a helper queued
    /// beyond the limit would get a thread even from a pool short of them, and be seen.
    /// </summary>
    [Fact]
    public void MaxThreads_BoundsTheThreadsThatRunItems()
    {
        Assert.True(Environment.ProcessorCount >= 2, "this machine has one processor: no thread limit above 1 can be checked");
        var threads = new HashSet<int>();
        using var thirdThread = new ManualResetEventSlim();
        Parallelism.ParallelItemObserver.Value = id =>
        {
            bool first;
            lock (threads)
            {
                first = threads.Add(id);
                if (threads.Count > 2)
                    thirdThread.Set();
            }
            if (first)
                thirdThread.Wait(TimeSpan.FromSeconds(2));
        };
        try
        {
            Parallelism.For(100, Worth, 2, _ => { });
        }
        finally
        {
            Parallelism.ParallelItemObserver.Value = null;
        }
        Assert.InRange(threads.Count, 1, 2);
    }

    /// <summary>
    /// A failure ends the loop for every thread: the first item throws, and of the 200 items behind it
    /// only those another thread had already claimed run, neither before the loop throws nor after
    /// (a helper still running items then would write into buffers its caller has given up).
    /// </summary>
    [Fact]
    public void AfterAnItemThrows_NoThreadStartsTheRemainingItems()
    {
        const int count = 200;
        int started = 0;
        var e = Assert.Throws<InvalidOperationException>(() => Parallelism.For(count, Worth, 2, _ =>
        {
            if (Interlocked.Increment(ref started) == 1)
                throw new InvalidOperationException("the first item");
            Thread.Sleep(1);
        }));
        Assert.Equal("the first item", e.Message);
        Thread.Sleep(TimeSpan.FromSeconds(1));
        Assert.True(Volatile.Read(ref started) < count / 2, $"{started} of {count} items started after the first one failed");
    }

    /// <summary>How many items the parallel loop's observer saw; every item is checked to have run once.</summary>
    private static int ParallelItems(int count, long workPerItem, int maxThreads)
    {
        int observed = 0;
        var runs = new int[count];
        Parallelism.ParallelItemObserver.Value = _ => Interlocked.Increment(ref observed);
        try
        {
            Parallelism.For(count, workPerItem, maxThreads, i => Interlocked.Increment(ref runs[i]));
        }
        finally
        {
            Parallelism.ParallelItemObserver.Value = null;
        }
        Assert.All(runs, r => Assert.Equal(1, r));
        return observed;
    }
}

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
}

namespace ConvCompare.Implementations;

/// <summary>
/// An implementation that may share a layer's work among threads and promises the same results, bit
/// for bit, whatever their number. On cases the size of real layers the harness holds it to that
/// promise by computing again on one thread and comparing every element.
/// </summary>
public interface IMultithreadedConv2dImplementation : IConv2dImplementation
{
    /// <summary>Most threads it computes with.</summary>
    int Threads { get; }

    /// <summary>The same implementation, computing with at most <paramref name="threads"/> threads.</summary>
    /// <param name="threads">At least 1.</param>
    IConv2dImplementation WithThreads(int threads);
}

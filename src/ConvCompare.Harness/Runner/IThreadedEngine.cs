namespace ConvCompare.Runner;

/// <summary>
/// An engine that may share a case's work among threads and promises the same results, bit for bit,
/// whatever their number: the harness holds it to that promise by computing again with one thread.
/// </summary>
internal interface IThreadedEngine : ILayerEngine
{
    /// <summary>Most threads it computes with.</summary>
    int Threads { get; }

    /// <summary>The same engine with at most <paramref name="threads"/> threads.</summary>
    ILayerEngine WithThreads(int threads);
}

using ConvCompare.Implementations;

namespace ConvCompare.Bench;

/// <summary>What <c>convcompare bench</c> measures.</summary>
internal sealed record BenchOptions(
    IReadOnlyList<BenchShape> Shapes, IReadOnlyList<string> Dtypes, IReadOnlyList<string> Impls, int Repeat)
{
    /// <summary>ConvRef's readable (serial) algorithm takes seconds on the large shapes, so it gets at most this many repetitions.</summary>
    public const int SerialRepeatCap = 3;

    /// <summary>How long each implementation and pass is run before timing.</summary>
    public static readonly TimeSpan WarmUpTime = TimeSpan.FromMilliseconds(300);

    /// <summary>The implementations <see cref="Impls"/> names (besides the oracle's name).</summary>
    public ImplementationRegistry Registry { get; init; } = ImplementationRegistry.CreateDefault();

    /// <summary>Whether every shape is also measured on 1 thread up to the machine's thread count (<see cref="ParallelScaling"/>).</summary>
    public bool Scaling { get; init; }

    /// <summary>The thread counts measured: the bench's own, or the scaling ladder.</summary>
    public IReadOnlyList<int> ThreadCounts => Scaling ? ParallelScaling.Ladder(Environment.ProcessorCount, BenchRunner.Threads) : [BenchRunner.Threads];
}

namespace ConvCompare.Bench;

/// <summary>What <c>convcompare bench</c> measures.</summary>
internal sealed record BenchOptions(
    IReadOnlyList<BenchShape> Shapes, IReadOnlyList<string> Dtypes, IReadOnlyList<string> Impls, int Repeat)
{
    /// <summary>The serial implementation is the readable one and takes seconds on the large shapes, so it gets at most this many repetitions.</summary>
    public const int SerialRepeatCap = 3;

    /// <summary>How long each implementation and pass is run before timing.</summary>
    public static readonly TimeSpan WarmUpTime = TimeSpan.FromMilliseconds(300);
}

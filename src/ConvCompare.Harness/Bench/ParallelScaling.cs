using ConvCompare.Implementations;

namespace ConvCompare.Bench;

/// <summary>
/// Parallel efficiency of one implementation on one shape, dtype and pass: with T(t) the median time
/// on t threads, the speed-up is S(t) = T(1) / T(t) and the efficiency E(t) = S(t) / t (1 when t
/// threads make it t times faster, 1/t when they do not help at all).
/// </summary>
/// <param name="Shape">The shape's name.</param>
/// <param name="Group">The network, or <see cref="ReferenceGroup"/> for S1 to S4.</param>
/// <param name="Dtype">f32 or f64.</param>
/// <param name="Pass">What one call does.</param>
/// <param name="Impl">vectorized or torch.</param>
/// <param name="Variant">as-is or tuned.</param>
/// <param name="Times">Median milliseconds by thread count, ascending thread counts from 1.</param>
internal sealed record ParallelScaling(string Shape, string Group, string Dtype, BenchPass Pass, string Impl, string Variant,
    IReadOnlyList<(int Threads, double Ms)> Times)
{
    /// <summary>The group of the reference shapes in the summary.</summary>
    public const string ReferenceGroup = "S1-S4";

    /// <summary>E(t) = T(1) / (t · T(t)).</summary>
    public static double Efficiency(double oneThreadMs, int threads, double ms) => oneThreadMs / (threads * ms);

    /// <summary>
    /// The thread counts a scaling run measures: 1, 2, 4, ... up to the machine's
    /// <paramref name="processors"/>, which is always included, and the bench's own thread count <paramref name="main"/>.
    /// </summary>
    public static IReadOnlyList<int> Ladder(int processors, int main)
    {
        var counts = new SortedSet<int> { processors, main };
        for (int t = 1; t < processors; t *= 2)
            counts.Add(t);
        return [.. counts];
    }

    /// <summary>E at the most threads measured.</summary>
    public double EfficiencyAtMost => Efficiency(Times[0].Ms, Times[^1].Threads, Times[^1].Ms);

    /// <summary>Whether some thread count took longer than the next smaller one: more threads made it slower.</summary>
    public bool SlowerWithMoreThreads => Times.Zip(Times.Skip(1)).Any(p => p.Second.Ms > p.First.Ms);

    /// <summary>One entry per implementation (ConvRef's readable algorithm excluded: it is single-threaded), shape, dtype, pass and run measured on 1 thread and at least one more count.</summary>
    public static List<ParallelScaling> Of(IEnumerable<BenchMeasurement> measurements) =>
        measurements.Where(m => !BuiltInImplementations.IsReadable(m.Impl))
            .GroupBy(m => (m.Shape, m.Dtype, m.Pass, m.Impl, m.Variant))
            .Select(g => new ParallelScaling(g.Key.Shape, BenchSuites.Find(g.Key.Shape)?.Network ?? ReferenceGroup, g.Key.Dtype, g.Key.Pass, g.Key.Impl, g.Key.Variant,
                g.GroupBy(m => m.Threads).Select(t => (t.Key, t.First().MedianMs)).OrderBy(t => t.Key).ToList()))
            .Where(s => s.Times.Count > 1 && s.Times[0].Threads == 1)
            .ToList();

    /// <summary>
    /// A group's (network's or S1 to S4's) scaling in one line: the efficiency of its summed time
    /// (each layer weighted by its occurrences) at the most threads, its least efficient layer, and
    /// the layers that got slower with more threads.
    /// </summary>
    public sealed record Summary(string Group, string Dtype, BenchPass Pass, string Impl, string Variant, int Threads,
        double Efficiency, ParallelScaling Worst, IReadOnlyList<string> Slower);

    /// <summary>One summary per group, dtype, pass, implementation and run.</summary>
    public static List<Summary> Summarize(IEnumerable<ParallelScaling> scalings) =>
        scalings.GroupBy(s => (s.Group, s.Dtype, s.Pass, s.Impl, s.Variant, s.Times[^1].Threads))
            .Select(g =>
            {
                double Weight(ParallelScaling s) => BenchSuites.Find(s.Shape)?.Occurrences ?? 1;
                double one = g.Sum(s => Weight(s) * s.Times[0].Ms);
                double most = g.Sum(s => Weight(s) * s.Times[^1].Ms);
                return new Summary(g.Key.Group, g.Key.Dtype, g.Key.Pass, g.Key.Impl, g.Key.Variant, g.Key.Threads,
                    Efficiency(one, g.Key.Threads, most), g.MinBy(s => s.EfficiencyAtMost)!,
                    g.Where(s => s.SlowerWithMoreThreads).Select(s => s.Shape).ToList());
            })
            .ToList();
}

using ConvCompare.Cases;

namespace ConvCompare.Limits;

/// <summary>
/// The cost of a sweep (<c>run</c>), summed over the cases of its shard before any of them runs: the
/// work of every case, the memory of the largest case plus the results kept for the summary and the
/// reports, and the size of the reports asked for.
/// </summary>
internal static class SweepCost
{
    /// <summary>
    /// Bytes one case result takes in a JSON report, at most (ids, shapes, four tensors' metrics, the
    /// gradient check, oracle faults with their worst elements); a test measures a real report against it.
    /// </summary>
    public const int ReportBytesPerResult = 4096;

    /// <summary>
    /// Bytes one case result holds in memory until the reports are written, with what the sweep keeps
    /// warm besides it; a test measures the growth from a sweep of 300 results (two implementations and the oracle per case).
    /// </summary>
    public const int MemoryBytesPerResult = 32 << 10;

    /// <summary>The cost of the shard's cases; <paramref name="cases"/> is how many it holds (0 means nothing would be checked).</summary>
    /// <param name="generator">The sweep's generator.</param>
    /// <param name="count">Cases in the whole sweep.</param>
    /// <param name="shard">The slice that runs.</param>
    /// <param name="plan">What runs on each case.</param>
    /// <param name="implementations">Results per case (each ConvRef implementation and the oracle).</param>
    /// <param name="reports">Reports written (JSON, JUnit).</param>
    /// <param name="cases">Cases in the shard.</param>
    public static Cost Of(CaseGenerator generator, int count, Shard shard, CostPlan plan, int implementations, int reports, out int cases)
    {
        ArgumentNullException.ThrowIfNull(generator);
        double work = 0, largest = 0;
        cases = 0;
        foreach (var (_, config) in generator.Sweep(count, shard))
        {
            var cost = CaseCost.Of(config, plan);
            work += cost.Work;
            largest = Math.Max(largest, cost.Memory);
            cases++;
        }
        double results = (double)cases * implementations;
        return new Cost(work, largest + results * MemoryBytesPerResult, results * ReportBytesPerResult * reports);
    }
}

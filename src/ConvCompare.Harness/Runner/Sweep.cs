using System.Diagnostics;
using ConvCompare.Cases;

namespace ConvCompare.Runner;

/// <summary>Settings of a sweep.</summary>
/// <param name="Cases">Cases in the whole sweep (before sharding).</param>
/// <param name="Shard">Which slice runs here.</param>
/// <param name="FailFast">Stop after the first failing case.</param>
/// <param name="StrictOracle">Oracle faults count as failures (and are shrunk).</param>
/// <param name="Shrink">Shrink failing cases.</param>
internal sealed record SweepOptions(int Cases, Shard Shard, bool FailFast, bool StrictOracle, bool Shrink = true);

/// <summary>What a sweep produced.</summary>
/// <param name="Results">One result per case and implementation (the oracle's last), in case order.</param>
/// <param name="CaseCount">How many cases ran.</param>
/// <param name="StoppedEarly">Whether --fail-fast stopped it.</param>
/// <param name="Seconds">Wall time.</param>
internal sealed record SweepOutcome(IReadOnlyList<CaseResult> Results, int CaseCount, bool StoppedEarly, double Seconds);

/// <summary>Runs the generator's cases through a <see cref="CaseRunner"/>, shrinking failures.</summary>
internal sealed class Sweep(CaseGenerator generator, CaseRunner runner)
{
    /// <summary>
    /// How many failing results are shrunk. Shrinking reruns a case up to <see cref="Shrinker.DefaultMaxAttempts"/>
    /// times; when a regression fails every case, shrinking them all would take far longer than the sweep.
    /// </summary>
    public const int MaxShrunk = 3;

    /// <summary>Whether a result fails the run: a ConvRef implementation that is not verified, or under <paramref name="strictOracle"/> an oracle fault.</summary>
    public static bool Fails(CaseResult result, bool strictOracle)
    {
        ArgumentNullException.ThrowIfNull(result);
        return !result.Pass && (!result.IsOracle || strictOracle);
    }

    /// <summary>Runs the sweep; <paramref name="progress"/> gets (cases done, cases in this shard, the latest results).</summary>
    public SweepOutcome Run(SweepOptions options, Action<int, int, IReadOnlyList<CaseResult>>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        int total = Enumerable.Range(0, generator.SweepSize(options.Cases)).Count(options.Shard.Contains);
        var results = new List<CaseResult>();
        int done = 0, shrunk = 0;
        bool stopped = false;
        foreach (var (_, config) in generator.Sweep(options.Cases, options.Shard))
        {
            var caseResults = runner.Run(config)
                .Select(r => Fails(r, options.StrictOracle) && options.Shrink && shrunk++ < MaxShrunk ? WithShrunkId(r, options.StrictOracle) : r)
                .ToList();
            results.AddRange(caseResults);
            done++;
            progress?.Invoke(done, total, caseResults);
            if (options.FailFast && caseResults.Any(r => Fails(r, options.StrictOracle)))
            {
                stopped = done < total;
                break;
            }
        }
        return new SweepOutcome(results, done, stopped, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The result with the smallest variant of its case on which the same implementation still fails.</summary>
    private CaseResult WithShrunkId(CaseResult failed, bool strictOracle)
    {
        var single = runner.Only(failed.Implementation);
        var smallest = Shrinker.Shrink(failed.Config,
            c => single.Run(c).Any(r => r.Implementation == failed.Implementation && Fails(r, strictOracle)));
        return failed with { ShrunkId = CaseId.Format(smallest) };
    }
}

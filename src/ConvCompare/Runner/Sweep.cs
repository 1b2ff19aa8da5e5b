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
/// <param name="Results">One result per case and implementation, in case order.</param>
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

    /// <summary>Whether a result fails the run under <paramref name="strictOracle"/>.</summary>
    public static bool Fails(CaseResult result, bool strictOracle)
    {
        ArgumentNullException.ThrowIfNull(result);
        return !result.Pass || (strictOracle && !result.OracleAgrees);
    }

    /// <summary>Runs the sweep; <paramref name="progress"/> gets (cases done, cases in this shard, the latest results).</summary>
    public SweepOutcome Run(SweepOptions options, Action<int, int, IReadOnlyList<CaseResult>>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        int total = Enumerable.Range(0, options.Cases).Count(options.Shard.Contains);
        var results = new List<CaseResult>();
        int done = 0, shrunk = 0;
        bool stopped = false;
        foreach (var (_, config) in generator.Sweep(options.Cases, options.Shard))
        {
            var caseResults = RunGuarded(runner, config)
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

    /// <summary>Runs a case, turning an exception into failed results instead of ending the sweep.</summary>
    public static IReadOnlyList<CaseResult> RunGuarded(CaseRunner runner, CaseConfig config)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var clock = Stopwatch.StartNew();
        try
        {
            return runner.Run(config);
        }
        catch (Exception ex) when (ex is not Oracles.TorchUnavailableException and not OutOfMemoryException)
        {
            return runner.Implementations.Select(i => CaseResult.Crashed(config, i.Name, ex, clock.Elapsed.TotalSeconds)).ToList();
        }
    }

    private CaseResult WithShrunkId(CaseResult failed, bool strictOracle)
    {
        var single = new CaseRunner(runner.Implementations.Where(i => i.Name == failed.Implementation).ToList(), runner.Oracle);
        var smallest = Shrinker.Shrink(failed.Config, c => RunGuarded(single, c).Any(r => Fails(r, strictOracle)));
        return failed with { ShrunkId = CaseId.Format(smallest) };
    }
}

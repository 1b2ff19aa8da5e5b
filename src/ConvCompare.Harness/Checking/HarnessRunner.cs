using ConvCompare.Cases;
using ConvCompare.Implementations;
using ConvCompare.Runner;

namespace ConvCompare.Checking;

/// <summary>
/// The harness's runner from a program of your own: registered implementations checked on one case or on a
/// seeded sweep, each tensor judged under its rounding bound against the oracle (TorchSharp) with the
/// independent compensated reference arbitrating, and the numeric gradient checks; failures shrunk. It is
/// what <c>convcompare run</c> and <c>check</c> run.
/// </summary>
/// <example>
/// <code>
/// var runner = new HarnessRunner(new ImplementationRegistry().Register(new MyConv2d()).Implementations);
/// var results = runner.Sweep(new SweepSettings { Cases = 100 });
/// results.WriteJUnit("conv2d.xml");
/// </code>
/// </example>
public sealed class HarnessRunner
{
    private readonly CaseRunner _runner;
    private readonly string _names;

    /// <summary>A runner for <paramref name="implementations"/>, multithreaded ones on at most <paramref name="threads"/> threads.</summary>
    /// <param name="implementations">The implementations under test, at least one, with distinct names.</param>
    /// <param name="threads">Most threads of a multithreaded implementation; null for every processor.</param>
    /// <exception cref="ArgumentException">No implementation is given, or two share a name.</exception>
    public HarnessRunner(IEnumerable<IConv2dImplementation> implementations, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(implementations);
        var list = implementations.ToList();
        if (list.Count == 0 || list.Select(i => i.Name).Distinct().Count() != list.Count)
            throw new ArgumentException("a runner needs at least one implementation, each with its own name", nameof(implementations));
        if (threads is < 1)
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "at least 1 thread");
        _runner = CaseRunner.Create(list, threads);
        _names = string.Join(",", list.Select(i => i.Name));
    }

    /// <summary>Runs one case; one outcome per implementation that takes it, then the oracle's.</summary>
    /// <param name="caseId">A case id, as <c>convcompare run</c> prints them.</param>
    /// <returns>The outcomes, the oracle's last.</returns>
    /// <exception cref="ArgumentException">The id is not a case id.</exception>
    /// <exception cref="Oracles.TorchUnavailableException">libtorch, the oracle, cannot be loaded.</exception>
    public IReadOnlyList<CaseOutcome> Check(string caseId)
    {
        if (!CaseId.TryParse(caseId, out var config, out string error))
            throw new ArgumentException(error, nameof(caseId));
        return [.. _runner.Run(config).Select(r => new CaseOutcome(r))];
    }

    /// <summary>Runs the seeded sweep <paramref name="settings"/> describes, shrinking the first failures.</summary>
    /// <param name="settings">The cases and how failures count.</param>
    /// <param name="progress">Told the number of cases done after each case; may be null.</param>
    /// <returns>Every outcome, the totals and the reports.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count in <paramref name="settings"/> is out of range.</exception>
    /// <exception cref="Oracles.TorchUnavailableException">libtorch, the oracle, cannot be loaded.</exception>
    public SweepResults Sweep(SweepSettings settings, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Cases, 1, nameof(settings));
        ArgumentOutOfRangeException.ThrowIfNegative(settings.FamilyCases, nameof(settings));
        ArgumentOutOfRangeException.ThrowIfNegative(settings.SecondOrderCases, nameof(settings));
        var generator = new CaseGenerator(settings.Seed, new CaseGeneratorOptions { FamilyCases = settings.FamilyCases, SecondOrderCases = settings.SecondOrderCases });
        var outcome = new Sweep(generator, _runner).Run(new SweepOptions(settings.Cases, Shard.All, settings.FailFast, settings.StrictOracle),
            progress is null ? null : (done, _, _) => progress.Report(done));
        return SweepResults.Of(outcome, generator, settings, _names);
    }
}

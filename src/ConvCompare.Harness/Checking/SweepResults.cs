using ConvCompare.Cases;
using ConvCompare.Reports;
using ConvCompare.Runner;

namespace ConvCompare.Checking;

/// <summary>
/// What a sweep produced: one outcome per case and implementation (the oracle's last), the totals, and the
/// reports <c>convcompare run</c> writes, in the same formats (<c>merge</c> and CI read them alike).
/// </summary>
public sealed class SweepResults
{
    private readonly RunReport _report;

    internal SweepResults(RunReport report, int caseCount, bool stoppedEarly)
    {
        _report = report;
        Outcomes = [.. report.Summary.Results.Select(r => new CaseOutcome(r))];
        CaseCount = caseCount;
        StoppedEarly = stoppedEarly;
    }

    /// <summary>One outcome per case and implementation, the oracle's last of each case, in case order.</summary>
    public IReadOnlyList<CaseOutcome> Outcomes { get; }

    /// <summary>How many cases ran.</summary>
    public int CaseCount { get; }

    /// <summary>Whether <see cref="SweepSettings.FailFast"/> stopped the sweep before its last case.</summary>
    public bool StoppedEarly { get; }

    /// <summary>Wall time in seconds.</summary>
    public double Seconds => _report.Seconds;

    /// <summary>Outcomes that fail the sweep: an implementation not verified, or with <see cref="SweepSettings.StrictOracle"/> an oracle fault.</summary>
    public int Failed => _report.Summary.Failed;

    /// <summary>Oracle outcomes that did not pass (TorchSharp out of bound or threw): reported, and held against no implementation.</summary>
    public int OracleFaults => _report.Summary.OracleFaults;

    /// <summary>Whether nothing failed: the exit code of <c>run</c> would be 0.</summary>
    public bool Pass => Failed == 0;

    /// <summary>Writes the JSON report, the format of <c>run --json</c> (docs/file-formats.md).</summary>
    /// <param name="path">The file to write; replaced when it exists.</param>
    public void WriteJson(string path) => JsonReport.Write(path, _report);

    /// <summary>Writes the JUnit XML report, the format of <c>run --junit</c>: one test case per case and implementation.</summary>
    /// <param name="path">The file to write; replaced when it exists.</param>
    public void WriteJUnit(string path) => JUnitReport.Write(path, _report);

    /// <summary>The results of <paramref name="outcome"/>, described as a run of <paramref name="generator"/> over <paramref name="settings"/>.</summary>
    internal static SweepResults Of(SweepOutcome outcome, CaseGenerator generator, SweepSettings settings, string implementations) =>
        new(new RunReport("run", generator.Seed, generator.SweepSize(settings.Cases), Shard.All, CaseTiers.Name(CaseTier.Mixed), "both",
            implementations, new RunSummary(outcome.Results, settings.StrictOracle), outcome.Seconds), outcome.CaseCount, outcome.StoppedEarly);
}

using ConvCompare.Cases;
using ConvCompare.Runner;

namespace ConvCompare.Reports;

/// <summary>The worst value seen for one tensor (or the gradient check) across a run.</summary>
/// <param name="Name">y, dx, dw, db or gradcheck.</param>
/// <param name="Compared">How many results compared it.</param>
/// <param name="Failed">How many of them failed (ConvRef).</param>
/// <param name="Arbitrated">How many needed the compensated reference.</param>
/// <param name="OracleFaults">How many showed TorchSharp out of bound.</param>
/// <param name="WorstRatio">The largest bound ratio (error / tolerance for the gradient check).</param>
/// <param name="WorstId">The case with that ratio.</param>
internal sealed record TensorSummary(string Name, int Compared, int Failed, int Arbitrated, int OracleFaults, double WorstRatio, string WorstId);

/// <summary>Totals of a run: what the summary table, the JSON summary and the exit code are made of.</summary>
internal sealed class RunSummary
{
    /// <summary>Summarizes <paramref name="results"/>; with <paramref name="strictOracle"/> oracle faults count as failures.</summary>
    public RunSummary(IReadOnlyList<CaseResult> results, bool strictOracle)
    {
        ArgumentNullException.ThrowIfNull(results);
        Results = results;
        StrictOracle = strictOracle;
        Total = results.Count;
        Failed = results.Count(r => Sweep.Fails(r, strictOracle));
        Passed = Total - Failed;
        ConvRefFailures = results.Count(r => !r.Pass);
        OracleFaults = results.Count(r => !r.OracleAgrees);
        Cases = results.Select(r => r.Id).Distinct().Count();
        var rows = new List<TensorSummary>();
        foreach (var kind in TensorKinds.All)
        {
            var verdicts = results.SelectMany(r => r.Tensors.Where(t => t.Kind == kind).Select(t => (r.Id, Verdict: t))).ToList();
            var worst = verdicts.OrderByDescending(v => v.Verdict.VersusOracle.BoundRatio).FirstOrDefault();
            rows.Add(new TensorSummary(kind.Name(), verdicts.Count, verdicts.Count(v => !v.Verdict.Pass), verdicts.Count(v => v.Verdict.Arbitrated),
                verdicts.Count(v => v.Verdict.OracleFault), worst.Verdict?.VersusOracle.BoundRatio ?? 0, worst.Id ?? ""));
        }
        var checks = results.Where(r => r.Error is null).ToList();
        var worstCheck = checks.OrderByDescending(r => Ratio(r.GradCheck.MaxError, r.GradCheck.Tolerance)).FirstOrDefault();
        rows.Add(new TensorSummary("gradcheck", checks.Count, checks.Count(r => !r.GradCheck.Pass), 0, checks.Count(r => !r.OracleGradCheck.Pass),
            worstCheck is null ? 0 : Ratio(worstCheck.GradCheck.MaxError, worstCheck.GradCheck.Tolerance), worstCheck?.Id ?? ""));
        Rows = rows;
        var configs = results.Select(r => r.Config).Distinct().ToList();
        var coverage = new List<(string, int)>();
        foreach (var edge in Enum.GetValues<EdgeClass>().Where(e => e != EdgeClass.None))
            coverage.Add((EdgeClasses.Name(edge), configs.Count(c => EdgeClasses.Of(c).HasFlag(edge))));
        foreach (var activation in Enum.GetValues<ConvRef.ActivationKind>())
            coverage.Add(("activation " + CaseId.ActivationToken(activation), configs.Count(c => c.Activation == activation)));
        coverage.Add(("float32", configs.Count(c => c.Dtype == CaseDtype.F32)));
        coverage.Add(("no bias", configs.Count(c => !c.Bias)));
        coverage.Add(("clipped", configs.Count(c => c.Clip is not null)));
        Coverage = coverage;
    }

    /// <summary>How many distinct cases fall in each value class (edge classes, activations, dtype, bias, clipping).</summary>
    public IReadOnlyList<(string Class, int Cases)> Coverage { get; }

    /// <summary>The results summarized.</summary>
    public IReadOnlyList<CaseResult> Results { get; }

    /// <summary>Whether oracle faults count as failures.</summary>
    public bool StrictOracle { get; }

    /// <summary>Results (one per case and implementation).</summary>
    public int Total { get; }

    /// <summary>Results that did not fail the run.</summary>
    public int Passed { get; }

    /// <summary>Results that fail the run: ConvRef failures, and oracle faults under --strict-oracle.</summary>
    public int Failed { get; }

    /// <summary>Results where ConvRef was not verified.</summary>
    public int ConvRefFailures { get; }

    /// <summary>Results where TorchSharp was shown wrong.</summary>
    public int OracleFaults { get; }

    /// <summary>Distinct cases.</summary>
    public int Cases { get; }

    /// <summary>Per tensor and the gradient check: counts and the worst ratio with its case.</summary>
    public IReadOnlyList<TensorSummary> Rows { get; }

    /// <summary>The process exit code: 0 when nothing failed, 1 otherwise.</summary>
    public int ExitCode => Failed == 0 ? 0 : 1;

    private static double Ratio(double error, double tolerance) =>
        double.IsFinite(error) && double.IsFinite(tolerance) ? error / tolerance : double.PositiveInfinity;
}

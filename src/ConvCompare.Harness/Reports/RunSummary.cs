using ConvCompare.Cases;
using ConvCompare.Runner;

namespace ConvCompare.Reports;

/// <summary>How one implementation fared in one row of the summary (a tensor, the gradient check, or the whole run).</summary>
/// <param name="Implementation">serial, vectorized or torch.</param>
/// <param name="IsOracle">Whether it is the oracle, whose failures are oracle faults.</param>
/// <param name="Compared">How many of its results the row covers, crashed ones included.</param>
/// <param name="Failed">How many of them failed, crashed ones included.</param>
/// <param name="Crashed">How many of them failed because the implementation threw.</param>
internal sealed record ImplementationCount(string Implementation, bool IsOracle, int Compared, int Failed, int Crashed);

/// <summary>One tensor (or the gradient check) across a run: each implementation's failures, and the worst ConvRef ratio.</summary>
/// <param name="Name">y, dx, dw, db or gradcheck; at second order also d2x, d2w, d2dy and gradgradcheck.</param>
/// <param name="Counts">Per implementation, in the order the results name them (the oracle last).</param>
/// <param name="Arbitrated">How many verdicts the compensated reference gave.</param>
/// <param name="WorstRatio">The largest bound ratio of a ConvRef implementation (error / tolerance for the gradient check).</param>
/// <param name="WorstId">The case with that ratio.</param>
internal sealed record TensorSummary(string Name, IReadOnlyList<ImplementationCount> Counts, int Arbitrated, double WorstRatio, string WorstId)
{
    /// <summary>ConvRef results this row covers.</summary>
    public int Compared => Counts.Where(c => !c.IsOracle).Sum(c => c.Compared);

    /// <summary>ConvRef failures (crashes included).</summary>
    public int Failed => Counts.Where(c => !c.IsOracle).Sum(c => c.Failed);

    /// <summary>Oracle faults (crashes included).</summary>
    public int OracleFaults => Counts.Where(c => c.IsOracle).Sum(c => c.Failed);

    /// <summary>Results of any implementation that threw.</summary>
    public int Crashed => Counts.Sum(c => c.Crashed);
}

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
        ConvRefFailures = results.Count(r => !r.IsOracle && !r.Pass);
        OracleFaults = results.Count(r => r.IsOracle && !r.Pass);
        Cases = results.Select(r => r.Id).Distinct().Count();
        var byImplementation = results.GroupBy(r => (r.Implementation, r.IsOracle)).OrderBy(g => g.Key.IsOracle).ToList();
        Implementations = [.. byImplementation.Select(g => Count(g.Key, g, r => !r.Pass))];
        var rows = new List<TensorSummary>();
        // Second-order rows only when the run has a case of order 2, so that a first-order summary is what it was.
        bool secondOrder = results.Any(r => r.Config.Order == 2);
        // dL/dz^(l-1)'s row only when some case judges it (order 2 with an activation below).
        bool previousZ = results.Any(r => TensorKinds.Judged(r.Config).Contains(TensorKind.D2z));
        foreach (var kind in TensorKinds.All.Concat(secondOrder ? TensorKinds.SecondOrder : []).Concat(previousZ ? [TensorKind.D2z] : []))
        {
            var counts = byImplementation.Select(g => Count(g.Key, g.Where(r => TensorKinds.Judged(r.Config).Contains(kind)),
                r => r.Tensors.Any(t => t.Kind == kind && !t.Pass))).ToList();
            var verdicts = results.SelectMany(r => r.Tensors.Where(t => t.Kind == kind).Select(t => (Result: r, Verdict: t))).ToList();
            var worst = verdicts.Where(v => !v.Result.IsOracle).OrderByDescending(v => v.Verdict.Judged.BoundRatio).FirstOrDefault();
            rows.Add(new TensorSummary(kind.Name(), counts, verdicts.Count(v => v.Verdict.Arbitrated),
                worst.Verdict?.Judged.BoundRatio ?? 0, worst.Result?.Id ?? ""));
        }
        var gradcheckCounts = byImplementation.Select(g => Count(g.Key, g, r => r.GradCheck is { Pass: false })).ToList();
        var worstCheck = results.Where(r => !r.IsOracle && r.GradCheck is not null)
            .OrderByDescending(r => Ratio(r.GradCheck!.MaxError, r.GradCheck.Tolerance)).FirstOrDefault();
        rows.Add(new TensorSummary("gradcheck", gradcheckCounts, 0,
            worstCheck is null ? 0 : Ratio(worstCheck.GradCheck!.MaxError, worstCheck.GradCheck.Tolerance), worstCheck?.Id ?? ""));
        if (secondOrder)
        {
            var ordered = byImplementation.Select(g => (g.Key, Results: g.Where(r => r.Config.Order == 2))).ToList();
            var worstSecond = results.Where(r => !r.IsOracle && r.GradGradCheck is not null)
                .OrderByDescending(r => Ratio(r.GradGradCheck!.MaxError, r.GradGradCheck.Tolerance)).FirstOrDefault();
            rows.Add(new TensorSummary("gradgradcheck", [.. ordered.Select(o => Count(o.Key, o.Results, r => r.GradGradCheck is not { Pass: true }))], 0,
                worstSecond is null ? 0 : Ratio(worstSecond.GradGradCheck!.MaxError, worstSecond.GradGradCheck.Tolerance), worstSecond?.Id ?? ""));
        }
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
        if (secondOrder)
            coverage.Add(("second order", configs.Count(c => c.Order == 2)));
        foreach (var op in CaseOps.All)
            coverage.Add((op.Name(), configs.Count(c => c.Op == op)));
        foreach (var mode in CaseOps.Modes)
            coverage.Add(("padding " + mode.Token(), configs.Count(c => c.PaddingMode == mode)));
        coverage.Add(("padding same", configs.Count(c => c.Family?.Padding == CasePadding.Same)));
        coverage.Add(("padding valid", configs.Count(c => c.Family?.Padding == CasePadding.Valid)));
        coverage.Add(("unbatched", configs.Count(c => c.Family is { Batched: false })));
        Coverage = coverage;
    }

    /// <summary>How many distinct cases fall in each value class (edge classes, activations, dtype, bias, clipping, operations, padding modes and spellings, unbatched input).</summary>
    public IReadOnlyList<(string Class, int Cases)> Coverage { get; }

    /// <summary>The results summarized.</summary>
    public IReadOnlyList<CaseResult> Results { get; }

    /// <summary>Whether oracle faults count as failures.</summary>
    public bool StrictOracle { get; }

    /// <summary>Results: one per case and implementation, the oracle's included.</summary>
    public int Total { get; }

    /// <summary>Results that did not fail the run (oracle faults among them unless --strict-oracle).</summary>
    public int Passed { get; }

    /// <summary>Results that fail the run: ConvRef failures, and oracle faults under --strict-oracle.</summary>
    public int Failed { get; }

    /// <summary>Results where a ConvRef implementation was not verified (crashes included).</summary>
    public int ConvRefFailures { get; }

    /// <summary>Results where the oracle was out of bound or threw.</summary>
    public int OracleFaults { get; }

    /// <summary>Per implementation over the whole run (the oracle last).</summary>
    public IReadOnlyList<ImplementationCount> Implementations { get; }

    /// <summary>Distinct cases.</summary>
    public int Cases { get; }

    /// <summary>Per tensor and the gradient check: counts and the worst ratio with its case.</summary>
    public IReadOnlyList<TensorSummary> Rows { get; }

    /// <summary>The process exit code: 0 when nothing failed, 1 otherwise.</summary>
    public int ExitCode => Failed == 0 ? 0 : 1;

    /// <summary>How many of <paramref name="results"/> failed by <paramref name="failed"/> or by throwing.</summary>
    private static ImplementationCount Count((string Implementation, bool IsOracle) key, IEnumerable<CaseResult> results, Func<CaseResult, bool> failed)
    {
        var list = results.ToList();
        return new ImplementationCount(key.Implementation, key.IsOracle, list.Count, list.Count(r => r.Crashed || failed(r)), list.Count(r => r.Crashed));
    }

    private static double Ratio(double error, double tolerance) =>
        double.IsFinite(error) && double.IsFinite(tolerance) ? error / tolerance : double.PositiveInfinity;
}

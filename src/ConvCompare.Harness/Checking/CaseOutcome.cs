using ConvCompare.Cases;
using ConvCompare.Reports;
using ConvCompare.Runner;

namespace ConvCompare.Checking;

/// <summary>
/// Everything known about one case run with one implementation, or with the oracle: whether it is verified,
/// each tensor's verdict, the numeric gradient check, and the exception when it threw.
/// </summary>
public sealed record CaseOutcome
{
    internal CaseOutcome(CaseResult result)
    {
        Result = result;
        CaseId = result.Id;
        Implementation = result.Implementation;
        IsOracle = result.IsOracle;
        Pass = result.Pass;
        Error = result.Error;
        ShrunkId = result.ShrunkId;
        Seconds = result.Seconds;
        GradientCheckPass = result.GradCheck?.Pass is not false && result.GradGradCheck?.Pass is not false && !result.Crashed;
        Tensors = [.. result.Tensors.Select(t => new TensorOutcome(t.Kind.Name(), ReportSchema.JudgedAgainst(result.IsOracle, t.Arbitrated),
            t.Judged.BoundRatio, t.Pass, t.Evidence))];
    }

    /// <summary>The case, as <c>convcompare check</c> takes it.</summary>
    public string CaseId { get; }

    /// <summary>The registered implementation's name, or the oracle's.</summary>
    public string Implementation { get; }

    /// <summary>Whether this is the oracle's outcome: its failures are oracle faults, never held against an implementation.</summary>
    public bool IsOracle { get; }

    /// <summary>Verified: it ran, every tensor is within its bound, and the numeric gradient checks pass.</summary>
    public bool Pass { get; }

    /// <summary>The exception it threw on the case (type and first line), else null.</summary>
    public string? Error { get; }

    /// <summary>The smallest variant of the case on which it still fails, when the sweep shrank this failure; else null.</summary>
    public string? ShrunkId { get; }

    /// <summary>Wall time, including this outcome's share of the work common to every implementation.</summary>
    public double Seconds { get; }

    /// <summary>Whether the numeric gradient check (and at second order the second-order one) passed; false when it threw.</summary>
    public bool GradientCheckPass { get; }

    /// <summary>One verdict per compared tensor; empty when it threw.</summary>
    public IReadOnlyList<TensorOutcome> Tensors { get; }

    /// <summary>The runner's result, which the reports write.</summary>
    internal CaseResult Result { get; }
}

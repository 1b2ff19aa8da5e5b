using ConvCompare.Cases;
using ConvCompare.GradCheck;

namespace ConvCompare.Runner;

/// <summary>Everything known about one case run with one ConvRef implementation.</summary>
/// <param name="Config">The case.</param>
/// <param name="Implementation">serial or vectorized.</param>
/// <param name="Tensors">One verdict per compared tensor (db only with bias).</param>
/// <param name="GradCheck">ConvRef's float64 gradients against central differences.</param>
/// <param name="OracleGradCheck">TorchSharp's float64 gradients against the same central differences (a sanity check of the oracle).</param>
/// <param name="OracleFaults">Where TorchSharp was out of bound; empty when it agrees.</param>
/// <param name="Seconds">Wall time of this result, including its share of the work common to all implementations.</param>
internal sealed record CaseResult(CaseConfig Config, string Implementation, IReadOnlyList<TensorVerdict> Tensors,
    GradCheckResult GradCheck, GradCheckResult OracleGradCheck, IReadOnlyList<OracleFault> OracleFaults, double Seconds)
{
    /// <summary>The case id.</summary>
    public string Id => CaseId.Format(Config);

    /// <summary>ConvRef verified: it ran, and every tensor and the numeric gradient check pass.</summary>
    public bool Pass => Error is null && Tensors.All(t => t.Pass) && GradCheck.Pass;

    /// <summary>The exception message when the case could not be computed (ConvRef or TorchSharp threw), else null.</summary>
    public string? Error { get; init; }

    /// <summary>A failed result for a case whose computation threw.</summary>
    public static CaseResult Crashed(CaseConfig config, string implementation, Exception exception, double seconds)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var none = new GradCheckResult(implementation, GradCheckMode.Fast, 0, double.NaN, double.NaN, "", false);
        return new CaseResult(config, implementation, [], none, none with { Against = "torch" }, [], seconds)
        {
            Error = exception.GetType().Name + ": " + exception.Message.Split('\n')[0],
        };
    }

    /// <summary>TorchSharp agreed everywhere it was checked.</summary>
    public bool OracleAgrees => OracleFaults.Count == 0;

    /// <summary>The id of the smallest still-failing case the shrinker found, when this result failed.</summary>
    public string? ShrunkId { get; init; }
}

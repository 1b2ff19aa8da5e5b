using ConvCompare.Cases;
using ConvCompare.GradCheck;

namespace ConvCompare.Runner;

/// <summary>Everything known about one case run with one implementation: a ConvRef algorithm or the oracle.</summary>
/// <param name="Config">The case.</param>
/// <param name="Implementation">serial, vectorized or torch.</param>
/// <param name="IsOracle">Whether this is the oracle (TorchSharp), whose failures are oracle faults rather than ConvRef's.</param>
/// <param name="Tensors">One verdict per compared tensor (db only with bias); empty when the implementation threw.</param>
/// <param name="GradCheck">The implementation's float64 gradients against central differences; null when it threw.</param>
/// <param name="Seconds">Wall time of this result, including its share of the work common to all implementations.</param>
internal sealed record CaseResult(CaseConfig Config, string Implementation, bool IsOracle, IReadOnlyList<TensorVerdict> Tensors,
    GradCheckResult? GradCheck, double Seconds)
{
    /// <summary>The case id.</summary>
    public string Id => CaseId.Format(Config);

    /// <summary>
    /// The implementation's float64 double backward against central differences of the harness's first-order
    /// sums (<see cref="SecondOrderCheck"/>), for a case of order 2; null at order 1 or when it threw.
    /// </summary>
    public GradCheckResult? GradGradCheck { get; init; }

    /// <summary>Verified: it ran, and every tensor and the numeric gradient check (at order 2 also the second-order one) pass.</summary>
    public bool Pass => Error is null && Tensors.All(t => t.Pass) && GradCheck is { Pass: true } && (Config.Order == 1 || GradGradCheck is { Pass: true });

    /// <summary>The exception this implementation threw on the case (type and first line of the message), else null.</summary>
    public string? Error { get; init; }

    /// <summary>Whether the implementation threw.</summary>
    public bool Crashed => Error is not null;

    /// <summary>The result of an implementation that threw: a failure of that implementation alone.</summary>
    public static CaseResult Threw(CaseConfig config, string implementation, bool isOracle, string error, double seconds) =>
        new(config, implementation, isOracle, [], null, seconds) { Error = error };

    /// <summary>The id of the smallest still-failing case the shrinker found, when this result failed.</summary>
    public string? ShrunkId { get; init; }
}

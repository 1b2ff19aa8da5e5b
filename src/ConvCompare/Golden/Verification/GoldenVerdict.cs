using ConvCompare.Cases;
using ConvCompare.Comparison;

namespace ConvCompare.Golden.Verification;

/// <summary>One implementation's agreement with one golden file.</summary>
/// <param name="Implementation">The engine's name: serial, vectorized or torch.</param>
/// <param name="IsOracle">Whether this is TorchSharp (its disagreement is an oracle fault) rather than ConvRef.</param>
/// <param name="Tensors">y, dx, dw (and db) compared with the file; empty when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the implementation produced no result (it threw), or null.</param>
internal sealed record ImplementationVerdict(string Implementation, bool IsOracle, IReadOnlyList<TensorComparison> Tensors, string? Error)
{
    public bool Pass => Error is null && Tensors.All(t => t.Pass);

    /// <summary>The names of the tensors out of bound, e.g. <c>dw</c>.</summary>
    public IEnumerable<string> FailedTensors => Tensors.Where(t => !t.Pass).Select(t => t.Kind.Name());
}

/// <summary>Everything checked for one golden file.</summary>
/// <param name="File">The file as the user named it.</param>
/// <param name="Case">The case read from it; null when it could not be read.</param>
/// <param name="Error">Why the file could not be used (one sentence naming the file), or null.</param>
/// <param name="Verdicts">One per implementation requested; empty for an unusable file.</param>
internal sealed record GoldenFileVerdict(string File, GoldenCase? Case, string? Error, IReadOnlyList<ImplementationVerdict> Verdicts)
{
    /// <summary>The file was usable and every requested ConvRef implementation agrees with it. TorchSharp does not count here.</summary>
    public bool Pass => Error is null && Verdicts.Where(v => !v.IsOracle).All(v => v.Pass);

    /// <summary>TorchSharp was asked and disagrees with the file: an oracle fault.</summary>
    public bool OracleFault => Verdicts.Any(v => v.IsOracle && !v.Pass);

    /// <summary>TorchSharp's verdict, when it was asked.</summary>
    public ImplementationVerdict? Oracle => Verdicts.FirstOrDefault(v => v.IsOracle);
}

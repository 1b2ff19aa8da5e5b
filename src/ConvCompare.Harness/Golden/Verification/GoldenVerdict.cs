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
    /// <summary>
    /// Compared with the compensated reference instead of the file, for the tensors whose expected
    /// values are out of bound of the reference (a file fault): there the file cannot judge.
    /// </summary>
    public IReadOnlyList<TensorComparison> VersusReference { get; init; } = [];

    /// <summary>What each tensor is judged by: the comparison with the reference where the file is at fault, else with the file.</summary>
    public IEnumerable<TensorComparison> Judged => Tensors.Select(t => VersusReference.FirstOrDefault(r => r.Kind == t.Kind) ?? t);

    /// <summary>It ran, and every tensor is within bound of what it is judged by.</summary>
    public bool Pass => Error is null && Judged.All(t => t.Pass);

    /// <summary>The names of the tensors out of bound, e.g. <c>dw</c>.</summary>
    public IEnumerable<string> FailedTensors => Judged.Where(t => !t.Pass).Select(t => t.Kind.Name());

    /// <summary>Whether <paramref name="kind"/> is judged against the reference (the file is at fault there).</summary>
    public bool JudgedByReference(TensorKind kind) => VersusReference.Any(r => r.Kind == kind);
}

/// <summary>Everything checked for one golden file.</summary>
/// <param name="File">The file as the user named it.</param>
/// <param name="Case">The case read from it; null when it could not be read.</param>
/// <param name="Error">Why the file could not be used (one sentence naming the file), or null.</param>
/// <param name="Verdicts">One per implementation requested; empty for an unusable file.</param>
internal sealed record GoldenFileVerdict(string File, GoldenCase? Case, string? Error, IReadOnlyList<ImplementationVerdict> Verdicts)
{
    /// <summary>
    /// The compensated reference against the file's expected values, for every tensor it arbitrated
    /// (some implementation disagreed with the file there). One that fails is a file fault.
    /// </summary>
    public IReadOnlyList<TensorComparison> ReferenceVersusFile { get; init; } = [];

    /// <summary>The tensors whose expected values are out of bound of the compensated reference.</summary>
    public IReadOnlyList<TensorComparison> FileFaults => [.. ReferenceVersusFile.Where(t => !t.Pass)];

    /// <summary>The file's expected values are wrong somewhere: a bad input file, not an implementation's failure.</summary>
    public bool FileFault => ReferenceVersusFile.Any(t => !t.Pass);

    /// <summary>Some requested ConvRef implementation is out of bound (of the file, or of the reference where the file is at fault).</summary>
    public bool ConvRefFails => Error is null && Verdicts.Any(v => !v.IsOracle && !v.Pass);

    /// <summary>The file was usable, its expected values hold, and every requested ConvRef implementation agrees with it. TorchSharp does not count here.</summary>
    public bool Pass => Error is null && !FileFault && !ConvRefFails;

    /// <summary>TorchSharp was asked and is out of bound (or threw): an oracle fault.</summary>
    public bool OracleFault => Verdicts.Any(v => v.IsOracle && !v.Pass);

    /// <summary>TorchSharp's verdict, when it was asked.</summary>
    public ImplementationVerdict? Oracle => Verdicts.FirstOrDefault(v => v.IsOracle);
}

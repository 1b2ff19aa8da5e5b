using ConvCompare.Cases;
using ConvCompare.Comparison;

namespace ConvCompare.Runner;

/// <summary>
/// The verdict on one tensor: ConvRef against the oracle under the two-implementation bound and,
/// when they disagree beyond it, both against the compensated reference under each one's own bound.
/// </summary>
/// <param name="Kind">Which tensor.</param>
/// <param name="VersusOracle">ConvRef against TorchSharp (same dtype).</param>
/// <param name="ConvRefVersusReference">ConvRef against the compensated reference, when arbitration was needed.</param>
/// <param name="OracleVersusReference">TorchSharp against the compensated reference, when arbitration was needed.</param>
internal sealed record TensorVerdict(TensorKind Kind, TensorComparison VersusOracle,
    TensorComparison? ConvRefVersusReference, TensorComparison? OracleVersusReference)
{
    /// <summary>Whether the reference had to arbitrate.</summary>
    public bool Arbitrated => ConvRefVersusReference is not null;

    /// <summary>ConvRef verified: within bound of the oracle, or, after arbitration, of the reference.</summary>
    public bool Pass => VersusOracle.Pass || ConvRefVersusReference is { Pass: true };

    /// <summary>TorchSharp out of bound of the reference.</summary>
    public bool OracleFault => OracleVersusReference is { Pass: false };
}

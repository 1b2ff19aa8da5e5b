using ConvCompare.Cases;

namespace ConvCompare.Runner;

/// <summary>
/// Something that computes a case's y, dx (or delta^(l-1)), dw (clamped when the case clips) and db:
/// ConvRef (the implementation under test) or TorchSharp (the oracle). Tests wrap engines to plant errors.
/// </summary>
internal interface ILayerEngine
{
    /// <summary>A short name for reports: serial, vectorized, torch.</summary>
    string Name { get; }

    /// <summary>Computes the case's outputs in <paramref name="dtype"/> from the (dtype-exact) inputs.</summary>
    CaseOutputs Compute(CaseConfig config, CaseInputs inputs, CaseDtype dtype);

    /// <summary>Whether the engine takes <paramref name="config"/> at all (its dtype and the layer's features); a case it does not take is not its failure.</summary>
    bool Supports(CaseConfig config) => true;
}

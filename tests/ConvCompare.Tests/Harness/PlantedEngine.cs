using ConvCompare.Cases;
using global::ConvRef;

namespace ConvCompare.Tests.Harness;

/// <summary>
/// Wraps an engine and adds <paramref name="delta"/> (times max|tensor|, so the error is relative)
/// to one element of one output, for the cases and computing dtypes <paramref name="when"/> selects: a planted error.
/// </summary>
internal sealed class PlantedEngine(ILayerEngine inner, TensorKind kind, int element, double delta, Func<CaseConfig, CaseDtype, bool>? when = null) : ILayerEngine
{
    public string Name => inner.Name;

    public CaseOutputs Compute(CaseConfig config, CaseInputs inputs, CaseDtype dtype)
    {
        var outputs = inner.Compute(config, inputs, dtype);
        if (when is not null && !when(config, dtype))
            return outputs;
        var tensor = outputs[kind]!.Clone();
        double scale = tensor.Data.Max(Math.Abs);
        tensor.Data[element] += delta * scale;
        return outputs.With(kind, tensor);
    }
}

using ConvCompare.Cases;
using ConvCompare.Runner;
using global::ConvRef;

namespace ConvCompare.Tests.Harness;

/// <summary>
/// Wraps an engine and plants a bug in it, for the cases and computing dtypes <c>when</c> selects:
/// either a value error, <c>delta</c> (times max|tensor|, so the error is relative; an all-zero tensor
/// gets <c>delta</c> itself) added to one element of one output, or an exception thrown instead of
/// any output (<see cref="Throwing"/>).
/// </summary>
internal sealed class PlantedEngine : ILayerEngine
{
    private readonly ILayerEngine _inner;
    private readonly TensorKind _kind;
    private readonly int _element;
    private readonly double _delta;
    private readonly string? _exceptionMessage;
    private readonly Func<CaseConfig, CaseDtype, bool>? _when;

    public PlantedEngine(ILayerEngine inner, TensorKind kind, int element, double delta, Func<CaseConfig, CaseDtype, bool>? when = null)
        : this(inner, kind, element, delta, null, when)
    {
    }

    private PlantedEngine(ILayerEngine inner, TensorKind kind, int element, double delta, string? exceptionMessage, Func<CaseConfig, CaseDtype, bool>? when)
    {
        _inner = inner;
        _kind = kind;
        _element = element;
        _delta = delta;
        _exceptionMessage = exceptionMessage;
        _when = when;
    }

    /// <summary>An engine that throws an <see cref="InvalidOperationException"/> with <paramref name="message"/> where <paramref name="when"/> holds.</summary>
    public static PlantedEngine Throwing(ILayerEngine inner, string message, Func<CaseConfig, CaseDtype, bool>? when = null) =>
        new(inner, TensorKind.Y, 0, 0, message, when);

    public string Name => _inner.Name;

    public CaseOutputs Compute(CaseConfig config, CaseInputs inputs, CaseDtype dtype)
    {
        if (_when is not null && !_when(config, dtype))
            return _inner.Compute(config, inputs, dtype);
        if (_exceptionMessage is not null)
            throw new InvalidOperationException(_exceptionMessage);
        var outputs = _inner.Compute(config, inputs, dtype);
        var tensor = outputs[_kind]!.Clone();
        double scale = tensor.Data.Max(Math.Abs);
        tensor.Data[_element] += _delta * (scale > 0 ? scale : 1);
        return outputs.With(_kind, tensor);
    }
}

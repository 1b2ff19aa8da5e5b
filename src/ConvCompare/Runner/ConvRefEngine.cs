using System.Numerics;
using ConvCompare.Cases;
using ConvRef;

namespace ConvCompare.Runner;

/// <summary>ConvRef, the implementation under test, with one of its two algorithms.</summary>
internal sealed class ConvRefEngine(Conv2dAlgorithm algorithm) : ILayerEngine
{
    /// <summary>The algorithm this engine runs.</summary>
    public Conv2dAlgorithm Algorithm { get; } = algorithm;

    /// <inheritdoc />
    public string Name => Algorithm == Conv2dAlgorithm.Serial ? "serial" : "vectorized";

    /// <inheritdoc />
    public CaseOutputs Compute(CaseConfig config, CaseInputs inputs, CaseDtype dtype) =>
        dtype == CaseDtype.F32 ? Compute<float>(config, inputs) : Compute<double>(config, inputs);

    private CaseOutputs Compute<T>(CaseConfig config, CaseInputs inputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = inputs.Input.Cast<T>();
        var w = inputs.Weights.Cast<T>();
        var b = inputs.Bias?.Cast<T>();
        var y = Conv2d.Forward(a, w, b, config.Spec, Algorithm);
        var options = new BackwardOptions<T>
        {
            PreviousActivation = config.PreviousActivation,
            PreviousZ = inputs.PreviousZ?.Cast<T>(),
            ClipValue = config.Clip is { } c ? T.CreateChecked(c) : null,
        };
        var grads = Conv2d.Backward(a, w, config.Bias, inputs.Upstream.Cast<T>(), config.Spec, options, Algorithm);
        return new CaseOutputs(y.Cast<double>(), grads.Input.Cast<double>(), grads.Weights.Cast<double>(), grads.Bias?.Cast<double>());
    }
}

using ConvCompare.Cases;
using ConvCompare.Runner;
using ConvRef;

namespace ConvCompare.Explain.Examples;

/// <summary>
/// States one example layer as a harness case, so the walk-through asks autograd through the same
/// <see cref="ILayerEngine"/> (the harness's TorchOracle, float64) the comparison sweep uses.
/// </summary>
internal static class LayerCase
{
    /// <summary>
    /// The case for input a^(l-1), weights w, optional bias b, upstream error δ and stride, with no
    /// padding, dilation 1, one group. With <paramref name="previousZ"/> (and a = ReLU(z^(l-1))) the
    /// input gradient is δ^(l-1) through ReLU (Eq 6/8); otherwise dJ/da.
    /// </summary>
    public static (CaseConfig Config, CaseInputs Inputs) Create(Tensor<double> input, Tensor<double> weights,
        Tensor<double>? bias, Tensor<double> delta, int stride, Tensor<double>? previousZ = null)
    {
        var config = new CaseConfig(
            Shape: new(N: input.Shape[0], Cin: input.Shape[1], H: input.Shape[2], W: input.Shape[3],
                Cout: weights.Shape[0], KH: weights.Shape[2], KW: weights.Shape[3]),
            Geometry: new() { StrideH = stride, StrideW = stride },
            Bias: bias is not null, Dtype: CaseDtype.F64,
            Activation: previousZ is null ? ActivationKind.Identity : ActivationKind.ReLU, Clip: null, ValueSeed: 0);
        return (config, new CaseInputs(input, weights, bias, delta, previousZ));
    }

    /// <summary>Runs <paramref name="engine"/> on the case in float64.</summary>
    public static CaseOutputs Run(ILayerEngine engine, Tensor<double> input, Tensor<double> weights,
        Tensor<double>? bias, Tensor<double> delta, int stride, Tensor<double>? previousZ = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var (config, inputs) = Create(input, weights, bias, delta, stride, previousZ);
        return engine.Compute(config, inputs, CaseDtype.F64);
    }
}

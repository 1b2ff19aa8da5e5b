using ConvCompare.Cases;
using ConvCompare.Runner;
using ConvRef;
using TorchSharp;
using static TorchSharp.torch;

namespace ConvCompare.Oracles;

/// <summary>
/// The oracle: TorchSharp (libtorch) autograd on the same values, through <see cref="TorchConvolutions"/>,
/// the one place that turns a convolution's hyperparameters into TorchSharp calls (asymmetric padding by
/// <c>pad</c> first, since conv2d pads symmetrically). The gradients come from backward of
/// J = sum(y .* dy); with an activation, delta^(l-1) is autograd's vector-Jacobian product of g at
/// z^(l-1) applied to dJ/da, i.e. torch's own g'; with clipping, dJ/dw is clamped as ConvRef does.
/// A second-order case also takes autograd's double backward (<see cref="TorchDoubleBackward"/>).
/// </summary>
internal sealed class TorchOracle : ILayerEngine
{
    /// <summary>
    /// Loads libtorch and makes it compute on one thread. Harness cases are tiny (at most a few
    /// hundred thousand multiply-adds), and on a loaded 2-core machine OpenMP's spin-waiting made each
    /// conv2d call take 100-300 ms with 2 threads against 0.5-1.5 ms with one (measured here). The
    /// thread count only changes the order of summation, which the rounding bounds already cover.
    /// </summary>
    /// <exception cref="TorchUnavailableException">libtorch cannot be loaded.</exception>
    public TorchOracle()
    {
        TorchRuntime.EnsureLoaded();
        set_num_threads(1);
    }

    /// <inheritdoc />
    public string Name => Implementations.BuiltInImplementations.OracleName;

    /// <inheritdoc />
    public CaseOutputs Compute(CaseConfig config, CaseInputs inputs, CaseDtype dtype)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(inputs);
        var type = dtype == CaseDtype.F32 ? ScalarType.Float32 : ScalarType.Float64;
        var (op, spec) = config.Family is { } family
            ? (config.Op.Convolution(), family.Spec(config.Geometry))
            : (Convolution.Conv2d, TorchConvolutions.FamilySpec(config.Spec));
        var result = TorchConvolutions.Compute(op, spec, inputs.Input, inputs.Weights, inputs.Bias,
            inputs.Upstream, config.ConvRefActivation, inputs.PreviousZ, config.Clip, type);
        SecondOrderOutputs? secondOrder = null;
        if (inputs.SecondOrder is { } gg)
        {
            var d = TorchDoubleBackward.Compute(op, spec, inputs.Input, inputs.Weights, inputs.Upstream, gg.Input, gg.Weights, gg.Bias,
                config.ConvRefActivation, inputs.PreviousZ, config.Clip, type);
            secondOrder = new SecondOrderOutputs(d.Input, d.Weights, d.Delta) { PreviousZ = d.PreviousZ };
        }
        return new CaseOutputs(result.Output, result.InputGradient, result.WeightGradient, result.BiasGradient) { SecondOrder = secondOrder };
    }
}

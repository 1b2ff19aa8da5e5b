using ConvCompare.Oracles;
using ConvRef;

namespace ConvCompare.Explain.Examples;

/// <summary>TorchSharp autograd in float64 through the harness's own wrappers, <see cref="TorchConvolutions"/> and <see cref="TorchDoubleBackward"/>.</summary>
internal sealed class TorchFamilyAutograd : IFamilyAutograd
{
    /// <summary>Loads libtorch.</summary>
    /// <exception cref="TorchUnavailableException">libtorch cannot be loaded.</exception>
    public TorchFamilyAutograd() => TorchRuntime.EnsureLoaded();

    /// <inheritdoc />
    public TorchConvolutions.Result Gradients(Convolution op, ConvSpec spec, Tensor<double> input, Tensor<double> weights, Tensor<double> upstream) =>
        TorchConvolutions.Compute(op, spec, input, weights, null, upstream);

    /// <inheritdoc />
    public TorchDoubleBackward.Result DoubleBackward(Convolution op, ConvSpec spec, Tensor<double> input, Tensor<double> weights,
        Tensor<double> delta, Conv2dGradients<double> upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        return TorchDoubleBackward.Compute(op, spec, input, weights, delta, upstream.Input, upstream.Weights, upstream.Bias);
    }
}

using ConvCompare.Oracles;
using ConvRef;

namespace ConvCompare.Explain.Examples;

/// <summary>
/// Autograd's numbers for the pages on the convolution family and the second order, in float64: the
/// one place those pages ask, so a test can plant an error in what autograd says.
/// </summary>
internal interface IFamilyAutograd
{
    /// <summary>y = op(input, weights) without bias, and the gradients of J = Σ y ⊙ <paramref name="upstream"/>.</summary>
    TorchConvolutions.Result Gradients(Convolution op, ConvSpec spec, Tensor<double> input, Tensor<double> weights, Tensor<double> upstream);

    /// <summary>
    /// The double backward (backward taken with <c>create_graph</c>, then differentiated again) at
    /// (input, weights, δ) for the upstream gradients gg_a, gg_w, gg_b of dJ/da, dJ/dw, dJ/db.
    /// </summary>
    TorchDoubleBackward.Result DoubleBackward(Convolution op, ConvSpec spec, Tensor<double> input, Tensor<double> weights,
        Tensor<double> delta, Conv2dGradients<double> upstream);
}

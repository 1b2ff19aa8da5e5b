using ConvRef;
using TorchSharp;
using static TorchSharp.torch;

namespace ConvCompare.Oracles;

/// <summary>
/// The double backward of every <see cref="Convolution"/> through TorchSharp's autograd, as PyTorch's
/// <c>gradgradcheck</c> differentiates: the backward pass taken with <c>create_graph: true</c>, so that it is
/// itself a graph, then a second <c>autograd.grad</c> of L = Σ gg_a ⊙ dJ/dx + Σ gg_w ⊙ dJ/dw + Σ gg_b ⊙ dJ/db
/// with respect to x, w, δ and z^(l-1). Shares no code with ConvRef's double backward; the forward pass is
/// <see cref="TorchConvolutions.Apply"/>.
/// </summary>
/// <remarks>
/// With an activation below, dJ/dx is autograd's vector-Jacobian product of g at z^(l-1) applied to the
/// convolution's input gradient, so g'' comes from libtorch's own double backward of g; with clipping,
/// dJ/dw is clamped and autograd differentiates the clamp. The first-order graph is used twice (by the
/// activation's product and by L), so those calls pass <c>retain_graph: true</c>.
/// </remarks>
internal static class TorchDoubleBackward
{
    /// <summary>dL/dx, dL/dw, dL/dδ and (with z^(l-1)) dL/dz^(l-1), as float64 ConvRef tensors.</summary>
    public sealed record Result(Tensor<double> Input, Tensor<double> Weights, Tensor<double> Delta, Tensor<double>? PreviousZ);

    /// <summary>
    /// The double backward at (<paramref name="input"/>, <paramref name="weights"/>, <paramref name="delta"/>,
    /// <paramref name="previousZ"/>) for upstream gradients gg_a = <paramref name="ggInput"/>, gg_w =
    /// <paramref name="ggWeights"/>, gg_b = <paramref name="ggBias"/> (null: the layer has no bias).
    /// </summary>
    public static Result Compute(Convolution op, ConvSpec spec, Tensor<double> input, Tensor<double> weights, Tensor<double> delta,
        Tensor<double> ggInput, Tensor<double> ggWeights, Tensor<double>? ggBias,
        Activation activation = default, Tensor<double>? previousZ = null, double? clip = null, ScalarType type = ScalarType.Float64)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(delta);
        ArgumentNullException.ThrowIfNull(ggInput);
        ArgumentNullException.ThrowIfNull(ggWeights);
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var x = TorchConvolutions.Leaf(input, type, true);
        var w = TorchConvolutions.Leaf(weights, type, true);
        var dy = TorchConvolutions.Leaf(delta, type, true);
        // The bias's value enters no gradient; it is there so that autograd has a dJ/db to differentiate.
        var b = ggBias is null ? null : zeros([ggBias.Length], type).requires_grad_(true);
        var y = TorchConvolutions.Apply(op, spec, x, w, b);
        Tensor[] wrt = b is null ? [x, w] : [x, w, b];
        var first = autograd.grad([y], wrt, [dy], retain_graph: true, create_graph: true);

        var dx = first[0];
        var z = previousZ is null ? null : TorchConvolutions.Leaf(previousZ, type, true);
        if (z is not null)
            dx = autograd.grad([TorchConvolutions.Activate(activation, z)], [z], [dx], retain_graph: true, create_graph: true)[0];
        var dw = clip is { } c ? first[1].clamp(-c, c) : first[1];

        var l = (dx * TorchConvolutions.Leaf(ggInput, type, false)).sum() + (dw * TorchConvolutions.Leaf(ggWeights, type, false)).sum();
        if (b is not null)
            l = l + (first[2] * TorchConvolutions.Leaf(ggBias!, type, false)).sum();
        Tensor[] inputs = z is null ? [x, w, dy] : [x, w, dy, z];
        var second = autograd.grad([l], inputs, retain_graph: true, allow_unused: true);
        return new Result(Read(second[0], x), Read(second[1], w), Read(second[2], dy), z is null ? null : Read(second[3], z));
    }

    /// <summary>A gradient as a ConvRef tensor; an input L does not reach gets zeros, as it has zero gradient.</summary>
    private static Tensor<double> Read(Tensor? gradient, Tensor like) =>
        TorchConvolutions.ToTensor(gradient is null || gradient.IsInvalid ? zeros_like(like) : gradient);
}

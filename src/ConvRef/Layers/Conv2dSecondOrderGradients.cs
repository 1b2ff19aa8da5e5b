using System.Numerics;

namespace ConvRef;

/// <summary>
/// What the double backward returns: the gradients of a scalar L = ⟨gg_a, dJ/da⟩ + ⟨gg_w, dJ/dw⟩ + ⟨gg_b, dJ/db⟩
/// (the upstream gradients gg of the backward pass's outputs) with respect to the backward pass's inputs.
/// </summary>
/// <param name="Input">dL/da, shape of the input a (N x C_in x H x W for conv2d): δ ⊗_f Rot180(gg_w), Eq 5/8 with gg_w as the kernel.</param>
/// <param name="Weights">dL/dw, shape of w: (gg_a ⊙ g'(z)) ⊗ δ, Eq 3/7 with gg_a as the input.</param>
/// <param name="Delta">dL/dδ, shape of the forward output: (gg_a ⊙ g'(z)) ⊛ w + gg_b + a ⊛ gg_w, Eq 1 twice (Eq 9 gives gg_b).</param>
/// <param name="PreviousZ">dL/dz^(l-1), shape of a: gg_a ⊙ dJ/da ⊙ g''(z^(l-1)); null when the backward pass was given no z^(l-1).</param>
public sealed record Conv2dSecondOrderGradients<T>(Tensor<T> Input, Tensor<T> Weights, Tensor<T> Delta, Tensor<T>? PreviousZ)
    where T : unmanaged, IFloatingPointIeee754<T>;

using System.Numerics;

namespace ConvRef.Kernels;

/// <summary>
/// The backward of the backward pass, for every convolution of the family, composed of the first-order
/// passes of <see cref="ConvolutionPasses"/> run on other arguments: with the serial engine these are
/// <see cref="SerialConv2d.Forward{T}"/> (Pad, Interleave, ValidCorrelate), <see cref="SerialConv2d.ComputeWeightGradients{T}"/>
/// and <see cref="SerialConv2d.BackPropagateError{T}"/> (Interleave, Rot180, FullConvolve); with the vectorized
/// engine its matrix products.
/// </summary>
/// <remarks>
/// <para>The backward pass maps (a, w, δ, z^(l-1)) to dJ/da ⊙ g'(z^(l-1)) (Eq 5/8 then Eq 6), clip(dJ/dw)
/// (Eq 3/7) and dJ/db (Eq 9). Its double backward is the gradient of
/// L = ⟨gg_a, dJ/da ⊙ g'(z)⟩ + ⟨gg_w, clip(dJ/dw)⟩ + ⟨gg_b, dJ/db⟩. Eq 5 and Eq 3 are linear in each argument,
/// and each is the other's adjoint through Eq 1: ⟨x, δ ⊗_f Rot180(w)⟩ = ⟨x ⊛ w, δ⟩ = ⟨w, x ⊗ δ⟩ for any x of
/// the input's shape (Eq 1 for z = x ⊛ w written out: each product x·w·δ appears once on each side). With
/// ĝ_a = gg_a ⊙ g'(z) and ĝ_w = gg_w ⊙ 1[-c ≤ dJ/dw ≤ c]:</para>
/// <list type="bullet">
/// <item>dL/dδ = ĝ_a ⊛ w + gg_b + a ⊛ ĝ_w: Eq 1 with ĝ_a as the input and gg_b as the bias (the adjoint of
/// Eq 5 and Eq 9), plus Eq 1 with ĝ_w as the kernel (the adjoint of Eq 3);</item>
/// <item>dL/dw = ĝ_a ⊗ δ: Eq 3/7 with ĝ_a in the place of a (Eq 5 differentiated in w);</item>
/// <item>dL/da = δ ⊗_f Rot180(ĝ_w): Eq 5/8 with ĝ_w in the place of w (Eq 3 differentiated in a);</item>
/// <item>dL/dz^(l-1) = gg_a ⊙ (δ ⊗_f Rot180(w)) ⊙ g''(z^(l-1)): Eq 6 differentiated in z.</item>
/// </list>
/// <para>Clipping is piecewise linear: its derivative is 1 on [-c, c] and 0 outside (1 at ±c itself, as
/// PyTorch's clamp takes it), its second derivative 0, so to second order it only masks gg_w.</para>
/// <para>Two backward passes give dL/dw and dL/da: the one on (ĝ_a, w, δ) also returns dJ/da for the g''
/// term, the one on (a, ĝ_w, δ) a dJ/dw that is not used, which costs time only; with clipping, one more
/// backward pass gives dJ/dw itself for the mask.</para>
/// </remarks>
internal static class DoubleBackward
{
    /// <summary>The four gradients of L for arguments <see cref="ConvValidation"/> has checked.</summary>
    public static Conv2dSecondOrderGradients<T> Compute<T>(ConvGeometry geometry, Tensor<T> input, Tensor<T> weights, Tensor<T> delta,
        Conv2dGradients<T> upstream, BackwardOptions<T> options, PlanarEngine engine)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var activation = options.PreviousActivation;
        var z = options.PreviousZ;
        var ggA = z is null ? upstream.Input : Multiply(upstream.Input, z, activation.Derivative<T>);
        var ggW = options.ClipValue is { } clip
            ? InsideClip(upstream.Weights, Backward(geometry, input, weights, delta, engine).Weights, clip)
            : upstream.Weights;

        // Input = δ ⊗_f Rot180(w) = dJ/da, Weights = ĝ_a ⊗ δ = dL/dw.
        var throughInput = Backward(geometry, ggA, weights, delta, engine);
        // Input = δ ⊗_f Rot180(ĝ_w) = dL/da.
        var throughWeights = Backward(geometry, input, ggW, delta, engine);
        // The adjoints of Eq 5 and Eq 9 in one forward pass, then that of Eq 3.
        var dDelta = Forward(geometry, ggA, weights, upstream.Bias, engine);
        var fromWeightGradient = Forward(geometry, input, ggW, null, engine);
        for (int i = 0; i < dDelta.Length; i++)
            dDelta.Data[i] += fromWeightGradient.Data[i];

        Tensor<T>? dZ = null;
        if (z is not null)
        {
            dZ = Tensor<T>.Zeros(geometry.InputShape);
            // Where g'' is zero (the identity, ReLU, leaky ReLU) the term is an exact zero, as autograd has it,
            // even where dJ/da is not finite.
            if (activation.Kind is ActivationKind.Sigmoid or ActivationKind.Tanh)
                for (int i = 0; i < dZ.Length; i++)
                    dZ.Data[i] = upstream.Input.Data[i] * throughInput.Input.Data[i] * activation.SecondDerivative(z.Data[i]);
        }
        return new Conv2dSecondOrderGradients<T>(throughWeights.Input, throughInput.Weights, dDelta, dZ);
    }

    /// <summary>Eq 1 through the family's forward pass: x ⊛ k + b.</summary>
    private static Tensor<T> Forward<T>(ConvGeometry geometry, Tensor<T> x, Tensor<T> k, Tensor<T>? b, PlanarEngine engine)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = Tensor<T>.Zeros(geometry.OutputShape);
        ConvolutionPasses.Forward(geometry, x, k, b, output, engine);
        return output;
    }

    /// <summary>Eq 5/8 (dJ/da = δ ⊗_f Rot180(k)) and Eq 3/7 (dJ/dw = x ⊗ δ) through the family's backward pass, without activation or clipping.</summary>
    private static Conv2dGradients<T> Backward<T>(ConvGeometry geometry, Tensor<T> x, Tensor<T> k, Tensor<T> delta, PlanarEngine engine)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var gradients = new Conv2dGradients<T>(Tensor<T>.Zeros(geometry.InputShape), Tensor<T>.Zeros(geometry.WeightShape), null);
        ConvolutionPasses.Backward(geometry, x, k, delta, BackwardOptions<T>.None, gradients, engine);
        return gradients;
    }

    /// <summary>x ⊙ f(z), element by element.</summary>
    private static Tensor<T> Multiply<T>(Tensor<T> x, Tensor<T> z, Func<T, T> f) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Tensor<T>.Zeros([.. x.Shape]);
        for (int i = 0; i < x.Length; i++)
            result.Data[i] = x.Data[i] * f(z.Data[i]);
        return result;
    }

    /// <summary>gg_w where -c ≤ dJ/dw ≤ c, zero elsewhere (and where dJ/dw is NaN): the derivative of the clamp.</summary>
    private static Tensor<T> InsideClip<T>(Tensor<T> ggW, Tensor<T> weightGradient, T clip) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Tensor<T>.Zeros([.. ggW.Shape]);
        for (int i = 0; i < ggW.Length; i++)
            if (weightGradient.Data[i] >= -clip && weightGradient.Data[i] <= clip)
                result.Data[i] = ggW.Data[i];
        return result;
    }
}

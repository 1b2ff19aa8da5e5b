using System.Numerics;

namespace ConvRef.Kernels;

/// <summary>The four passes of a 2-D convolution, by the serial or the vectorized implementation.</summary>
/// <param name="Algorithm">Which implementation.</param>
/// <param name="MaxThreads">The vectorized implementation's thread limit (its results do not depend on it).</param>
internal readonly record struct PlanarEngine(Conv2dAlgorithm Algorithm, int MaxThreads)
{
    private bool Serial => Algorithm == Conv2dAlgorithm.Serial;

    /// <summary>Eq 1: z = a ⊛ w + b.</summary>
    public void Forward<T>(Conv2dGeometry geometry, Tensor<T> input, Tensor<T> weights, Tensor<T>? bias, Tensor<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Serial)
            SerialConv2d.Forward(geometry, input, weights, bias, output);
        else
            VectorizedConv2d.Forward(geometry, input, weights, bias, output, maxThreads: MaxThreads);
    }

    /// <summary>dJ/dw (Eq 3/7), dJ/db (Eq 9) and dJ/da (Eq 5/8), without activation or clipping.</summary>
    public void Backward<T>(Conv2dGeometry geometry, Tensor<T> input, Tensor<T> weights, Tensor<T> delta, Conv2dGradients<T> gradients)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Serial)
            SerialConv2d.Backward(geometry, input, weights, delta, BackwardOptions<T>.None, gradients);
        else
            VectorizedConv2d.Backward(geometry, input, weights, delta, BackwardOptions<T>.None, gradients, maxThreads: MaxThreads);
    }

    /// <summary>dJ/da alone (Eq 5/8): Σ_k Interleave(δ^(k)) ⊗_f Rot180(w_k), cropped.</summary>
    public void InputGradient<T>(Conv2dGeometry geometry, Tensor<T> weights, Tensor<T> delta, Tensor<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Serial)
            SerialConv2d.InputGradient(geometry, weights, delta, inputGradient);
        else
            VectorizedConv2d.InputGradient(geometry, weights, delta, inputGradient, maxThreads: MaxThreads);
    }

    /// <summary>dJ/dw alone (Eq 3/7): a ⊗ δ summed over the batch.</summary>
    public void WeightGradients<T>(Conv2dGeometry geometry, Tensor<T> input, Tensor<T> delta, Tensor<T> weightGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Serial)
            SerialConv2d.WeightGradients(geometry, input, delta, weightGradient, null);
        else
            VectorizedConv2d.WeightGradients(geometry, input, delta, weightGradient, null, maxThreads: MaxThreads);
    }
}

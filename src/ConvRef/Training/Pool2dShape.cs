using System.Numerics;

namespace ConvRef;

/// <summary>The shape checks both 2x2 pooling layers share.</summary>
internal static class Pool2dShape
{
    public static (int N, int C, int H, int W) Rank4<T>(Tensor<T> input, string parameter)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (input.Rank != 4)
            throw new ArgumentException($"pooling needs an N x C x H x W input, got {input.ShapeText}", parameter);
        return (input.Shape[0], input.Shape[1], input.Shape[2], input.Shape[3]);
    }

    /// <summary>A zero gradient of the input's shape, after checking that delta has the pooled shape.</summary>
    public static Tensor<T> GradientFor<T>(Tensor<T> delta, IReadOnlyList<int> inputShape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        int[] shape = [.. inputShape];
        if (shape.Length != 4)
            throw new ArgumentException($"pooling needs an N x C x H x W input shape, got {Tensor<T>.Format(shape)}", nameof(inputShape));
        int[] pooled = [shape[0], shape[1], shape[2] / 2, shape[3] / 2];
        if (!delta.Shape.SequenceEqual(pooled))
            throw new ArgumentException($"delta {delta.ShapeText} does not match the pooled shape {Tensor<T>.Format(pooled)} of input {Tensor<T>.Format(shape)}", nameof(delta));
        return Tensor<T>.Zeros(shape);
    }
}

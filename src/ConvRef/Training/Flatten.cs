using System.Numerics;

namespace ConvRef;

/// <summary>Flattening between the convolutional and the dense part: N x C x H x W to N x (C*H*W) in C order, as <c>torch.flatten(x, 1)</c>.</summary>
/// <remarks>Flattening only renames positions, so the backward pass puts each error back where its value came from.</remarks>
public static class Flatten
{
    /// <summary>Forward pass: the same values, shape N x (product of the other dimensions).</summary>
    /// <param name="input">Shape N x ... (rank at least 1).</param>
    /// <returns>A copy of shape N x F.</returns>
    /// <exception cref="ArgumentException">The input has rank 0.</exception>
    public static Tensor<T> Forward<T>(Tensor<T> input) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0)
            throw new ArgumentException("flatten needs a batch dimension, got a scalar", nameof(input));
        int n = input.Shape[0];
        return new Tensor<T>([n, n == 0 ? 0 : input.Length / n], (T[])input.Data.Clone());
    }

    /// <summary>Backward pass: dJ/da_in is dJ/da_out in the input's shape.</summary>
    /// <param name="delta">dJ/da_out, shape N x F.</param>
    /// <param name="inputShape">The forward input's shape, whose elements number N * F.</param>
    /// <returns>A copy of shape <paramref name="inputShape"/>.</returns>
    /// <exception cref="ArgumentException">The element counts differ.</exception>
    public static Tensor<T> Backward<T>(Tensor<T> delta, IReadOnlyList<int> inputShape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(delta);
        ArgumentNullException.ThrowIfNull(inputShape);
        int[] shape = [.. inputShape];
        if (shape.Aggregate(1L, (p, d) => p * d) != delta.Length)
            throw new ArgumentException($"delta {delta.ShapeText} does not have the element count of input shape {Tensor<T>.Format(shape)}", nameof(delta));
        return new Tensor<T>(shape, (T[])delta.Data.Clone());
    }
}

using System.Numerics;

namespace ConvRef;

/// <summary>
/// 2x2 max pooling with stride 2, as <c>torch.nn.functional.max_pool2d(x, 2)</c>: each output is the
/// largest of a non-overlapping 2x2 window; a trailing odd row or column is dropped (floor mode).
/// </summary>
/// <remarks>
/// The backward pass routes each error to the position that won the forward max and gives every other
/// position zero, because only that input moved the output. Ties go to the first maximum in row-major
/// order within the window (top-left, top-right, bottom-left, bottom-right), which is what PyTorch's CPU
/// kernel does (it replaces the running max only on a strictly greater value), so both route the error
/// to the same input. A NaN wins its window (the last one when there are several), as in PyTorch.
/// </remarks>
public static class MaxPool2d
{
    /// <summary>Forward pass: a = max over each 2x2 window.</summary>
    /// <param name="input">Shape N x C x H x W.</param>
    /// <returns>The pooled output, shape N x C x floor(H/2) x floor(W/2), and for each output element the
    /// C-order index into <paramref name="input"/> of the value it took (PyTorch's <c>return_indices</c>,
    /// but flat over the whole input).</returns>
    /// <exception cref="ArgumentException">The input is not rank 4.</exception>
    public static (Tensor<T> Output, int[] ArgMax) Forward<T>(Tensor<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(input);
        var (n, c, h, w) = Pool2dShape.Rank4(input, nameof(input));
        int oh = h / 2, ow = w / 2;
        var output = Tensor<T>.Zeros(n, c, oh, ow);
        var argMax = new int[output.Length];
        int o = 0;
        for (int plane = 0; plane < n * c; plane++)
        {
            int planeStart = plane * h * w;
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++, o++)
                {
                    int best = planeStart + 2 * i * w + 2 * j;
                    foreach (int candidate in (ReadOnlySpan<int>)[best + 1, best + w, best + w + 1])
                        if (input.Data[candidate] > input.Data[best] || T.IsNaN(input.Data[candidate]))
                            best = candidate;
                    output.Data[o] = input.Data[best];
                    argMax[o] = best;
                }
        }
        return (output, argMax);
    }

    /// <summary>Backward pass: dJ/da_in at the arg-max of each window is that window's delta, zero elsewhere.</summary>
    /// <param name="delta">dJ/da_out, shape N x C x floor(H/2) x floor(W/2).</param>
    /// <param name="argMax">The indices <see cref="Forward{T}"/> returned.</param>
    /// <param name="inputShape">The forward input's shape N x C x H x W.</param>
    /// <returns>dJ/da_in, shape N x C x H x W.</returns>
    /// <exception cref="ArgumentException"><paramref name="argMax"/> does not match <paramref name="delta"/> or points outside the input, or the shapes disagree.</exception>
    public static Tensor<T> Backward<T>(Tensor<T> delta, int[] argMax, IReadOnlyList<int> inputShape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(delta);
        ArgumentNullException.ThrowIfNull(argMax);
        var gradient = Pool2dShape.GradientFor<T>(delta, inputShape);
        if (argMax.Length != delta.Length)
            throw new ArgumentException($"argMax holds {argMax.Length} indices but delta {delta.ShapeText} has {delta.Length} elements", nameof(argMax));
        if (Array.FindIndex(argMax, i => (uint)i >= (uint)gradient.Length) is var bad and >= 0)
            throw new ArgumentException($"argMax[{bad}] = {argMax[bad]} is outside the input's {gradient.Length} elements", nameof(argMax));
        for (int o = 0; o < delta.Length; o++)
            gradient.Data[argMax[o]] += delta.Data[o];
        return gradient;
    }
}

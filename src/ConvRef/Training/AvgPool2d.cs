using System.Numerics;

namespace ConvRef;

/// <summary>
/// 2x2 average pooling with stride 2, as <c>torch.nn.functional.avg_pool2d(x, 2)</c>: each output is the
/// mean of a non-overlapping 2x2 window; a trailing odd row or column is dropped (floor mode).
/// </summary>
/// <remarks>Every input of a window moved the output by a quarter of its own change, so the backward pass
/// spreads each error evenly: a quarter to each of the four positions.</remarks>
public static class AvgPool2d
{
    /// <summary>Forward pass: a = (sum of the 2x2 window) / 4, summed in row-major order.</summary>
    /// <param name="input">Shape N x C x H x W.</param>
    /// <returns>Shape N x C x floor(H/2) x floor(W/2).</returns>
    /// <exception cref="ArgumentException">The input is not rank 4.</exception>
    public static Tensor<T> Forward<T>(Tensor<T> input) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(input);
        var (n, c, h, w) = Pool2dShape.Rank4(input, nameof(input));
        int oh = h / 2, ow = w / 2;
        var output = Tensor<T>.Zeros(n, c, oh, ow);
        T four = T.CreateChecked(4);
        int o = 0;
        for (int plane = 0; plane < n * c; plane++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++, o++)
                {
                    int topLeft = plane * h * w + 2 * i * w + 2 * j;
                    var d = input.Data;
                    output.Data[o] = (d[topLeft] + d[topLeft + 1] + d[topLeft + w] + d[topLeft + w + 1]) / four;
                }
        return output;
    }

    /// <summary>Backward pass: dJ/da_in = dJ/da_out / 4 at each of the window's four positions.</summary>
    /// <param name="delta">dJ/da_out, shape N x C x floor(H/2) x floor(W/2).</param>
    /// <param name="inputShape">The forward input's shape N x C x H x W.</param>
    /// <returns>dJ/da_in, shape N x C x H x W (zero in a dropped trailing row or column).</returns>
    /// <exception cref="ArgumentException">The shapes disagree.</exception>
    public static Tensor<T> Backward<T>(Tensor<T> delta, IReadOnlyList<int> inputShape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(delta);
        var gradient = Pool2dShape.GradientFor<T>(delta, inputShape);
        int h = inputShape[2], w = inputShape[3], oh = h / 2, ow = w / 2;
        T four = T.CreateChecked(4);
        int o = 0;
        for (int plane = 0; plane < inputShape[0] * inputShape[1]; plane++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++, o++)
                {
                    int topLeft = plane * h * w + 2 * i * w + 2 * j;
                    T share = delta.Data[o] / four;
                    foreach (int position in (ReadOnlySpan<int>)[topLeft, topLeft + 1, topLeft + w, topLeft + w + 1])
                        gradient.Data[position] = share;
                }
        return gradient;
    }
}

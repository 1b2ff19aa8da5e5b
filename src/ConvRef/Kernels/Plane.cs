using System.Numerics;

namespace ConvRef;

/// <summary>
/// The derivation's building blocks on single 2-D planes (rows x columns), named as it names them. The
/// serial implementation is composed of these; they allocate a new plane per call and favour clarity
/// over speed.
/// </summary>
public static class Plane
{
    /// <summary>
    /// The derivation's <c>interLeave(arr, sy, sx)</c>: inserts <paramref name="sy"/> rows of zeros between
    /// neighbouring rows and <paramref name="sx"/> columns of zeros between neighbouring columns, so an
    /// H x W plane becomes (H + sy(H-1)) x (W + sx(W-1)). With sy = s - 1 it puts back the positions a
    /// stride-s forward pass skipped; with sy = d - 1 it turns a kernel into its dilated form.
    /// </summary>
    /// <example>[[1,2,3],[4,5,6],[7,8,9]] with sy = 1, sx = 2 gives the 5 x 7 plane
    /// [[1,0,0,2,0,0,3],[0,0,0,0,0,0,0],[4,0,0,5,0,0,6],[0,0,0,0,0,0,0],[7,0,0,8,0,0,9]].</example>
    public static T[,] Interleave<T>(T[,] x, int sy, int sx) where T : INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfNegative(sy);
        ArgumentOutOfRangeException.ThrowIfNegative(sx);
        int h = x.GetLength(0), w = x.GetLength(1);
        var result = new T[h == 0 ? 0 : h + sy * (h - 1), w == 0 ? 0 : w + sx * (w - 1)];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
                result[i * (sy + 1), j * (sx + 1)] = x[i, j];
        return result;
    }

    /// <summary>
    /// The inverse of <see cref="Interleave{T}"/>: keeps every (sy+1)-th row and (sx+1)-th column,
    /// starting with the first. Samples the gradient of a dilated kernel at the real kernel's taps.
    /// </summary>
    public static T[,] TakeEvery<T>(T[,] x, int sy, int sx) where T : INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfNegative(sy);
        ArgumentOutOfRangeException.ThrowIfNegative(sx);
        int h = (x.GetLength(0) + sy) / (sy + 1), w = (x.GetLength(1) + sx) / (sx + 1);
        var result = new T[h, w];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
                result[i, j] = x[i * (sy + 1), j * (sx + 1)];
        return result;
    }

    /// <summary>Rot180(k): the kernel flipped vertically and horizontally, k'[i,j] = k[kH-1-i, kW-1-j].</summary>
    public static T[,] Rot180<T>(T[,] k)
    {
        ArgumentNullException.ThrowIfNull(k);
        int h = k.GetLength(0), w = k.GetLength(1);
        var result = new T[h, w];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
                result[i, j] = k[h - 1 - i, w - 1 - j];
        return result;
    }

    /// <summary>Zero padding: <paramref name="top"/> rows above, <paramref name="bottom"/> below, <paramref name="left"/> and <paramref name="right"/> columns beside.</summary>
    public static T[,] Pad<T>(T[,] x, int top, int bottom, int left, int right) where T : INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        ArgumentOutOfRangeException.ThrowIfNegative(bottom);
        ArgumentOutOfRangeException.ThrowIfNegative(left);
        ArgumentOutOfRangeException.ThrowIfNegative(right);
        int h = x.GetLength(0), w = x.GetLength(1);
        var result = new T[top + h + bottom, left + w + right];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
                result[top + i, left + j] = x[i, j];
        return result;
    }

    /// <summary>
    /// The <paramref name="height"/> x <paramref name="width"/> window of <paramref name="x"/> whose top-left
    /// corner is at (<paramref name="top"/>, <paramref name="left"/>); positions outside <paramref name="x"/> are zero.
    /// Crops the padding away from dJ/da, and the uncovered rows and columns (beyond x) come out zero.
    /// </summary>
    public static T[,] Crop<T>(T[,] x, int top, int left, int height, int width) where T : INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        var result = new T[height, width];
        for (int i = 0; i < height; i++)
            for (int j = 0; j < width; j++)
            {
                int r = top + i, c = left + j;
                if (r >= 0 && r < x.GetLength(0) && c >= 0 && c < x.GetLength(1))
                    result[i, j] = x[r, c];
            }
        return result;
    }

    /// <summary>
    /// Valid-mode cross-correlation, the derivation's ⊗ (its <c>conv3D3</c>, which does not flip the kernel):
    /// y[i,j] = Σ_p Σ_q x[i·sy + p, j·sx + q] · k[p,q], y of size (floor((H-kH)/sy)+1) x (floor((W-kW)/sx)+1).
    /// Eq 1 is ValidCorrelate(a, w); Eq 3 is ValidCorrelate(a, δ); with dilation, Eq 1 is
    /// ValidCorrelate(Pad(a), Interleave(w, dH-1, dW-1), sH, sW, dH-1, dW-1), and with stride, Eq 3/7 is
    /// ValidCorrelate(Pad(a), Interleave(δ, sH-1, sW-1), 1, 1, sH-1, sW-1).
    /// </summary>
    /// <remarks>
    /// Only the kernel's values are terms: the zeros Interleave inserted (at the steps given, every
    /// (kernelStepY+1)-th row and (kernelStepX+1)-th column of <paramref name="k"/> holds a value) are structure,
    /// and a product with one of them would turn an infinite x into NaN where the sum has none. As in
    /// <see cref="FullConvolve{T}"/>, the sum starts at +0 and so never becomes -0, and adding ±0 to it changes
    /// nothing: with finite values, the result is that of the product over every tap bit for bit.
    /// </remarks>
    public static T[,] ValidCorrelate<T>(T[,] x, T[,] k, int sy = 1, int sx = 1, int kernelStepY = 0, int kernelStepX = 0) where T : INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(k);
        ArgumentOutOfRangeException.ThrowIfLessThan(sy, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sx, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(kernelStepY);
        ArgumentOutOfRangeException.ThrowIfNegative(kernelStepX);
        int kh = k.GetLength(0), kw = k.GetLength(1);
        if (kh > x.GetLength(0) || kw > x.GetLength(1))
            throw new ArgumentException($"kernel {kh}x{kw} is larger than the plane {x.GetLength(0)}x{x.GetLength(1)}", nameof(k));
        int oh = (x.GetLength(0) - kh) / sy + 1, ow = (x.GetLength(1) - kw) / sx + 1;
        var result = new T[oh, ow];
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < kh; p += kernelStepY + 1)
                    for (int q = 0; q < kw; q += kernelStepX + 1)
                        sum += x[i * sy + p, j * sx + q] * k[p, q];
                result[i, j] = sum;
            }
        return result;
    }

    /// <summary>
    /// Full-mode correlation, the derivation's ⊗_f (its <c>fullConv3D</c>, which does not flip the kernel
    /// either): the kernel meets the plane wherever they overlap, i.e. the terms of
    /// ValidCorrelate(Pad(δ, kH-1, kH-1, kW-1, kW-1), k) that read δ, of size (H+kH-1) x (W+kW-1).
    /// Eq 5 is FullConvolve(δ, Rot180(w)); with stride and dilation, Eq 5/8 is
    /// FullConvolve(Interleave(δ, sH-1, sW-1), Rot180(Interleave(w, dH-1, dW-1)), sH-1, sW-1, dH-1, dW-1).
    /// </summary>
    /// <remarks>
    /// Only values are terms: the padding, and the zeros Interleave inserted (at the steps given: every
    /// (deltaStepY+1)-th row and (deltaStepX+1)-th column of <paramref name="delta"/> holds a value, and of
    /// the dilated kernel before Rot180 likewise), are structure, and a product with one of them would turn an
    /// infinite value of the other factor into NaN where the sum has none. The terms are added in
    /// ValidCorrelate's order and the sum starts at +0, which adding ±0 leaves unchanged, so with finite
    /// values the result is that of ValidCorrelate(Pad(δ), k) bit for bit.
    /// </remarks>
    public static T[,] FullConvolve<T>(T[,] delta, T[,] rotatedKernel, int deltaStepY = 0, int deltaStepX = 0, int kernelStepY = 0, int kernelStepX = 0)
        where T : INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(delta);
        ArgumentNullException.ThrowIfNull(rotatedKernel);
        ArgumentOutOfRangeException.ThrowIfNegative(deltaStepY);
        ArgumentOutOfRangeException.ThrowIfNegative(deltaStepX);
        ArgumentOutOfRangeException.ThrowIfNegative(kernelStepY);
        ArgumentOutOfRangeException.ThrowIfNegative(kernelStepX);
        int h = delta.GetLength(0), w = delta.GetLength(1), kh = rotatedKernel.GetLength(0), kw = rotatedKernel.GetLength(1);
        var result = new T[h + kh - 1, w + kw - 1];
        for (int i = 0; i < result.GetLength(0); i++)
            for (int j = 0; j < result.GetLength(1); j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < kh; p++)
                    for (int q = 0; q < kw; q++)
                    {
                        // (r, c) in δ; (kh-1-p, kw-1-q) in the kernel before Rot180.
                        int r = i + p - (kh - 1), c = j + q - (kw - 1);
                        if (r >= 0 && r < h && c >= 0 && c < w && r % (deltaStepY + 1) == 0 && c % (deltaStepX + 1) == 0
                            && (kh - 1 - p) % (kernelStepY + 1) == 0 && (kw - 1 - q) % (kernelStepX + 1) == 0)
                            sum += delta[r, c] * rotatedKernel[p, q];
                    }
                result[i, j] = sum;
            }
        return result;
    }

    /// <summary>Element-wise sum, into <paramref name="accumulator"/> (same shape).</summary>
    public static void AddInto<T>(T[,] accumulator, T[,] x) where T : INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(accumulator);
        ArgumentNullException.ThrowIfNull(x);
        if (accumulator.GetLength(0) != x.GetLength(0) || accumulator.GetLength(1) != x.GetLength(1))
            throw new ArgumentException($"plane {x.GetLength(0)}x{x.GetLength(1)} does not match the accumulator {accumulator.GetLength(0)}x{accumulator.GetLength(1)}", nameof(x));
        for (int i = 0; i < x.GetLength(0); i++)
            for (int j = 0; j < x.GetLength(1); j++)
                accumulator[i, j] += x[i, j];
    }
}

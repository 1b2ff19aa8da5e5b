using System.Numerics;

namespace ConvRef;

/// <summary>
/// PLACEHOLDER on branch explain only, replaced wholesale by the convref branch's Plane when it is
/// merged: the serial building blocks on single planes.
/// </summary>
public static class Plane
{
    /// <summary>Inserts sy - 1 zero rows and sx - 1 zero columns between neighbours (stride sy, sx).</summary>
    public static T[,] Interleave<T>(T[,] x, int sy, int sx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        int h = x.GetLength(0), w = x.GetLength(1);
        var r = new T[(h - 1) * sy + 1, (w - 1) * sx + 1];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
                r[i * sy, j * sx] = x[i, j];
        return r;
    }

    /// <summary>Rot180.</summary>
    public static T[,] Rot180<T>(T[,] k) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(k);
        int h = k.GetLength(0), w = k.GetLength(1);
        var r = new T[h, w];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
                r[i, j] = k[h - 1 - i, w - 1 - j];
        return r;
    }

    /// <summary>Zero padding.</summary>
    public static T[,] Pad<T>(T[,] x, int top, int bottom, int left, int right) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        int h = x.GetLength(0), w = x.GetLength(1);
        var r = new T[h + top + bottom, w + left + right];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
                r[i + top, j + left] = x[i, j];
        return r;
    }

    /// <summary>Valid cross-correlation with stride.</summary>
    public static T[,] ValidCorrelate<T>(T[,] x, T[,] k, int sy, int sx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(k);
        int kh = k.GetLength(0), kw = k.GetLength(1);
        int oh = (x.GetLength(0) - kh) / sy + 1, ow = (x.GetLength(1) - kw) / sx + 1;
        var r = new T[oh, ow];
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                T s = T.Zero;
                for (int p = 0; p < kh; p++)
                    for (int q = 0; q < kw; q++)
                        s += x[i * sy + p, j * sx + q] * k[p, q];
                r[i, j] = s;
            }
        return r;
    }

    /// <summary>Full-mode convolution of delta with an already rotated kernel.</summary>
    public static T[,] FullConvolve<T>(T[,] delta, T[,] rotatedKernel) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(rotatedKernel);
        int kh = rotatedKernel.GetLength(0), kw = rotatedKernel.GetLength(1);
        return ValidCorrelate(Pad(delta, kh - 1, kh - 1, kw - 1, kw - 1), rotatedKernel, 1, 1);
    }
}

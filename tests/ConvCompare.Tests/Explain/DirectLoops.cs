namespace ConvCompare.Tests.Explain;

/// <summary>
/// The explain pages' quantities computed again by plain loops from their definitions, sharing no code
/// with ConvRef or the pages: a correlation and a transposed convolution's stamping by their index
/// arithmetic, reflection by its mirror formula, and every gradient by perturbing one element of an
/// argument the function is linear in (exact for the pages' integers, where f(x + e) - f(x) is the
/// partial derivative with no rounding).
/// </summary>
internal static class DirectLoops
{
    /// <summary>z[i,j] = Σ_p Σ_q x[s·i+p, s·j+q] · k[p,q] (0-based), the windows that fit.</summary>
    public static double[,] Correlate(double[,] x, double[,] k, int stride)
    {
        int kh = k.GetLength(0), kw = k.GetLength(1);
        var z = new double[(x.GetLength(0) - kh) / stride + 1, (x.GetLength(1) - kw) / stride + 1];
        for (int i = 0; i < z.GetLength(0); i++)
            for (int j = 0; j < z.GetLength(1); j++)
                for (int p = 0; p < kh; p++)
                    for (int q = 0; q < kw; q++)
                        z[i, j] += x[stride * i + p, stride * j + q] * k[p, q];
        return z;
    }

    /// <summary>conv_transpose2d by its definition: x[i,j] · k stamped onto the output at (s·i, s·j), overlaps added.</summary>
    public static double[,] Stamp(double[,] x, double[,] k, int stride)
    {
        int kh = k.GetLength(0), kw = k.GetLength(1);
        var y = new double[(x.GetLength(0) - 1) * stride + kh, (x.GetLength(1) - 1) * stride + kw];
        for (int i = 0; i < x.GetLength(0); i++)
            for (int j = 0; j < x.GetLength(1); j++)
                for (int p = 0; p < kh; p++)
                    for (int q = 0; q < kw; q++)
                        y[stride * i + p, stride * j + q] += x[i, j] * k[p, q];
        return y;
    }

    /// <summary>Reflect padding: position i (from -pad to n-1+pad) holds x at n-1 - |n-1 - |i||, the mirror at both edges without repeating them.</summary>
    public static double[,] ReflectPad(double[,] x, int pad)
    {
        int h = x.GetLength(0), w = x.GetLength(1);
        var padded = new double[h + 2 * pad, w + 2 * pad];
        for (int u = 0; u < padded.GetLength(0); u++)
            for (int v = 0; v < padded.GetLength(1); v++)
                padded[u, v] = x[Mirror(u - pad, h), Mirror(v - pad, w)];
        return padded;
    }

    /// <summary>Σ x ⊙ y.</summary>
    public static double Dot(double[,] x, double[,] y)
    {
        double sum = 0;
        for (int i = 0; i < x.GetLength(0); i++)
            for (int j = 0; j < x.GetLength(1); j++)
                sum += x[i, j] * y[i, j];
        return sum;
    }

    /// <summary>Σ of every element.</summary>
    public static double Sum(double[,] x) => x.Cast<double>().Sum();

    /// <summary>∂f/∂x for an f linear in x: f(x + e_ij) - f(x) for each element, exact on integers.</summary>
    public static double[,] GradientOfLinear(double[,] x, Func<double[,], double> f)
    {
        double f0 = f(x);
        var g = new double[x.GetLength(0), x.GetLength(1)];
        for (int i = 0; i < x.GetLength(0); i++)
            for (int j = 0; j < x.GetLength(1); j++)
            {
                var moved = (double[,])x.Clone();
                moved[i, j] += 1;
                g[i, j] = f(moved) - f0;
            }
        return g;
    }

    private static int Mirror(int i, int n) => n - 1 - Math.Abs(n - 1 - Math.Abs(i));
}

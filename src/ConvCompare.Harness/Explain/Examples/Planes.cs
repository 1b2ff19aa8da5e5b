using ConvRef;

namespace ConvCompare.Explain.Examples;

/// <summary>Moves numbers between ConvRef's N x C x H x W tensors and the single planes the walk-through shows.</summary>
internal static class Planes
{
    /// <summary>Plane [n, c] of a rank-4 tensor.</summary>
    public static double[,] Of(Tensor<double> t, int n, int c)
    {
        var m = new double[t.Shape[2], t.Shape[3]];
        for (int i = 0; i < m.GetLength(0); i++)
            for (int j = 0; j < m.GetLength(1); j++)
                m[i, j] = t[n, c, i, j];
        return m;
    }

    /// <summary>A rank-4 tensor whose plane [n, c] is <c>planes[n][c]</c> (all planes the same size).</summary>
    public static Tensor<double> Stack(IReadOnlyList<IReadOnlyList<double[,]>> planes)
    {
        int n = planes.Count, c = planes[0].Count, h = planes[0][0].GetLength(0), w = planes[0][0].GetLength(1);
        var t = Tensor<double>.Zeros(n, c, h, w);
        for (int a = 0; a < n; a++)
            for (int b = 0; b < c; b++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++)
                        t[a, b, i, j] = planes[a][b][i, j];
        return t;
    }

    /// <summary>A 1 x 1 x H x W tensor holding one plane.</summary>
    public static Tensor<double> Single(double[,] plane) => Stack([[plane]]);

    /// <summary>A rank-1 tensor as a 1 x n row, the form the walk-through draws vectors in (the bias and its gradient).</summary>
    public static double[,] Row(Tensor<double> vector)
    {
        var m = new double[1, vector.Length];
        for (int j = 0; j < vector.Length; j++)
            m[0, j] = vector.Data[j];
        return m;
    }

    /// <summary>Elementwise map of a plane.</summary>
    public static double[,] Map(double[,] x, Func<double, double> f)
    {
        var m = new double[x.GetLength(0), x.GetLength(1)];
        for (int i = 0; i < m.GetLength(0); i++)
            for (int j = 0; j < m.GetLength(1); j++)
                m[i, j] = f(x[i, j]);
        return m;
    }

    /// <summary>Marks of a rows x columns plane for which <paramref name="marked"/> holds.</summary>
    public static bool[,] Marks(int rows, int columns, Func<int, int, bool> marked)
    {
        var m = new bool[rows, columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                m[i, j] = marked(i, j);
        return m;
    }
}

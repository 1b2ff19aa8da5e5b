using ConvCompare.Explain.Model;

namespace ConvCompare.Explain.Examples;

/// <summary>
/// The derivation's sums written out term by term with the numbers substituted (1-based indices,
/// as in the derivation). Every sum here is built from the index arithmetic of the equations alone,
/// not from ConvRef, so its value is an independent witness. The names default to the derivation's;
/// pages that reuse an equation on other arguments (a transposed convolution's x and g, the second
/// order's gg_a and gg_w) name them as they stand there.
/// </summary>
internal static class DerivationSums
{
    /// <summary>Eq 1: z[i,j] = Σ_p Σ_q a[s·i+p, s·j+q] · w[p,q] (stride s), one sum per output cell.</summary>
    public static IReadOnlyList<WrittenSum> Forward(double[,] a, double[,] w, int stride,
        string target = "z", string input = "a", string kernel = "w")
    {
        int kh = w.GetLength(0), kw = w.GetLength(1);
        int oh = (a.GetLength(0) - kh) / stride + 1, ow = (a.GetLength(1) - kw) / stride + 1;
        return Cells(oh, ow, (i, j) => new WrittenSum(Symbol(target, i, j),
            Cells(kh, kw, (p, q) => Term(Symbol(input, stride * i + p, stride * j + q), a[stride * i + p, stride * j + q],
                Symbol(kernel, p, q), w[p, q]))));
    }

    /// <summary>Eq 2: dJ/dw[p,q] = Σ_i Σ_j δ[i,j] · a[s·i+p, s·j+q], one sum per kernel cell.</summary>
    public static IReadOnlyList<WrittenSum> WeightGradient(double[,] a, double[,] delta, int kh, int kw, int stride,
        string target = "dJ/dw", string input = "a", string error = "δ") =>
        Cells(kh, kw, (p, q) => new WrittenSum(Symbol(target, p, q),
            Cells(delta.GetLength(0), delta.GetLength(1), (i, j) => Term(Symbol(error, i, j), delta[i, j],
                Symbol(input, stride * i + p, stride * j + q), a[stride * i + p, stride * j + q]))));

    /// <summary>
    /// Eq 5: dJ/da[r,c] = Σ δ[i,j] · w[r-s·i, c-s·j] over the outputs (i, j) whose window covers
    /// input cell (r, c); no term at all when none does.
    /// </summary>
    public static WrittenSum InputGradient(double[,] delta, double[,] w, int stride, int r, int c,
        string target = "dJ/da", string error = "δ", string kernel = "w")
    {
        int kh = w.GetLength(0), kw = w.GetLength(1);
        var terms = new List<SumTerm>();
        for (int i = 0; i < delta.GetLength(0); i++)
            for (int j = 0; j < delta.GetLength(1); j++)
            {
                int p = r - stride * i, q = c - stride * j;
                if (p >= 0 && p < kh && q >= 0 && q < kw)
                    terms.Add(Term(Symbol(error, i, j), delta[i, j], Symbol(kernel, p, q), w[p, q]));
            }
        return new WrittenSum(Symbol(target, r, c), terms);
    }

    /// <summary>Eq 5 for every cell of a rows x columns input, row-major.</summary>
    public static IReadOnlyList<WrittenSum> InputGradients(double[,] delta, double[,] w, int stride, int rows, int columns,
        string target = "dJ/da", string error = "δ", string kernel = "w") =>
        Cells(rows, columns, (r, c) => InputGradient(delta, w, stride, r, c, target, error, kernel));

    /// <summary>Eq 9: dJ/db(k) = Σ_i Σ_j δ(k)[i,j].</summary>
    public static WrittenSum BiasGradient(double[,] delta, int k) =>
        new($"dJ/db({k + 1})", Cells(delta.GetLength(0), delta.GetLength(1),
            (i, j) => new SumTerm([new Factor($"δ({k + 1})" + Index(i, j), delta[i, j])])));

    /// <summary>"name[i+1,j+1]": the derivation's 1-based subscripts.</summary>
    public static string Symbol(string name, int i, int j) => name + Index(i, j);

    private static string Index(int i, int j) => $"[{i + 1},{j + 1}]";

    private static SumTerm Term(string s1, double v1, string s2, double v2) => new([new Factor(s1, v1), new Factor(s2, v2)]);

    /// <summary><paramref name="make"/>(i, j) for every cell of a rows x columns plane, row-major.</summary>
    public static T[] Cells<T>(int rows, int columns, Func<int, int, T> make)
    {
        var list = new T[rows * columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                list[i * columns + j] = make(i, j);
        return list;
    }
}

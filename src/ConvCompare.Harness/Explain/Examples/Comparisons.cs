using ConvCompare.Explain.Model;

namespace ConvCompare.Explain.Examples;

/// <summary>Puts two computations of one quantity side by side with their difference map and check.</summary>
internal static class Comparisons
{
    /// <summary>The largest |x - y| over all cells; NaN when either holds a non-finite value.</summary>
    public static double MaxAbsDifference(double[,] x, double[,] y)
    {
        if (x.GetLength(0) != y.GetLength(0) || x.GetLength(1) != y.GetLength(1))
            return double.NaN;
        double max = 0;
        foreach (var (a, b) in x.Cast<double>().Zip(y.Cast<double>()))
        {
            double d = Math.Abs(a - b);
            if (!double.IsFinite(d))
                return double.NaN;
            max = Math.Max(max, d);
        }
        return max;
    }

    /// <summary>x - y (ConvRef - autograd), cell by cell (NaN-filled when the shapes differ).</summary>
    public static double[,] Difference(double[,] x, double[,] y)
    {
        if (x.GetLength(0) != y.GetLength(0) || x.GetLength(1) != y.GetLength(1))
            return Planes.Map(x, _ => double.NaN);
        var d = new double[x.GetLength(0), x.GetLength(1)];
        for (int i = 0; i < d.GetLength(0); i++)
            for (int j = 0; j < d.GetLength(1); j++)
                d[i, j] = x[i, j] - y[i, j];
        return d;
    }

    /// <summary>
    /// The row "name (ConvRef) | name (autograd) | difference" for each plane pair and one check over
    /// all of them.
    /// </summary>
    public static (IReadOnlyList<MatrixRow> Rows, Check Check) SideBySide(
        string name, IReadOnlyList<(string? Caption, double[,] ConvRef, double[,] Autograd)> planes, double bound) =>
        Between(name + " ConvRef", name + " autograd", name + ": ConvRef vs autograd", planes, bound);

    /// <summary>
    /// The row "left | right | difference" for each plane pair and one check named <paramref name="quantity"/>
    /// over all of them: two computations that must give the same numbers, e.g. a transposed convolution's
    /// output and a convolution's input gradient.
    /// </summary>
    public static (IReadOnlyList<MatrixRow> Rows, Check Check) Between(string left, string right, string quantity,
        IReadOnlyList<(string? Caption, double[,] Left, double[,] Right)> planes, double bound)
    {
        var rows = planes.Select(p => new MatrixRow(p.Caption,
        [
            new LabelledMatrix(left, p.Left),
            new LabelledMatrix(right, p.Right),
            new LabelledMatrix("difference", Difference(p.Left, p.Right), MatrixRole.Difference),
        ])).ToArray();
        double max = planes.Select(p => MaxAbsDifference(p.Left, p.Right))
            .Aggregate(0.0, CombineMax);
        return (rows, new Check(quantity, max, bound));
    }

    /// <summary>The larger of two maxima, NaN when either is (a NaN must never be hidden by a later Math.Max).</summary>
    public static double CombineMax(double max, double d) => double.IsNaN(max) || double.IsNaN(d) ? double.NaN : Math.Max(max, d);

    /// <summary>Checks written-out sums (evaluated by the walk-through itself) against ConvRef's plane, cell by cell in row-major order.</summary>
    public static Check WrittenSums(string quantity, IReadOnlyList<WrittenSum> sums, IEnumerable<double> convRef, double bound)
    {
        var values = convRef.ToArray();
        double max = values.Length != sums.Count
            ? double.NaN
            : sums.Zip(values).Select(p => Math.Abs(p.First.Value - p.Second)).Aggregate(0.0, CombineMax);
        return new Check(quantity, max, bound);
    }
}

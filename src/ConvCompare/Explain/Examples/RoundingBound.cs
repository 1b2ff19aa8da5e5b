namespace ConvCompare.Explain.Examples;

/// <summary>
/// The allowed difference between two float64 computations of the same sums of products, from
/// Higham's bound |fl(Σ x_i y_i) - Σ x_i y_i| &lt;= γ_K Σ |x_i y_i| with γ_K = K u / (1 - K u),
/// u = 2^-53. Two computations that may each err by that much may differ by twice that.
/// </summary>
internal static class RoundingBound
{
    private const double UnitRoundoff = 1.0 / (1L << 53);

    /// <summary>
    /// The bound for sums of at most <paramref name="terms"/> products of factors from
    /// <paramref name="left"/> and <paramref name="right"/>. When every factor is an integer and
    /// terms · max|left| · max|right| &lt;= 2^53, every product and every partial sum is an integer
    /// float64 represents exactly, so each operation is exact in any order and the bound is 0.
    /// </summary>
    public static double For(IEnumerable<double> left, IEnumerable<double> right, int terms)
    {
        var l = left.ToArray();
        var r = right.ToArray();
        double maxL = l.Max(Math.Abs), maxR = r.Max(Math.Abs);
        double largestSum = terms * maxL * maxR;
        if (l.Concat(r).All(v => v == Math.Round(v)) && largestSum <= 1L << 53)
            return 0;
        double gamma = terms * UnitRoundoff / (1 - terms * UnitRoundoff);
        return 2 * gamma * largestSum;
    }
}

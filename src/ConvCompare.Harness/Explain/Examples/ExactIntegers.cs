namespace ConvCompare.Explain.Examples;

/// <summary>
/// Why every comparison in the walk-through allows a difference of exactly 0. Each compared value is
/// a sum of at most K products x·y. When every x and y is an integer and K · max|x| · max|y| &lt;= 2^53,
/// every product and every partial sum is an integer of magnitude at most 2^53, which float64
/// represents exactly; so each float64 operation is exact, in any order and any blocking (the
/// rounding-error bound γ_K Σ|x_i y_i| applies to rounded operations only, and there are none).
/// ConvRef and autograd then both produce the exact sum, and the written-out sums do too.
/// </summary>
internal static class ExactIntegers
{
    private const double Limit = 1L << 53;

    /// <summary>
    /// The allowed difference, 0, for sums of at most <paramref name="terms"/> products of factors
    /// from <paramref name="left"/> and <paramref name="right"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A factor is not an integer or the sums could exceed 2^53: the examples would not be exact, so 0 would not be a valid bound.</exception>
    public static double Bound(IEnumerable<double> left, IEnumerable<double> right, int terms)
    {
        var l = left.ToArray();
        var r = right.ToArray();
        if (!l.Concat(r).All(v => v == Math.Round(v)))
            throw new InvalidOperationException("the walk-through's examples must hold integers for their arithmetic to be exact");
        if (terms * l.Max(Math.Abs) * r.Max(Math.Abs) > Limit)
            throw new InvalidOperationException("the walk-through's integers are too large for float64 to hold every partial sum exactly");
        return 0;
    }
}

namespace ConvCompare.Numerics;

/// <summary>
/// Ogita, Rump and Oishi's Dot2 ("Accurate sum and dot product", SIAM J. Sci. Comput. 26(6), 2005,
/// Algorithm 5.3) as a running accumulator: every product is split exactly into p + e with
/// TwoProduct (via FMA), every partial sum exactly into s + e with TwoSum, and the errors are summed
/// on the side. The result is as accurate as if computed in twice the working precision and then
/// rounded: |res - x'y| &lt;= u |x'y| + gamma_n^2 sum|x_i y_i| (their Proposition 5.5), u = 2^-53.
/// </summary>
internal struct CompensatedDot
{
    private double _sum;
    private double _error;
    private long _terms;

    /// <summary>The number of terms added so far (n in the error bound).</summary>
    public readonly long Terms => _terms;

    /// <summary>
    /// The compensated result. When the plain sum is NaN or infinite (a NaN or infinite term), it is the
    /// result IEEE 754 defines and is returned as is: the error terms are meaningless then (TwoSum of an
    /// infinity gives NaN), and would turn every infinity into NaN.
    /// </summary>
    public readonly double Value => double.IsFinite(_sum) ? _sum + _error : _sum;

    /// <summary>Adds x * y.</summary>
    public void AddProduct(double x, double y)
    {
        double product = x * y;
        double productError = Math.FusedMultiplyAdd(x, y, -product);
        Accumulate(product, productError);
    }

    /// <summary>Adds x.</summary>
    public void Add(double x) => Accumulate(x, 0);

    /// <summary>Dot2 of two equally long spans.</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
            throw new ArgumentException($"lengths differ: {x.Length} and {y.Length}", nameof(y));
        var acc = new CompensatedDot();
        for (int i = 0; i < x.Length; i++)
            acc.AddProduct(x[i], y[i]);
        return acc.Value;
    }

    private void Accumulate(double term, double termError)
    {
        // TwoSum (Knuth): sum + term = s + e exactly, with no assumption on magnitudes.
        double s = _sum + term;
        double z = s - _sum;
        double e = (_sum - (s - z)) + (term - z);
        _sum = s;
        _error += e + termError;
        _terms++;
    }
}

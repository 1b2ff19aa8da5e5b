namespace ConvCompare.Snapshots;

/// <summary>Unit roundoffs, Higham's gamma_K and ulps: the vocabulary of the snapshot tolerances.</summary>
internal static class Rounding
{
    /// <summary>u for float64: 2^-53.</summary>
    public const double UnitRoundoffDouble = 1.0 / (1L << 53);

    /// <summary>u for float32: 2^-24.</summary>
    public const double UnitRoundoffSingle = 1.0 / (1 << 24);

    /// <summary>
    /// gamma_K = K u / (1 - K u): a sum of K products computed in any order satisfies
    /// |fl(s) - s| &lt;= gamma_K * sum |x_i y_i| (Higham, Accuracy and Stability of Numerical
    /// Algorithms, 2nd ed., Lemma 3.1 and eq. 3.5), and K further relative roundings of the terms fold
    /// into the same form as gamma_(K+k).
    /// </summary>
    public static double Gamma(long k, double unitRoundoff)
    {
        double ku = k * unitRoundoff;
        return ku < 1 ? ku / (1 - ku) : double.PositiveInfinity;
    }

    /// <summary>The spacing of the dtype's values at |<paramref name="value"/>|.</summary>
    public static double Ulp(double value, double unitRoundoff)
    {
        double a = Math.Abs(value);
        if (unitRoundoff == UnitRoundoffSingle)
        {
            float f = (float)a;
            return MathF.BitIncrement(f) - f;
        }
        return Math.BitIncrement(a) - a;
    }
}

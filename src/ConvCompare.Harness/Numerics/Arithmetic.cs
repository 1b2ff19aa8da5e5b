namespace ConvCompare.Numerics;

/// <summary>
/// The floating-point arithmetic an implementation computes in, described by what rounding-error
/// analysis needs: the unit roundoff u, the underflow unit lambda (half the smallest subnormal: the
/// largest absolute error of one product that underflows), and whether sums are compensated (Dot2).
/// </summary>
/// <param name="Name">float32, float64 or dot2.</param>
/// <param name="UnitRoundoff">u = 2^-p for a p-bit significand.</param>
/// <param name="UnderflowUnit">lambda.</param>
/// <param name="Compensated">Whether dot products are accumulated with <see cref="CompensatedDot"/>.</param>
internal sealed record Arithmetic(string Name, double UnitRoundoff, double UnderflowUnit, bool Compensated)
{
    /// <summary>IEEE binary32: u = 2^-24, lambda = 2^-150.</summary>
    public static Arithmetic Float32 { get; } = new("float32", Math.ScaleB(1, -24), Math.ScaleB(1, -150), false);

    /// <summary>IEEE binary64: u = 2^-53, lambda = 2^-1075 (which rounds to 0 in double, so it is written as the smallest subnormal, 2^-1074, an upper bound).</summary>
    public static Arithmetic Float64 { get; } = new("float64", Math.ScaleB(1, -53), double.Epsilon, false);

    /// <summary>binary64 with Dot2 accumulation: the compensated reference.</summary>
    public static Arithmetic CompensatedFloat64 { get; } = new("dot2", Math.ScaleB(1, -53), double.Epsilon, true);

    /// <summary>gamma_k = k u / (1 - k u) (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., Lemma 3.1); +infinity when k u &gt;= 1.</summary>
    public double Gamma(long k)
    {
        double ku = k * UnitRoundoff;
        return ku < 1 ? ku / (1 - ku) : double.PositiveInfinity;
    }

    /// <summary>
    /// Relative error coefficient c of a sum of <paramref name="terms"/> products followed by
    /// <paramref name="extraRoundings"/> further rounded operations (e.g. multiplying by g'(z) and
    /// evaluating g'): |computed - exact| &lt;= c * magnitude, where magnitude is the same expression
    /// on absolute values. Plain arithmetic: gamma_(terms + extra) (Higham (3.4) and Lemma 3.3,
    /// gamma_a + gamma_b + gamma_a gamma_b &lt;= gamma_(a+b)). Dot2: u + gamma_terms^2 for the sum
    /// (Ogita-Rump-Oishi), whose final rounding u joins the extra operations: gamma_(extra+1) + gamma_terms^2.
    /// </summary>
    public double Coefficient(long terms, int extraRoundings) => Compensated
        ? Gamma(extraRoundings + 1) + Gamma(terms) * Gamma(terms)
        : Gamma(terms + extraRoundings);

    /// <summary>The arithmetic of a dtype without compensation.</summary>
    public static Arithmetic For(Cases.CaseDtype dtype) => dtype == Cases.CaseDtype.F32 ? Float32 : Float64;
}

namespace ConvCompare.Tests.ConvRef.Support;

/// <summary>
/// The derivation's Figure 1 sums (3x3 input, 2x2 kernel, 2x2 error) typed out term by term from the
/// reference text, with no loop and no call into the code under test: the expected values of the
/// worked-example tests and of the walk-through's printed numbers.
/// </summary>
internal static class HandExpanded
{
    /// <summary>Eq 1 written out.</summary>
    public static double[,] Eq1(double[,] a, double[,] w)
    {
        double a11 = a[0, 0], a12 = a[0, 1], a13 = a[0, 2], a21 = a[1, 0], a22 = a[1, 1], a23 = a[1, 2], a31 = a[2, 0], a32 = a[2, 1], a33 = a[2, 2];
        double w11 = w[0, 0], w12 = w[0, 1], w21 = w[1, 0], w22 = w[1, 1];
        return new double[,]
        {
            { a11 * w11 + a12 * w12 + a21 * w21 + a22 * w22, a12 * w11 + a13 * w12 + a22 * w21 + a23 * w22 },
            { a21 * w11 + a22 * w12 + a31 * w21 + a32 * w22, a22 * w11 + a23 * w12 + a32 * w21 + a33 * w22 },
        };
    }

    /// <summary>Eq 2 for every weight (the system before Eq 3) written out.</summary>
    public static double[,] Eq2(double[,] a, double[,] d)
    {
        double a11 = a[0, 0], a12 = a[0, 1], a13 = a[0, 2], a21 = a[1, 0], a22 = a[1, 1], a23 = a[1, 2], a31 = a[2, 0], a32 = a[2, 1], a33 = a[2, 2];
        double d11 = d[0, 0], d12 = d[0, 1], d21 = d[1, 0], d22 = d[1, 1];
        return new double[,]
        {
            { d11 * a11 + d12 * a12 + d21 * a21 + d22 * a22, d11 * a12 + d12 * a13 + d21 * a22 + d22 * a23 },
            { d11 * a21 + d12 * a22 + d21 * a31 + d22 * a32, d11 * a22 + d12 * a23 + d21 * a32 + d22 * a33 },
        };
    }

    /// <summary>Eq 5 written out, all nine entries (the derivation elides four with "...").</summary>
    public static double[,] Eq5(double[,] d, double[,] w)
    {
        double d11 = d[0, 0], d12 = d[0, 1], d21 = d[1, 0], d22 = d[1, 1];
        double w11 = w[0, 0], w12 = w[0, 1], w21 = w[1, 0], w22 = w[1, 1];
        return new double[,]
        {
            { d11 * w11, d11 * w12 + d12 * w11, d12 * w12 },
            { d11 * w21 + d21 * w11, d11 * w22 + d12 * w21 + d21 * w12 + d22 * w11, d12 * w22 + d22 * w12 },
            { d21 * w21, d21 * w22 + d22 * w21, d22 * w22 },
        };
    }
}

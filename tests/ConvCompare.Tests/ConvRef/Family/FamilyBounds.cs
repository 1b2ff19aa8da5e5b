using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Family;

/// <summary>
/// Per-entry tolerances for two computations of a <see cref="FamilyCase"/>: the harness's own
/// <see cref="RoundingBound"/> of the case in its case model (<see cref="FamilyCase.Config"/>), the bound
/// <c>run</c> judges the family with. Its magnitudes are summed by the harness from the definition
/// (<see cref="FamilySums"/>), never by ConvRef or TorchSharp, and K per tensor is derived per operation in
/// <see cref="ReductionLengths"/>; two implementations in arithmetics A and B differ by at most the sum of
/// their bounds.
/// </summary>
internal static class FamilyBounds
{
    /// <summary>Bounds on |x_A - x_B| per entry of each quantity.</summary>
    public sealed record Tolerances(double[] Output, double[] Input, double[] Weights, double[]? Bias);

    /// <summary>Bounds between computations in <paramref name="first"/> and <paramref name="second"/>.</summary>
    public static Tolerances Between(FamilyCase c, Arithmetic first, Arithmetic second)
    {
        var bound = RoundingBound.Compute(c.Config, c.Inputs);
        return new Tolerances(bound.Between(TensorKind.Y, first, second), bound.Between(TensorKind.Dx, first, second),
            bound.Between(TensorKind.Dw, first, second), c.Bias is null ? null : bound.Between(TensorKind.Db, first, second));
    }

    /// <summary>Bounds between a computation in T's precision and TorchSharp in float64.</summary>
    public static Tolerances AgainstFloat64<T>(FamilyCase c) => Between(c, Arithmetic.For(Dtype<T>()), Arithmetic.Float64);

    /// <summary>Bounds between two computations in T's precision.</summary>
    public static Tolerances Within<T>(FamilyCase c) => Between(c, Arithmetic.For(Dtype<T>()), Arithmetic.For(Dtype<T>()));

    private static CaseDtype Dtype<T>() => typeof(T) == typeof(float) ? CaseDtype.F32 : CaseDtype.F64;

    /// <summary>Per entry: the two arithmetics' coefficients for <paramref name="terms"/> products and <paramref name="extra"/> further roundings, times the magnitude (inflated for its own rounding), plus underflow.</summary>
    internal static double[] Of(double[] magnitude, long terms, int extra, Arithmetic first, Arithmetic second)
    {
        double inflate = 1 / (1 - Arithmetic.Float64.Gamma(terms + extra + 2));
        double coefficient = first.Coefficient(terms, extra) + second.Coefficient(terms, extra);
        double underflow = (terms + extra) * (first.UnderflowUnit + second.UnderflowUnit);
        return Array.ConvertAll(magnitude, m => coefficient * m * inflate + underflow);
    }

}

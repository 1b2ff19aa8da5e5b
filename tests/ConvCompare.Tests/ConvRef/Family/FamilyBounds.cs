using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Family;

/// <summary>
/// Per-entry tolerances for two computations of a <see cref="FamilyCase"/>, from Higham's bound on a sum
/// of K products computed in any order: |fl(s) - s| &lt;= gamma_K · Σ|x_i y_i|.
/// </summary>
/// <remarks>
/// <para><b>The magnitude</b> Σ|x_i y_i| of every entry is the same operation on absolute values (|x|,
/// |w|, |b|, |δ|), computed by TorchSharp in float64 (<see cref="TorchConvolutions"/>), not by ConvRef:
/// every term is non-negative, so y, dJ/dx, dJ/dw and dJ/db of that run are the sums of the absolute
/// terms; with an activation below, autograd multiplies dJ/dx by g'(z) &gt;= 0 (ReLU, leaky ReLU with a
/// positive slope, sigmoid, tanh), which is |g'(z)| times the magnitude. Its own float64 rounding is
/// covered by dividing by 1 - gamma_(K+extra+2), as the harness's <see cref="RoundingBound"/> does.</para>
/// <para><b>K per entry</b>: y sums (C_in/G)·Πk products (+1 for the bias) for the convolution and for the
/// transposed one alike (C_in being the input's channels); dJ/dx sums (C_out/G)·Πk, and a padding mode
/// that copies the input adds up the gradients of at most Π(1 + before + after) copies of an element
/// (one per position of each padded axis that maps onto it); dJ/dw and dJ/db sum over N and the
/// positions of the error: N·Π out for the convolution, N·Π in for the transposed one's dJ/dw (its
/// error is x) and N·Π out for its dJ/db. The activation adds <see cref="RoundingBound.ActivationRoundings"/>.</para>
/// <para><b>Two implementations</b> in arithmetics A and B differ by at most the sum of their bounds;
/// each also has (K + extra)·lambda for underflow.</para>
/// </remarks>
internal static class FamilyBounds
{
    /// <summary>Bounds on |x_A - x_B| per entry of each quantity.</summary>
    public sealed record Tolerances(double[] Output, double[] Input, double[] Weights, double[]? Bias);

    /// <summary>Bounds between computations in <paramref name="first"/> and <paramref name="second"/>.</summary>
    public static Tolerances Between(FamilyCase c, Arithmetic first, Arithmetic second)
    {
        var g = c.Op.Geometry(c.InputShape, c.WeightShape, c.Spec);
        var magnitude = TorchConvolutions.Compute(c.Op, c.Spec, Abs(c.InputTensor<double>()), Abs(c.WeightTensor<double>()),
            c.BiasTensor<double>() is { } b ? Abs(b) : null, Abs(c.DeltaTensor<double>()), c.Activation, c.PreviousZTensor);
        long kernel = g.KernelSize.Aggregate(1L, (p, k) => p * k);
        long copies = g.Transposed ? 1 : Enumerable.Range(0, g.Rank).Aggregate(1L, (p, i) => p * (1 + g.PadBefore[i] + g.PadAfter[i]));
        long outputPositions = (long)g.BatchSize * g.OutputSize.Aggregate(1L, (p, s) => p * s);
        long inputPositions = (long)g.BatchSize * g.InputSize.Aggregate(1L, (p, s) => p * s);
        int activation = RoundingBound.ActivationRoundings(c.Activation.Kind);
        double[] Bound(double[] m, long terms, int extra) => Of(m, terms, extra, first, second);
        return new Tolerances(
            Bound(magnitude.Output.Data, g.InChannelsPerGroup * kernel + (c.Bias is null ? 0 : 1), 0),
            Bound(magnitude.InputGradient.Data, copies * g.OutChannelsPerGroup * kernel, activation),
            Bound(magnitude.WeightGradient.Data, g.Transposed ? inputPositions : outputPositions, 0),
            magnitude.BiasGradient is { } db ? Bound(db.Data, outputPositions, 0) : null);
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

    private static Tensor<double> Abs(Tensor<double> t) => new([.. t.Shape], Array.ConvertAll(t.Data, Math.Abs));
}

using System.Globalization;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Support;

/// <summary>
/// Per-entry tolerances from rounding-error analysis (Higham, Accuracy and Stability of Numerical
/// Algorithms, §3.1): a sum of K products computed in any order, with or without FMA, satisfies
/// |fl(Σ x_i y_i) - Σ x_i y_i| &lt;= γ_K Σ |x_i y_i|, γ_K = K u / (1 - K u). Σ |x_i y_i| is ConvRef's
/// own result on absolute values (computed in float64). Two computations that each meet the bound
/// differ by at most twice it; one more term covers the bias and the final rounding to T.
/// </summary>
internal sealed class RoundingBounds
{
    /// <summary>Absolute error bound of g'(z) for every activation here (|g'| &lt;= 1; sigmoid s(1-s) and
    /// tanh 1-t² lose at most a few units of roundoff absolutely, counted generously).</summary>
    private const int ActivationDerivativeUlps = 8;

    private RoundingBounds(double[] z, double[] input, double[] weights, double[]? bias)
    {
        Z = z;
        Input = input;
        Weights = weights;
        Bias = bias;
    }

    public double[] Z { get; }
    public double[] Input { get; }
    public double[] Weights { get; }
    public double[]? Bias { get; }

    public static double UnitRoundoff<T>() => typeof(T) == typeof(float) ? Math.ScaleB(1, -24) : Math.ScaleB(1, -53);

    public static double Gamma(long k, double u) => k * u / (1 - k * u);

    public static RoundingBounds For<T>(ConvCase c)
    {
        double u = UnitRoundoff<T>();
        var abs = c with
        {
            Input = Abs(c.Input), Weights = Abs(c.Weights), Bias = c.Bias is null ? null : Abs(c.Bias), Delta = Abs(c.Delta),
            Activation = Activation.Identity, PreviousZ = null, Clip = null,
        };
        var g = Conv2dGeometry.Create(c.InputShape, c.WeightShape, c.Spec);
        var z = Conv2d.Forward(abs.InputTensor<double>(), abs.WeightTensor<double>(), abs.BiasTensor<double>(), c.Spec, Conv2dAlgorithm.Vectorized);
        var grads = Conv2d.Backward(abs.InputTensor<double>(), abs.WeightTensor<double>(), c.HasBias, abs.DeltaTensor<double>(), c.Spec, null, Conv2dAlgorithm.Vectorized);
        long termsPerOutput = (long)g.InChannelsPerGroup * g.KernelH * g.KernelW + 1;
        long termsPerWeight = (long)g.BatchSize * g.OutH * g.OutW + 1;
        long termsPerInput = (long)g.OutChannelsPerGroup * g.KernelH * g.KernelW + 1;
        double inputFactor = 2 * (Gamma(termsPerInput, u) + (c.PreviousZ is null ? 0 : ActivationDerivativeUlps * u));
        return new RoundingBounds(
            Scale(z.Data, 2 * Gamma(termsPerOutput, u)),
            Scale(grads.Input.Data, inputFactor),
            Scale(grads.Weights.Data, 2 * Gamma(termsPerWeight, u)),
            grads.Bias is null ? null : Scale(grads.Bias.Data, 2 * Gamma(termsPerWeight, u)));
    }

    /// <summary>Asserts |expected - actual| &lt;= tolerance entry by entry; the message names the quantity, the index and the numbers.</summary>
    public static void AssertWithin(string what, IReadOnlyList<double> expected, IReadOnlyList<double> actual, IReadOnlyList<double> tolerance)
    {
        if (Violation(expected, actual, tolerance) is { } i)
            Assert.Fail(string.Create(CultureInfo.InvariantCulture,
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}, difference {Math.Abs(expected[i] - actual[i]):R} exceeds the rounding bound {tolerance[i]:R}"));
    }

    /// <summary>The first index where the difference exceeds the tolerance (NaN counts as exceeding), or null.</summary>
    public static int? Violation(IReadOnlyList<double> expected, IReadOnlyList<double> actual, IReadOnlyList<double> tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance[i]))
                return i;
        return null;
    }

    private static double[] Abs(double[] x) => [.. x.Select(Math.Abs)];

    private static double[] Scale(double[] x, double factor) => [.. x.Select(v => v * factor)];
}

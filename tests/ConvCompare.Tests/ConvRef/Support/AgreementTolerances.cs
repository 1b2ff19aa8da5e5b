using System.Globalization;
using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Numerics;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Support;

/// <summary>
/// How far two computations of a <see cref="ConvCase"/> in precision T may disagree, entry by entry: the
/// harness's <see cref="RoundingBound"/> (Higham's gamma_K times the sum of absolute products, per
/// implementation) summed over both, as flat arrays of y, dJ/da (or delta^(l-1)), dJ/dw and dJ/db,
/// with the assertions that hold two results to them. A test helper around the harness's one bound,
/// not a second bound.
/// </summary>
internal sealed class AgreementTolerances
{
    private AgreementTolerances(double[] z, double[] input, double[] weights, double[]? bias)
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

    /// <summary>
    /// Bounds on |x_A - x_B| when both computations round in T's precision or better (a float64
    /// reference is covered by the float32 bound); the case's values must lie where the harness's
    /// bound holds (|z^(l-1)| &lt;= 1, leaky ReLU slope <see cref="CaseConfig.LeakySlope"/>).
    /// </summary>
    public static AgreementTolerances For<T>(ConvCase c)
    {
        var dtype = typeof(T) == typeof(float) ? CaseDtype.F32 : CaseDtype.F64;
        var g = Conv2dGeometry.Create(c.InputShape, c.WeightShape, c.Spec);
        var config = new CaseConfig(
            Shape: new(N: g.BatchSize, Cin: g.InChannels, H: g.InH, W: g.InW, Cout: g.OutChannels, KH: g.KernelH, KW: g.KernelW),
            Geometry: CaseGeometry.Of(c.Spec), Bias: c.HasBias, Dtype: dtype, Activation: c.Activation.Kind, Clip: c.Clip, ValueSeed: 0);
        var inputs = new CaseInputs(c.InputTensor<double>(), c.WeightTensor<double>(), c.BiasTensor<double>(), c.DeltaTensor<double>(),
            c.PreviousZ is null ? null : new Tensor<double>(c.InputShape, c.PreviousZ));
        var bound = RoundingBound.Compute(config, inputs);
        var arithmetic = Arithmetic.For(dtype);
        double[] Of(TensorKind kind) => bound.Between(kind, arithmetic, arithmetic);
        return new AgreementTolerances(Of(TensorKind.Y), Of(TensorKind.Dx), Of(TensorKind.Dw), c.HasBias ? Of(TensorKind.Db) : null);
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
}

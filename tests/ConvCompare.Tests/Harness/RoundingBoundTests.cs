using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Numerics;
using global::ConvRef;

namespace ConvCompare.Tests.Harness;

public class RoundingBoundTests
{
    // a = [[1, -2], [3, 0.5]] (1x1x2x2), w = [[2], [-1]] (1x1x2x1), b = [-3], dy = [[1, -1]] (1x1x1x2).
    private static readonly CaseConfig Config = new(1, 1, 2, 2, 1, 2, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, true, CaseDtype.F64, ActivationKind.Identity, null, 0);

    private static CaseInputs Inputs(Tensor<double>? z = null) => new(
        new Tensor<double>([1, 1, 2, 2], [1, -2, 3, 0.5]),
        new Tensor<double>([1, 1, 2, 1], [2, -1]),
        new Tensor<double>([1], [-3]),
        new Tensor<double>([1, 1, 1, 2], [1, -1]),
        z);

    private static double Gamma(int k, double u) => k * u / (1 - k * u);

    [Fact]
    public void HandComputedExample_MagnitudesAndReductionLengths()
    {
        var bound = RoundingBound.Compute(Config, Inputs());
        // y[j] = a[0,j] w0 + a[1,j] w1 + b: |1*2| + |3*-1| + |-3| = 8 and |-2*2| + |0.5*-1| + 3 = 7.5, K = 2 taps + bias.
        AssertClose([8, 7.5], bound.Magnitude(TensorKind.Y));
        Assert.Equal(3, bound.ReductionLength(TensorKind.Y));
        // dJ/da[r,s] = dy[s] w[r]: 2, 2, 1, 1 (one term each, K = C_out * kH * kW = 2).
        AssertClose([2, 2, 1, 1], bound.Magnitude(TensorKind.Dx));
        Assert.Equal(2, bound.ReductionLength(TensorKind.Dx));
        // dJ/dw[p] = sum_j dy[j] a[p,j]: |1| + |-2| = 3 and |3| + |-0.5| = 3.5, K = N * H_out * W_out = 2.
        AssertClose([3, 3.5], bound.Magnitude(TensorKind.Dw));
        Assert.Equal(2, bound.ReductionLength(TensorKind.Dw));
        AssertClose([2], bound.Magnitude(TensorKind.Db));
    }

    [Fact]
    public void HandComputedExample_BoundIsTwoGammaKTimesMagnitudePlusUnderflow()
    {
        var bound = RoundingBound.Compute(Config, Inputs());
        double u64 = Math.ScaleB(1, -53), u32 = Math.ScaleB(1, -24);
        AssertClose([2 * Gamma(3, u64) * 8 + 6 * double.Epsilon, 2 * Gamma(3, u64) * 7.5 + 6 * double.Epsilon],
            bound.Between(TensorKind.Y, Arithmetic.Float64, Arithmetic.Float64));
        AssertClose([2 * Gamma(2, u32) * 3 + 4 * Math.ScaleB(1, -150), 2 * Gamma(2, u32) * 3.5 + 4 * Math.ScaleB(1, -150)],
            bound.Between(TensorKind.Dw, Arithmetic.Float32, Arithmetic.Float32));
        // Against the compensated reference: gamma_K(u32) for float32 plus u + gamma_K(u64)^2 for Dot2.
        AssertClose([Gamma(2, u32) * 2 + (Gamma(1, u64) + Gamma(2, u64) * Gamma(2, u64)) * 2 + 2 * Math.ScaleB(1, -150) + 2 * double.Epsilon],
            bound.Between(TensorKind.Db, Arithmetic.Float32, Arithmetic.CompensatedFloat64));
    }

    [Fact]
    public void WithTanh_DxBoundCarriesTheDerivativeAndItsEvaluationRoundings()
    {
        var z = new Tensor<double>([1, 1, 2, 2], [0.5, -0.25, 1, -1]);
        var bound = RoundingBound.Compute(Config with { Activation = ActivationKind.Tanh }, Inputs(z));
        double[] expected = [2, 2, 1, 1];
        for (int i = 0; i < 4; i++)
            expected[i] *= 1 - Math.Tanh(z.Data[i]) * Math.Tanh(z.Data[i]);
        AssertClose(expected, bound.Magnitude(TensorKind.Dx));
        double u = Math.ScaleB(1, -53);
        AssertClose(expected.Select(m => Gamma(2 + 8, u) * m + 10 * double.Epsilon).ToArray(), bound.Of(TensorKind.Dx, Arithmetic.Float64));
    }

    [Fact]
    public void Compute_SumsEveryMagnitudeAtOnce_SoAFailureOfTheJudgeShowsBeforeAnyImplementationRuns()
    {
        // Padding and stride so far beyond the input that the definition sums refuse the layer.
        var c = new CaseConfig(1, 1, 1, 1, 1, 1, 1, 100_000, 100_000, 100_000, 100_000, 100_000, 100_000, 1, 1, 1, false, CaseDtype.F64, ActivationKind.Identity, null, 0);
        var inputs = new CaseInputs(new Tensor<double>([1, 1, 1, 1], [1]), new Tensor<double>([1, 1, 1, 1], [1]), null,
            Tensor<double>.Zeros(c.OutputShape), null);

        var deferred = RoundingBound.Deferred(c, inputs);

        Assert.Throws<InvalidOperationException>(() => RoundingBound.Compute(c, inputs));
        Assert.Throws<InvalidOperationException>(() => deferred.Magnitude(TensorKind.Y));
    }

    [Fact]
    public void CompensatedDot_IsExactWhereTheNaiveSumLosesEverything()
    {
        double[] x = [1e16, 1, -1e16, 3e-3];
        double[] y = [1, 1, 1, 1];
        Assert.Equal(1.003, CompensatedDot.Dot(x, y), 15);
        Assert.NotEqual(1.003, x[0] + x[1] + x[2] + x[3]);
    }

    [Fact]
    public void Comparison_ComputesTheMetricsAndTheAssertCloseVerdict()
    {
        double d = Math.ScaleB(1, -22), b = Math.ScaleB(1, -23);      // exact, so every metric is exact
        var expected = new Tensor<double>([3], [1, 0, -2]);
        var actual = new Tensor<double>([3], [1 + d, 1e-8, -2]);
        var c = TensorComparison.Compare(TensorKind.Db, actual, expected, [b, b, b], CaseDtype.F64);
        Assert.Equal(d, c.MaxAbs);
        Assert.Equal(d, c.MaxRel);                    // the zero expected element is left out of max_rel
        Assert.Equal(2, c.BoundRatio);
        Assert.False(c.Pass);
        Assert.Equal([0], c.OutOfBound);
        Assert.False(c.AssertClose);                  // 2.4e-7 > 1e-7 + 1e-7 * 1
        Assert.True(TensorComparison.Compare(TensorKind.Db, actual, expected, [b, b, b], CaseDtype.F32).AssertClose);
    }

    [Fact]
    public void Comparison_FailsOnNaN()
    {
        var c = TensorComparison.Compare(TensorKind.Dx, new Tensor<double>([2], [double.NaN, 1]), new Tensor<double>([2], [0, 1]), [1, 1], CaseDtype.F32);
        Assert.Equal(double.PositiveInfinity, c.BoundRatio);
        Assert.False(c.Pass);
        Assert.False(c.AssertClose);
    }

    [Fact]
    public void Comparison_WithAVacuousBound_FailsInsteadOfPassing()
    {
        long k = 1L << 25;
        Assert.Equal(double.PositiveInfinity, Arithmetic.Float32.Gamma(k));
        var c = TensorComparison.Compare(TensorKind.Dw, new Tensor<double>([1], [1]), new Tensor<double>([1], [1]),
            [Arithmetic.Float32.Gamma(k)], CaseDtype.F32);
        Assert.False(c.Pass);
    }

    private static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * Math.Abs(expected[i]), $"element {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }
}

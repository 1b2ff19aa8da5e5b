using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Numerics;
using global::ConvRef;

namespace ConvCompare.Tests.Harness;

/// <summary>
/// The rounding bounds of cases small enough to count by hand. Every expected bound is written out
/// from docs/tolerances.md in closed form, never with the implementation's gamma: with u = 2^-p,
/// gamma_K = K u / (1 - K u) = K / (2^p - K), so gamma_3 in float64 is 3 / (2^53 - 3). The per-element
/// bound of one implementation is gamma_(K+extra) m + (K + extra) lambda, of two the sum of theirs.
/// Expected and computed values are compared to 1e-12 relative: far tighter than any wrong K (a
/// change of at least 1/K) or a lost factor 2, far looser than the magnitude's own safety factor
/// 1 / (1 - gamma_(K+extra+2)) of about 1 + 1e-15.
/// </summary>
public class RoundingBoundTests
{
    private const double TwoTo24 = 16777216;
    private const double TwoTo53 = 9007199254740992;

    /// <summary>lambda of float32: half the smallest float32 subnormal.</summary>
    private static readonly double Lambda32 = Math.ScaleB(1, -150);

    /// <summary>lambda of float64 as the harness writes it: the smallest subnormal, 2^-1074.</summary>
    private const double Lambda64 = double.Epsilon;

    // a = [[1, -2], [3, 0.5]] (1x1x2x2), w = [[2], [-1]] (1x1x2x1), b = [-3], dy = [[1, -1]] (1x1x1x2).
    private static readonly CaseConfig Config = new(
        Shape: new(N: 1, Cin: 1, H: 2, W: 2, Cout: 1, KH: 2, KW: 1), Geometry: CaseGeometry.Default,
        Bias: true, Dtype: CaseDtype.F64, Activation: ActivationKind.Identity, Clip: null, ValueSeed: 0);

    /// <summary>1x1x2x2 input, one 1x1 filter, stride 1, no padding, no bias, float64, identity.</summary>
    private static readonly CaseConfig OneByOne = Config with { Shape = Config.Shape with { KH = 1 }, Bias = false };

    private static CaseInputs Inputs(Tensor<double>? z = null) => new(
        new Tensor<double>([1, 1, 2, 2], [1, -2, 3, 0.5]),
        new Tensor<double>([1, 1, 2, 1], [2, -1]),
        new Tensor<double>([1], [-3]),
        new Tensor<double>([1, 1, 1, 2], [1, -1]),
        z);

    /// <summary>The inputs of <paramref name="c"/> with the given values, in the shapes the layer gives them.</summary>
    private static CaseInputs Inputs(CaseConfig c, double[] a, double[] w, double[]? b, double[] dy, double[]? z = null) => new(
        new Tensor<double>(c.InputShape, a),
        new Tensor<double>(c.WeightShape, w),
        b is null ? null : new Tensor<double>([c.Shape.Cout], b),
        new Tensor<double>(c.OutputShape, dy),
        z is null ? null : new Tensor<double>(c.InputShape, z));

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
    public void HandComputedExample_TwoFloat64Implementations_MayDifferByTwoGamma3TimesTheMagnitude()
    {
        var bound = RoundingBound.Compute(Config, Inputs());
        // y: m = 8 and 7.5, K = 2 taps + bias = 3, float64 twice: 2 (gamma_3 m + 3 lambda) with
        // gamma_3 = 3 / (2^53 - 3): 2 * 3/(2^53-3) * 8 ~ 5.3e-15.
        AssertClose([2 * 3 / (TwoTo53 - 3) * 8 + 6 * Lambda64, 2 * 3 / (TwoTo53 - 3) * 7.5 + 6 * Lambda64],
            bound.Between(TensorKind.Y, Arithmetic.Float64, Arithmetic.Float64));
    }

    [Fact]
    public void HandComputedExample_TwoFloat32Implementations_UseTheFloat32Roundoff()
    {
        var bound = RoundingBound.Compute(Config, Inputs());
        // dJ/dw: m = 3 and 3.5, K = N H_out W_out = 2, gamma_2 = 2 / (2^24 - 2) = 1 / (2^23 - 1),
        // twice: 2 m / (2^23 - 1) + 2 * 2 lambda_32 ~ 7.2e-7 and 8.3e-7.
        AssertClose([2 * 3 / (TwoTo24 / 2 - 1) + 4 * Lambda32, 2 * 3.5 / (TwoTo24 / 2 - 1) + 4 * Lambda32],
            bound.Between(TensorKind.Dw, Arithmetic.Float32, Arithmetic.Float32));
    }

    [Fact]
    public void HandComputedExample_Float32AgainstTheCompensatedReference_AddsDot2sOwnBound()
    {
        var bound = RoundingBound.Compute(Config, Inputs());
        // dJ/db: m = |1| + |-1| = 2, K = 2. float32: gamma_2 m + 2 lambda_32 = 2 / (2^23 - 1) + 2 lambda_32.
        // Dot2: (u + gamma_2^2) m + 2 lambda_64, its final rounding written gamma_1 = 1 / (2^53 - 1)
        // and gamma_2 = 2 / (2^53 - 2) = 1 / (2^52 - 1).
        double dot2 = (1 / (TwoTo53 - 1) + 1 / ((TwoTo53 / 2 - 1) * (TwoTo53 / 2 - 1))) * 2 + 2 * Lambda64;
        AssertClose([2 / (TwoTo24 / 2 - 1) + 2 * Lambda32 + dot2],
            bound.Between(TensorKind.Db, Arithmetic.Float32, Arithmetic.CompensatedFloat64));
    }

    [Fact]
    public void OneByOneKernel_EveryOutputIsOneProduct_AndTheWeightGradientSumsFourPositions()
    {
        // a = [1, -2, 3, 0.5], w = -3, dy = [1, -2, 0.5, 4].
        var bound = RoundingBound.Compute(OneByOne, Inputs(OneByOne, [1, -2, 3, 0.5], [-3], null, [1, -2, 0.5, 4]));
        // y = a w: one product each, K = 1, m = 3 |a|; gamma_1 = 1 / (2^53 - 1).
        Assert.Equal(1, bound.ReductionLength(TensorKind.Y));
        AssertClose([3, 6, 9, 1.5], bound.Magnitude(TensorKind.Y));
        AssertClose([3 / (TwoTo53 - 1) + Lambda64, 6 / (TwoTo53 - 1) + Lambda64, 9 / (TwoTo53 - 1) + Lambda64, 1.5 / (TwoTo53 - 1) + Lambda64],
            bound.Of(TensorKind.Y, Arithmetic.Float64));
        // dJ/da = dy w: K = C_out kH kW = 1, m = 3 |dy| = [3, 6, 1.5, 12]; in float32 gamma_1 = 1 / (2^24 - 1).
        Assert.Equal(1, bound.ReductionLength(TensorKind.Dx));
        AssertClose([3 / (TwoTo24 - 1) + Lambda32, 6 / (TwoTo24 - 1) + Lambda32, 1.5 / (TwoTo24 - 1) + Lambda32, 12 / (TwoTo24 - 1) + Lambda32],
            bound.Of(TensorKind.Dx, Arithmetic.Float32));
        // dJ/dw = sum over the 4 positions of dy a: K = 4, m = 1 + 4 + 1.5 + 2 = 8.5; gamma_4 = 4 / (2^24 - 4) = 1 / (2^22 - 1).
        Assert.Equal(4, bound.ReductionLength(TensorKind.Dw));
        AssertClose([8.5 / (TwoTo24 / 4 - 1) + 4 * Lambda32], bound.Of(TensorKind.Dw, Arithmetic.Float32));
    }

    [Fact]
    public void KernelAsLargeAsTheInput_OneOutputOfFourProductsAndABias()
    {
        var c = OneByOne with { Shape = OneByOne.Shape with { KH = 2, KW = 2 }, Bias = true };
        // a = [1, -2, 3, 0.5], w = [1, 2, -1, 0.5], b = [1], dy = [-2].
        var bound = RoundingBound.Compute(c, Inputs(c, [1, -2, 3, 0.5], [1, 2, -1, 0.5], [1], [-2]));
        // y: K = 4 taps + bias = 5, m = 1 + 4 + 3 + 0.25 + 1 = 9.25; gamma_5 = 5 / (2^53 - 5).
        Assert.Equal(5, bound.ReductionLength(TensorKind.Y));
        AssertClose([9.25 * 5 / (TwoTo53 - 5) + 5 * Lambda64], bound.Of(TensorKind.Y, Arithmetic.Float64));
        // dJ/da[r,s] = dy w[r,s]: only one tap reaches each position here, but K = C_out kH kW = 4 is the
        // count every algorithm may sum (the other taps add exact zeros): m = 2 |w| = [2, 4, 2, 1],
        // gamma_4 = 4 / (2^53 - 4) = 1 / (2^51 - 1).
        Assert.Equal(4, bound.ReductionLength(TensorKind.Dx));
        AssertClose([2 / (TwoTo53 / 4 - 1) + 4 * Lambda64, 4 / (TwoTo53 / 4 - 1) + 4 * Lambda64, 2 / (TwoTo53 / 4 - 1) + 4 * Lambda64, 1 / (TwoTo53 / 4 - 1) + 4 * Lambda64],
            bound.Of(TensorKind.Dx, Arithmetic.Float64));
        // dJ/dw = dy a and dJ/db = dy: one output position, K = 1, gamma_1 = 1 / (2^53 - 1).
        Assert.Equal(1, bound.ReductionLength(TensorKind.Dw));
        AssertClose([2 / (TwoTo53 - 1) + Lambda64, 4 / (TwoTo53 - 1) + Lambda64, 6 / (TwoTo53 - 1) + Lambda64, 1 / (TwoTo53 - 1) + Lambda64],
            bound.Of(TensorKind.Dw, Arithmetic.Float64));
        Assert.Equal(1, bound.ReductionLength(TensorKind.Db));
        AssertClose([2 / (TwoTo53 - 1) + Lambda64], bound.Of(TensorKind.Db, Arithmetic.Float64));
    }

    [Fact]
    public void StrideTwo_UncoveredInputPositionsKeepOnlyTheUnderflowTerm()
    {
        var c = OneByOne with { Geometry = OneByOne.Geometry with { StrideH = 2, StrideW = 2 } };
        // H_out = W_out = 1: y = a[0,0] w reads one position. a = [1, -2, 3, 0.5], w = 4, dy = [-0.5].
        var bound = RoundingBound.Compute(c, Inputs(c, [1, -2, 3, 0.5], [4], null, [-0.5]));
        // dJ/da: m = [0.5 * 4, 0, 0, 0], K = 1. The three positions no tap reads have m = 0 and a bound of
        // exactly K lambda_32 = 2^-150: nothing to round, only a product that could underflow.
        var dx = bound.Of(TensorKind.Dx, Arithmetic.Float32);
        AssertClose([2 / (TwoTo24 - 1) + Lambda32], [dx[0]]);
        Assert.Equal(new[] { Lambda32, Lambda32, Lambda32 }, dx[1..]);
        // dJ/dw: K = N H_out W_out = 1, m = 0.5 * 1.
        Assert.Equal(1, bound.ReductionLength(TensorKind.Dw));
        AssertClose([0.5 / (TwoTo24 - 1) + Lambda32], bound.Of(TensorKind.Dw, Arithmetic.Float32));
    }

    [Fact]
    public void PaddingOne_AddsOutputPositionsButNoTermsToAnOutput()
    {
        var c = OneByOne with
        {
            Shape = OneByOne.Shape with { KH = 2, KW = 2 },
            Geometry = OneByOne.Geometry with { PadTop = 1, PadBottom = 1, PadLeft = 1, PadRight = 1 },
        };
        // 3x3 output; the corner y[0,0] reads only a[0,0] through w[1,1]: a = [1, -2, 3, 0.5], w = [1, 2, -1, 0.5].
        var bound = RoundingBound.Compute(c, Inputs(c, [1, -2, 3, 0.5], [1, 2, -1, 0.5], null, new double[9]));
        // K of y stays C_in kH kW = 4 (the padding zeros do not round); m(y[0,0]) = 1 * 0.5, m(y[1,1]) = the full 8.25.
        Assert.Equal(4, bound.ReductionLength(TensorKind.Y));
        Assert.Equal(0.5, bound.Magnitude(TensorKind.Y)[0], 1e-15);
        Assert.Equal(8.25, bound.Magnitude(TensorKind.Y)[4], 1e-14);
        // dJ/dw sums over the 9 output positions: K = 9; dy = 0 gives m = 0 and only 9 lambda.
        Assert.Equal(9, bound.ReductionLength(TensorKind.Dw));
        Assert.Equal(new[] { 9 * Lambda32, 9 * Lambda32, 9 * Lambda32, 9 * Lambda32 }, bound.Of(TensorKind.Dw, Arithmetic.Float32));
    }

    [Fact]
    public void DilationTwo_TheTwoTapsSkipAColumn_AndTheSkippedColumnHasNoGradientTerm()
    {
        var c = OneByOne with { Shape = OneByOne.Shape with { H = 1, W = 3, KW = 2 }, Geometry = OneByOne.Geometry with { DilationW = 2 } };
        // 1x3 input, 1x2 kernel with taps at columns 0 and 2, one output: y = a0 w0 + a2 w1.
        // a = [1, -2, 3], w = [2, -1], dy = [-0.5].
        var bound = RoundingBound.Compute(c, Inputs(c, [1, -2, 3], [2, -1], null, [-0.5]));
        // y: K = 2, m = 2 + 3 = 5, gamma_2 = 1 / (2^52 - 1).
        AssertClose([5 / (TwoTo53 / 2 - 1) + 2 * Lambda64], bound.Of(TensorKind.Y, Arithmetic.Float64));
        // dJ/da: K = C_out kH kW = 2, m = [0.5 * 2, 0, 0.5 * 1]; the middle column is read by no tap.
        var dx = bound.Of(TensorKind.Dx, Arithmetic.Float64);
        AssertClose([1 / (TwoTo53 / 2 - 1) + 2 * Lambda64, 2 * Lambda64, 0.5 / (TwoTo53 / 2 - 1) + 2 * Lambda64], dx);
        Assert.Equal(2 * Lambda64, dx[1]);
        // dJ/dw: one output position, K = 1, m = [0.5 * 1, 0.5 * 3].
        AssertClose([0.5 / (TwoTo53 - 1) + Lambda64, 1.5 / (TwoTo53 - 1) + Lambda64], bound.Of(TensorKind.Dw, Arithmetic.Float64));
    }

    [Fact]
    public void TwoGroups_EachOutputSumsOnlyItsOwnGroupsChannels()
    {
        var c = OneByOne with { Shape = OneByOne.Shape with { Cin = 2, Cout = 2, H = 1, W = 2 }, Geometry = OneByOne.Geometry with { Groups = 2 } };
        // Channel 0 feeds filter 0 only, channel 1 filter 1 only. a = [1, -2 | 3, 0.5], w = [2, -4],
        // dy = [1, -1 | 0.5, 2].
        var bound = RoundingBound.Compute(c, Inputs(c, [1, -2, 3, 0.5], [2, -4], null, [1, -1, 0.5, 2]));
        // y: K = C_in/G kH kW = 1 (not 2), m = [2, 4 | 12, 2], gamma_1 = 1 / (2^24 - 1) in float32.
        Assert.Equal(1, bound.ReductionLength(TensorKind.Y));
        AssertClose([2 / (TwoTo24 - 1) + Lambda32, 4 / (TwoTo24 - 1) + Lambda32, 12 / (TwoTo24 - 1) + Lambda32, 2 / (TwoTo24 - 1) + Lambda32],
            bound.Of(TensorKind.Y, Arithmetic.Float32));
        // dJ/da: K = C_out/G kH kW = 1, m = [2 |dy_0|, 4 |dy_1|] = [2, 2 | 2, 8].
        Assert.Equal(1, bound.ReductionLength(TensorKind.Dx));
        AssertClose([2 / (TwoTo24 - 1) + Lambda32, 2 / (TwoTo24 - 1) + Lambda32, 2 / (TwoTo24 - 1) + Lambda32, 8 / (TwoTo24 - 1) + Lambda32],
            bound.Of(TensorKind.Dx, Arithmetic.Float32));
        // dJ/dw: K = N H_out W_out = 2, m = [1 + 2, 1.5 + 1] = [3, 2.5], gamma_2 = 1 / (2^23 - 1).
        AssertClose([3 / (TwoTo24 / 2 - 1) + 2 * Lambda32, 2.5 / (TwoTo24 / 2 - 1) + 2 * Lambda32], bound.Of(TensorKind.Dw, Arithmetic.Float32));
    }

    [Fact]
    public void Clipping_LeavesTheWeightGradientBoundAsItIs()
    {
        // Clamping to [-c, c] is 1-Lipschitz: it can only bring two values closer, so the bound of the
        // unclamped dJ/dw holds unchanged, however small c is.
        var clipped = RoundingBound.Compute(Config with { Clip = 0.01 }, Inputs());
        var unclipped = RoundingBound.Compute(Config, Inputs());
        Assert.Equal(unclipped.Of(TensorKind.Dw, Arithmetic.Float32), clipped.Of(TensorKind.Dw, Arithmetic.Float32));
        AssertClose([3 / (TwoTo24 / 2 - 1) + 2 * Lambda32, 3.5 / (TwoTo24 / 2 - 1) + 2 * Lambda32], clipped.Of(TensorKind.Dw, Arithmetic.Float32));
    }

    [Fact]
    public void WithReLU_NegativeZZeroesTheMagnitude_AndTheProductAddsOneRounding()
    {
        double[] z = [0.5, -0.25, 1, -1];
        var bound = RoundingBound.Compute(Config with { Activation = ActivationKind.ReLU }, Inputs(new Tensor<double>([1, 1, 2, 2], z)));
        // m(dJ/da) = [2, 2, 1, 1] times g'(z) = [1, 0, 1, 0]; K = 2 plus 1 rounding for the product:
        // gamma_3 = 3 / (2^53 - 3), and 3 lambda where m = 0.
        AssertClose([2, 0, 1, 0], bound.Magnitude(TensorKind.Dx));
        AssertClose([2 * 3 / (TwoTo53 - 3) + 3 * Lambda64, 3 * Lambda64, 3 / (TwoTo53 - 3) + 3 * Lambda64, 3 * Lambda64],
            bound.Of(TensorKind.Dx, Arithmetic.Float64));
    }

    [Fact]
    public void WithLeakyReLU_TheSlopeScalesTheMagnitude_AndItsOwnRoundingCountsToo()
    {
        double[] z = [0.5, -0.25, 1, -1];
        var bound = RoundingBound.Compute(Config with { Activation = ActivationKind.LeakyReLU }, Inputs(new Tensor<double>([1, 1, 2, 2], z)));
        // g'(z) = [1, 0.01, 1, 0.01]; K = 2 plus the product plus the slope's rounding: gamma_4 = 1 / (2^51 - 1).
        AssertClose([2, 0.02, 1, 0.01], bound.Magnitude(TensorKind.Dx));
        AssertClose([2 / (TwoTo53 / 4 - 1) + 4 * Lambda64, 0.02 / (TwoTo53 / 4 - 1) + 4 * Lambda64, 1 / (TwoTo53 / 4 - 1) + 4 * Lambda64, 0.01 / (TwoTo53 / 4 - 1) + 4 * Lambda64],
            bound.Of(TensorKind.Dx, Arithmetic.Float64));
    }

    [Fact]
    public void WithSigmoidAtZero_TheDerivativeIsAQuarter_AndEvaluatingItCosts17Roundings()
    {
        var bound = RoundingBound.Compute(Config with { Activation = ActivationKind.Sigmoid }, Inputs(new Tensor<double>([1, 1, 2, 2], new double[4])));
        // s(0) = 1/2, g'(0) = s (1 - s) = 1/4: m = [2, 2, 1, 1] / 4. K = 2 plus 17: gamma_19 = 19 / (2^24 - 19) in float32.
        AssertClose([0.5, 0.5, 0.25, 0.25], bound.Magnitude(TensorKind.Dx));
        AssertClose([0.5 * 19 / (TwoTo24 - 19) + 19 * Lambda32, 0.5 * 19 / (TwoTo24 - 19) + 19 * Lambda32, 0.25 * 19 / (TwoTo24 - 19) + 19 * Lambda32, 0.25 * 19 / (TwoTo24 - 19) + 19 * Lambda32],
            bound.Of(TensorKind.Dx, Arithmetic.Float32));
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
        // K = 2 plus 8 roundings for 1 - t^2 and the product: gamma_10 = 10 / (2^53 - 10) = 5 / (2^52 - 5).
        AssertClose(expected.Select(m => 5 * m / (TwoTo53 / 2 - 5) + 10 * Lambda64).ToArray(), bound.Of(TensorKind.Dx, Arithmetic.Float64));
        // Against Dot2 the sum's K no longer multiplies u: gamma_(8+1) + gamma_2^2 = 9 / (2^53 - 9) + 1 / (2^52 - 1)^2.
        AssertClose(expected.Select(m => (9 / (TwoTo53 - 9) + 1 / ((TwoTo53 / 2 - 1) * (TwoTo53 / 2 - 1))) * m + 10 * Lambda64).ToArray(),
            bound.Of(TensorKind.Dx, Arithmetic.CompensatedFloat64));
    }

    [Fact]
    public void ScalingTheInputs_ScalesTheBoundAboveTheUnderflowTermLinearly()
    {
        // m is homogeneous of degree one in a (and in b, for y); K does not change, so neither does gamma_K.
        var scaled = Inputs() with
        {
            Input = new Tensor<double>([1, 1, 2, 2], [3, -6, 9, 1.5]),
            Bias = new Tensor<double>([1], [-9]),
        };
        var once = RoundingBound.Compute(Config, Inputs());
        var thrice = RoundingBound.Compute(Config, scaled);
        foreach (var (kind, k) in new[] { (TensorKind.Y, 3), (TensorKind.Dw, 2) })
        {
            var expected = once.Of(kind, Arithmetic.Float32).Select(b => 3 * (b - k * Lambda32)).ToArray();
            AssertClose(expected, thrice.Of(kind, Arithmetic.Float32).Select(b => b - k * Lambda32).ToArray());
        }
        // dJ/da does not read a: its bound does not move.
        Assert.Equal(once.Of(TensorKind.Dx, Arithmetic.Float32), thrice.Of(TensorKind.Dx, Arithmetic.Float32));
    }

    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(2, 1, 1, 2)]
    [InlineData(1, 2, 2, 4)]
    [InlineData(3, 2, 2, 12)]
    [InlineData(8, 3, 3, 72)]
    public void TheOutputsBoundOverItsMagnitude_IsGammaKOfTheTapCount(int cin, int kh, int kw, int k)
    {
        // One output (kernel as large as the input), no bias, all values 1: m = K exactly, and the bound
        // without its K lambda is gamma_K m = K / (2^24 - K) * K in float32: it grows faster than K.
        var c = OneByOne with { Shape = OneByOne.Shape with { Cin = cin, H = kh, W = kw, KH = kh, KW = kw } };
        var ones = (int n) => Enumerable.Repeat(1.0, n).ToArray();
        var bound = RoundingBound.Compute(c, Inputs(c, ones(cin * kh * kw), ones(cin * kh * kw), null, [1]));
        Assert.Equal(k, bound.ReductionLength(TensorKind.Y));
        AssertClose([k], bound.Magnitude(TensorKind.Y));
        AssertClose([(double)k / (TwoTo24 - k) * k], [bound.Of(TensorKind.Y, Arithmetic.Float32)[0] - k * Lambda32]);
    }

    [Fact]
    public void Float32Bound_ExceedsTheFloat64BoundByTheRatioOfTheirRoundoffs()
    {
        // gamma_K(u32) / gamma_K(u64) = (2^53 - K) / (2^24 - K) = 2^29 (1 - K 2^-53) / (1 - K 2^-24): just
        // above u32 / u64 = 2^29, by less than 2 K u32 relative. Here K = 3 (y), 2 (dJ/da, dJ/dw, dJ/db).
        var bound = RoundingBound.Compute(Config, Inputs());
        foreach (var (kind, k) in new[] { (TensorKind.Y, 3), (TensorKind.Dx, 2), (TensorKind.Dw, 2), (TensorKind.Db, 2) })
        {
            var f32 = bound.Of(kind, Arithmetic.Float32);
            var f64 = bound.Of(kind, Arithmetic.Float64);
            for (int i = 0; i < f32.Length; i++)
            {
                double ratio = (f32[i] - k * Lambda32) / (f64[i] - k * Lambda64);
                Assert.InRange(ratio, Math.ScaleB(1, 29), Math.ScaleB(1, 29) * (1 + 2 * k / TwoTo24));
            }
        }
    }

    [Fact]
    public void BetweenTwoImplementations_IsTheSumOfTheirOwnBounds()
    {
        var bound = RoundingBound.Compute(Config, Inputs());
        foreach (var kind in new[] { TensorKind.Y, TensorKind.Dx, TensorKind.Dw, TensorKind.Db })
        {
            Assert.Equal(bound.Of(kind, Arithmetic.Float64).Select(b => 2 * b), bound.Between(kind, Arithmetic.Float64, Arithmetic.Float64));
            var f32 = bound.Of(kind, Arithmetic.Float32);
            var dot2 = bound.Of(kind, Arithmetic.CompensatedFloat64);
            Assert.Equal(f32.Zip(dot2, (x, y) => x + y), bound.Between(kind, Arithmetic.Float32, Arithmetic.CompensatedFloat64));
        }
    }

    [Fact]
    public void Compute_SumsEveryMagnitudeAtOnce_SoAFailureOfTheJudgeShowsBeforeAnyImplementationRuns()
    {
        // Padding and stride so far beyond the input that the definition sums refuse the layer.
        var c = new CaseConfig(
            Shape: new(N: 1, Cin: 1, H: 1, W: 1, Cout: 1, KH: 1, KW: 1),
            Geometry: new() { StrideH = 100_000, StrideW = 100_000, PadTop = 100_000, PadBottom = 100_000, PadLeft = 100_000, PadRight = 100_000 },
            Bias: false, Dtype: CaseDtype.F64, Activation: ActivationKind.Identity, Clip: null, ValueSeed: 0);
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

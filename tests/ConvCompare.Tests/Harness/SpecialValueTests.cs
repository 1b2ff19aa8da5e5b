using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.GradCheck;
using ConvCompare.Numerics;
using ConvCompare.Runner;
using global::ConvRef;

namespace ConvCompare.Tests.Harness;

public class SpecialValueTests
{
    private static CaseConfig Layer(ValueKind kind, CaseDtype dtype) =>
        new(
            Shape: new(N: 2, Cin: 4, H: 6, W: 5, Cout: 4, KH: 3, KW: 2),
            Geometry: new() { PadTop = 1, PadBottom = 0, PadLeft = 0, PadRight = 1, Groups = 2 },
            Bias: true, Dtype: dtype, Activation: ActivationKind.Identity, Clip: null, ValueSeed: 4242) { Values = kind };

    [Theory]
    [InlineData(false, -126)]
    [InlineData(true, -1022)]
    public void SubnormalValues_AreBelowTheSmallestNormalNumber_AndExactInTheDtype(bool float64, int minExponent)
    {
        var dtype = float64 ? CaseDtype.F64 : CaseDtype.F32;
        var inputs = CaseInputs.Create(Layer(ValueKind.Subnormal, dtype));
        double smallestNormal = Math.ScaleB(1, minExponent);
        Assert.All(inputs.Input.Data.Concat(inputs.Bias!.Data), v => Assert.True(Math.Abs(v) < smallestNormal, $"{v:R} is normal"));
        Assert.Contains(inputs.Input.Data, v => v != 0);
        if (dtype == CaseDtype.F32)
            Assert.All(inputs.Input.Data, v => Assert.Equal(v, (double)(float)v));
        Assert.All(inputs.Weights.Data, v => Assert.InRange(Math.Abs(v), 0, 1));
    }

    [Fact]
    public void NearMaxValues_AreWithinAFactorOfFourOfTheLargestFloat32_AndEveryExactResultStaysFinite()
    {
        var config = Layer(ValueKind.NearMax, CaseDtype.F32);
        var inputs = CaseInputs.Create(config);
        Assert.All(inputs.Input.Data, v => Assert.InRange(Math.Abs(v), float.MaxValue / 4, float.MaxValue));
        Assert.All(inputs.Input.Data, v => Assert.Equal(v, (double)(float)v));
        // The sums of absolute values bound every partial sum in any order.
        var bound = RoundingBound.Compute(config, inputs);
        foreach (var kind in TensorKinds.All)
            Assert.All(bound.Magnitude(kind), m => Assert.True(m < float.MaxValue, $"{kind.Name()} magnitude {m:R} overflows float32"));
        Assert.Contains(bound.Magnitude(TensorKind.Y), m => m > 1e30);
    }

    [Fact]
    public void ZeroAndCancellationValues_AreSmallIntegersWithManyZeros_SoEveryResultIsExact()
    {
        var config = Layer(ValueKind.ZerosAndCancellation, CaseDtype.F32);
        var inputs = CaseInputs.Create(config);
        var all = inputs.Input.Data.Concat(inputs.Weights.Data).Concat(inputs.Upstream.Data).ToList();
        Assert.All(all, v => Assert.Contains(v, new double[] { -2, -1, 0, 1, 2 }));
        Assert.InRange(all.Count(v => v == 0) / (double)all.Count, 0.25, 0.55);
        // Exact in float32: ConvRef's float32 output equals the compensated reference bit for bit, zeros included.
        var y = new ConvRefEngine(Conv2dAlgorithm.Vectorized).Compute(config, inputs, CaseDtype.F32)[TensorKind.Y]!;
        var reference = global::ConvCompare.Oracles.CompensatedReference.Compute(config, inputs, TensorKind.Y);
        Assert.Equal(reference.Data, y.Data);
        Assert.Contains(y.Data, v => v == 0);
    }

    [Fact]
    public void AllEqualValues_FillEachTensorWithOneValue()
    {
        var inputs = CaseInputs.Create(Layer(ValueKind.AllEqual, CaseDtype.F64));
        foreach (var t in new[] { inputs.Input, inputs.Weights, inputs.Bias!, inputs.Upstream })
            Assert.Single(t.Data.Distinct());
    }

    [Fact]
    public void NonFiniteValues_PutOneToThreeNaNOrInfinitiesIntoTheInputOnly()
    {
        for (ulong seed = 0; seed < 20; seed++)
        {
            var inputs = CaseInputs.Create(Layer(ValueKind.NonFinite, CaseDtype.F32) with { ValueSeed = seed });
            Assert.InRange(inputs.Input.Data.Count(v => !double.IsFinite(v)), 1, 3);
            Assert.All(inputs.Weights.Data.Concat(inputs.Upstream.Data).Concat(inputs.Bias!.Data), v => Assert.True(double.IsFinite(v)));
        }
    }

    [Fact]
    public void Comparison_PassesNonFiniteElementsOnlyWhenPropagated()
    {
        double nan = double.NaN, inf = double.PositiveInfinity;
        var expected = new Tensor<double>([4], [nan, inf, -inf, 1]);
        double[] bound = [1e-9, 1e-9, 1e-9, 1e-9];
        var same = TensorComparison.Compare(TensorKind.Y, new Tensor<double>([4], [nan, inf, -inf, 1]), expected, bound, CaseDtype.F64);
        Assert.True(same.Pass);
        Assert.Equal(0, same.MaxAbs);
        Assert.False(same.AssertClose);    // NaN is never close, as with assert_close's equal_nan=False
        // Planted errors, one element at a time: each is caught at exactly its element.
        double[][] wrong = [[0, inf, -inf, 1], [nan, -inf, -inf, 1], [nan, inf, nan, 1], [nan, inf, -inf, inf], [nan, nan, -inf, 1]];
        int[] at = [0, 1, 2, 3, 1];
        for (int i = 0; i < wrong.Length; i++)
        {
            var c = TensorComparison.Compare(TensorKind.Y, new Tensor<double>([4], wrong[i]), expected, bound, CaseDtype.F64);
            Assert.False(c.Pass, $"planted error {i} passed");
            Assert.Equal([at[i]], c.OutOfBound);
            Assert.Equal(double.PositiveInfinity, c.BoundRatio);
        }
    }

    [Fact]
    public void CompensatedDot_GivesTheIeeeResultOfInfiniteTerms_NotNaN()
    {
        double inf = double.PositiveInfinity;
        Assert.Equal(inf, CompensatedDot.Dot([1, inf, -3], [1, 2, 1]));
        Assert.Equal(-inf, CompensatedDot.Dot([1, inf, -3], [1, -2, 1]));
        Assert.True(double.IsNaN(CompensatedDot.Dot([inf, inf], [1, -1])));
        Assert.True(double.IsNaN(CompensatedDot.Dot([1, double.NaN], [1, 1])));
        Assert.True(double.IsNaN(CompensatedDot.Dot([inf, 1], [0, 1])));
    }

    [Fact]
    public void Bounds_OfAnInputWithInfinities_StayFiniteWhereTheExpectedValueIsFinite()
    {
        // 1 x 1 x 1 x 5 input with +Inf at column 4, a 1x2 kernel with dilation 2: outputs 0..2 read
        // columns (0, 2), (1, 3), (2, 4); only output 2 meets the infinity.
        var config = new CaseConfig(
            Shape: new(N: 1, Cin: 1, H: 1, W: 5, Cout: 1, KH: 1, KW: 2),
            Geometry: new() { DilationW = 2 },
            Bias: false, Dtype: CaseDtype.F64, Activation: ActivationKind.Identity, Clip: null, ValueSeed: 0)
        {
            Values = ValueKind.NonFinite,
        };
        var inputs = new CaseInputs(new Tensor<double>([1, 1, 1, 5], [1, 2, 3, 4, double.PositiveInfinity]), new Tensor<double>([1, 1, 1, 2], [1, -1]),
            null, new Tensor<double>([1, 1, 1, 3], [1, 1, 1]), null);
        var bound = RoundingBound.Compute(config, inputs);
        Assert.Equal([4, 6, 3], bound.Magnitude(TensorKind.Y).Select(m => Math.Round(m, 9)));
        var reference = global::ConvCompare.Oracles.CompensatedReference.Compute(config, inputs, TensorKind.Y);
        Assert.Equal([-2, -2, double.NegativeInfinity], reference.Data);
    }

    [Fact]
    public void GradientCheck_OfNonFiniteInputs_RunsNoProbe_AndSaysWhy()
    {
        var config = Layer(ValueKind.NonFinite, CaseDtype.F64);
        var inputs = CaseInputs.Create(config);
        var analytic = new ConvRefEngine(Conv2dAlgorithm.Vectorized).Compute(config, inputs, CaseDtype.F64);
        var result = GradientCheck.Run(config, inputs, null, GradCheckMode.Fast, 2, [("vectorized", analytic)]).Single();
        Assert.Equal(0, result.Checks);
        Assert.Contains("NaN or infinities", result.Worst, StringComparison.Ordinal);
    }

    [Fact]
    public void NonFiniteWeightsWithStride2_PropagateInTheVectorizedColumnScatter_AsTheDefinitionSays()
    {
        // Stride 2 takes dJ/da through col2im, where junk columns would meet the infinities row by row;
        // no padding, so no padding zero meets them in y either (whether Inf times a padding zero belongs
        // to y depends on how an implementation pads, which is why the sweep's infinite weights come unpadded).
        var config = new CaseConfig(
            Shape: new(N: 2, Cin: 3, H: 9, W: 11, Cout: 4, KH: 3, KW: 3),
            Geometry: new() { StrideH = 2, StrideW = 2 },
            Bias: true, Dtype: CaseDtype.F64, Activation: ActivationKind.Identity, Clip: null, ValueSeed: 5);
        var uniform = CaseInputs.Create(config);
        var w = uniform.Weights.Data.ToArray();
        // Taps (0, 0) and (1, 1): a junk column of the first lands on a real input column.
        w[0] = double.PositiveInfinity;
        w[31] = double.NaN;
        var inputs = uniform with { Weights = new Tensor<double>([.. uniform.Weights.Shape], w) };
        var bound = RoundingBound.Compute(config, inputs);
        var outputs = new ConvRefEngine(Conv2dAlgorithm.Vectorized).Compute(config, inputs, CaseDtype.F64);
        foreach (var kind in new[] { TensorKind.Y, TensorKind.Dx, TensorKind.Dw })
        {
            var reference = global::ConvCompare.Oracles.CompensatedReference.Compute(config, inputs, kind);
            Assert.Contains(reference.Data, v => !double.IsFinite(v) || kind == TensorKind.Dw);
            var c = TensorComparison.Compare(kind, outputs[kind]!, reference, bound.Between(kind, Arithmetic.Float64, Arithmetic.CompensatedFloat64), CaseDtype.F64);
            Assert.True(c.Pass, $"{kind.Name()}: {c.OutOfBoundCount} element(s) out, e.g. {string.Join(", ", c.OutOfBound)}");
        }
    }

    [Theory]
    [InlineData("sub", false)]
    [InlineData("sub", true)]
    [InlineData("max", false)]
    [InlineData("zero", true)]
    [InlineData("equal", false)]
    [InlineData("nonfinite", false)]
    [InlineData("nonfinite", true)]
    public void EverySpecialKind_PassesBothConvRefAlgorithms_AgainstTheReference(string kind, bool float64)
    {
        var runner = new CaseRunner([new ConvRefEngine(Conv2dAlgorithm.Serial), new ConvRefEngine(Conv2dAlgorithm.Vectorized)], new ReferenceOracle());
        var results = runner.Run(Layer(ValueKinds.Parse(kind), float64 ? CaseDtype.F64 : CaseDtype.F32));
        Assert.All(results, r => Assert.True(r.Pass, $"{r.Implementation}: {string.Join("; ", r.Tensors.Where(t => !t.Pass).Select(t => t.Kind.Name()))}"));
    }
}

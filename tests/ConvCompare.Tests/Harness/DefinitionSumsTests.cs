using ConvCompare.Cases;
using ConvCompare.Oracles;
using global::ConvRef;

namespace ConvCompare.Tests.Harness;

public class DefinitionSumsTests
{
    // One row (or one column) of a depthwise layer, stride 2, one zero in front, dilation 2, kernel 2:
    // output position j reads input positions 2j - 1 and 2j + 1, so j = 0 reads padding and a[1],
    // j = 1 reads a[1] and a[3]; positions 0, 2 and 4 are read by no tap.
    // a: channel 0 = 1 2 3 4 5, channel 1 = 10 20 30 40 50; w: filter 0 = (1, 100), filter 1 = (2, -1);
    // b = (0.5, -0.5); dy: filter 0 = (1, -1), filter 1 = (3, 7).
    private static readonly double[] A = [1, 2, 3, 4, 5, 10, 20, 30, 40, 50];
    private static readonly double[] Wt = [1, 100, 2, -1];
    private static readonly double[] B = [0.5, -0.5];
    private static readonly double[] Dy = [1, -1, 3, 7];

    private static CaseConfig OneLine(bool vertical) => vertical
        ? new(
            Shape: new(N: 1, Cin: 2, H: 5, W: 1, Cout: 2, KH: 2, KW: 1),
            Geometry: new() { StrideH = 2, StrideW = 1, PadTop = 1, DilationH = 2, DilationW = 1, Groups = 2 },
            Bias: true, Dtype: CaseDtype.F64, Activation: ActivationKind.Identity, Clip: null, ValueSeed: 0)
        : new(
            Shape: new(N: 1, Cin: 2, H: 1, W: 5, Cout: 2, KH: 1, KW: 2),
            Geometry: new() { StrideH = 1, StrideW = 2, PadLeft = 1, DilationH = 1, DilationW = 2, Groups = 2 },
            Bias: true, Dtype: CaseDtype.F64, Activation: ActivationKind.Identity, Clip: null, ValueSeed: 0);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void HandDerivedStridedPaddedDilatedDepthwiseLine_GivesEverySum(bool vertical)
    {
        var c = OneLine(vertical);
        Assert.Equal(2, vertical ? c.OutH : c.OutW);

        // y[0] = 100 * 2 + 0.5; y[1] = 1 * 2 + 100 * 4 + 0.5; filter 1: -1 * 20 - 0.5 and 2 * 20 - 1 * 40 - 0.5.
        Assert.Equal([200.5, 402.5, -20.5, -0.5], DefinitionSums.Output(c, A, Wt, B));
        // a[1] is read by (j = 0, tap 1) and (j = 1, tap 0): 1 * 100 + (-1) * 1; a[3] by (j = 1, tap 1): -1 * 100.
        // Channel 1: 3 * (-1) + 7 * 2 and 7 * (-1).
        Assert.Equal([0, 99, 0, -100, 0, 0, 11, 0, -7, 0], DefinitionSums.InputGradient(c, Dy, Wt));
        // Tap 0 reads padding at j = 0 and a[1] at j = 1: -1 * 2; tap 1 reads a[1], a[3]: 1 * 2 - 1 * 4.
        // Filter 1: 7 * 20 and 3 * 20 + 7 * 40.
        Assert.Equal([-2, -2, 140, 340], DefinitionSums.WeightGradient(c, A, Dy));
        Assert.Equal([0, 10], DefinitionSums.BiasGradient(c, Dy));
    }

    [Fact]
    public void BiasAddedAfterTheProducts_IsBitForBitTheFullForward()
    {
        var c = OneLine(false) with { ValueSeed = 5 };
        var inputs = CaseInputs.Create(c);
        var products = DefinitionSums.Output(c, inputs.Input.Data, inputs.Weights.Data, []);
        DefinitionSums.AddBias(c, products, inputs.Bias!.Data);
        Assert.Equal(DefinitionSums.Output(c, inputs.Input.Data, inputs.Weights.Data, inputs.Bias.Data), products);
    }

    public static TheoryData<string> GeneratedCases()
    {
        var data = new TheoryData<string>();
        var generator = new CaseGenerator(77, new CaseGeneratorOptions { MaxMultiplyAdds = 20_000, Dtypes = DtypeChoice.F64 });
        for (int i = 0; i < 40; i++)
            data.Add(CaseId.Format(generator.Generate(i)));
        // Strides 3 and dilation 3 with padding on every side; a kernel wider than the unpadded input.
        data.Add("n2c4h11w13-o6k3x4-s3x3-p2,1,0,3-d2x3-g2-f64-v3");
        data.Add("n1c3h4w2-o3k3x5-s1x2-p1,2,3,3-d1x1-g3-f64-v9");
        return data;
    }

    /// <summary>
    /// Against a brute force written element by element from the definition (every tap of every
    /// output, out-of-range positions skipped), summing each element in the order the class documents
    /// with one fused multiply-add per term: equal bit for bit, so the vector instructions across
    /// output positions change nothing.
    /// </summary>
    [Theory]
    [MemberData(nameof(GeneratedCases))]
    public void OnGeneratedCases_EqualsAnElementByElementBruteForceBitForBit(string id)
    {
        Assert.True(CaseId.TryParse(id, out var c, out string error), error);
        var inputs = CaseInputs.Create(c);
        double[] a = inputs.Input.Data, w = inputs.Weights.Data, dy = inputs.Upstream.Data, b = inputs.Bias?.Data ?? [];

        Assert.Equal(Brute.Output(c, a, w, b), DefinitionSums.Output(c, a, w, b));
        Assert.Equal(Brute.InputGradient(c, dy, w), DefinitionSums.InputGradient(c, dy, w));
        Assert.Equal(Brute.WeightGradient(c, a, dy), DefinitionSums.WeightGradient(c, a, dy));
        Assert.Equal(Brute.BiasGradient(c, dy), DefinitionSums.BiasGradient(c, dy));
    }

    [Theory]
    [MemberData(nameof(GeneratedCases))]
    public void OnGeneratedCases_LiesWithinFloat64sBoundOfTheCompensatedReference(string id)
    {
        Assert.True(CaseId.TryParse(id, out var c, out string error), error);
        c = c with { Activation = ActivationKind.Identity, Clip = null };
        var inputs = CaseInputs.Create(c);
        var bound = Comparison.RoundingBound.Compute(c, inputs);
        double[] a = inputs.Input.Data, w = inputs.Weights.Data, dy = inputs.Upstream.Data, b = inputs.Bias?.Data ?? [];
        var sums = new Dictionary<TensorKind, double[]>
        {
            [TensorKind.Y] = DefinitionSums.Output(c, a, w, b),
            [TensorKind.Dx] = DefinitionSums.InputGradient(c, dy, w),
            [TensorKind.Dw] = DefinitionSums.WeightGradient(c, a, dy),
        };
        if (c.Bias)
            sums[TensorKind.Db] = DefinitionSums.BiasGradient(c, dy);
        foreach (var (kind, values) in sums)
        {
            var reference = CompensatedReference.Compute(c, inputs, kind);
            var comparison = Comparison.TensorComparison.Compare(kind, new Tensor<double>([.. reference.Shape], values), reference,
                bound.Between(kind, Numerics.Arithmetic.Float64, Numerics.Arithmetic.CompensatedFloat64), CaseDtype.F64);
            Assert.True(comparison.Pass, $"{id} {kind.Name()}: bound ratio {comparison.BoundRatio}");
        }
    }

    [Theory]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    public void ANonFiniteValue_ReachesOnlyTheSumsWhoseTermsHoldIt(double special)
    {
        // Padding and unused columns are exact zeros only next to finite factors: a weight of
        // infinity must not turn an output whose tap reads only padding into NaN.
        Assert.True(CaseId.TryParse("n2c2h5w6-o2k3x3-s2x2-p2,1,2,0-d1x2-g1-f64-v8", out var c, out string error), error);
        var inputs = CaseInputs.Create(c);
        double[] a = (double[])inputs.Input.Data.Clone(), w = (double[])inputs.Weights.Data.Clone(), dy = (double[])inputs.Upstream.Data.Clone();
        w[4] = special;
        a[7] = special;
        dy[3] = special;
        double[] b = inputs.Bias?.Data ?? [];

        AssertSameBits(Brute.Output(c, a, w, b), DefinitionSums.Output(c, a, w, b));
        AssertSameBits(Brute.InputGradient(c, dy, w), DefinitionSums.InputGradient(c, dy, w));
        AssertSameBits(Brute.WeightGradient(c, a, dy), DefinitionSums.WeightGradient(c, a, dy));
        Assert.Contains(DefinitionSums.Output(c, a, w, b), double.IsFinite);
        Assert.Contains(DefinitionSums.Output(c, a, w, b), v => !double.IsFinite(v));
    }

    [Fact]
    public void PaddingAndStrideFarBeyondTheInput_AreRefusedWithOneSentenceInsteadOfExhaustingMemory()
    {
        // A valid layer (three outputs per axis) whose padded, phased input would need 10^10 numbers per row.
        var c = new CaseConfig(
            Shape: new(N: 1, Cin: 1, H: 1, W: 1, Cout: 1, KH: 1, KW: 1),
            Geometry: new() { StrideH = 100_000, StrideW = 100_000, PadTop = 100_000, PadBottom = 100_000, PadLeft = 100_000, PadRight = 100_000 },
            Bias: false, Dtype: CaseDtype.F64, Activation: ActivationKind.Identity, Clip: null, ValueSeed: 0);
        Assert.Null(c.Problem);

        var error = Assert.Throws<InvalidOperationException>(() => DefinitionSums.Output(c, [1.0], [1.0], []));

        Assert.Contains("reduce the padding, stride or dilation", error.Message, StringComparison.Ordinal);
    }

    private static void AssertSameBits(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(expected[i].Equals(actual[i]), $"element {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    [Fact]
    public void AnotherSummationOrder_IsSeenByTheBitForBitComparison()
    {
        // The comparison above can fail: the same terms with the bias added first instead of last
        // round differently somewhere, and a bit-for-bit comparison sees it.
        Assert.True(CaseId.TryParse("n1c2h5w5-o2k3x3-s2x1-p1,0,1,1-d1x2-g1-f64-v4", out var c, out _));
        var inputs = CaseInputs.Create(c);
        double[] a = inputs.Input.Data, w = inputs.Weights.Data, b = inputs.Bias!.Data;
        Assert.Equal(Brute.Output(c, a, w, b), DefinitionSums.Output(c, a, w, b));
        Assert.NotEqual(Brute.Output(c, a, w, b, biasFirst: true), DefinitionSums.Output(c, a, w, b));
    }

    [Theory]
    [InlineData(ActivationKind.ReLU, -0.5, 0, 0)]
    [InlineData(ActivationKind.ReLU, 0.5, 0.5, 1)]
    [InlineData(ActivationKind.LeakyReLU, -0.5, -0.005, 0.01)]
    [InlineData(ActivationKind.Identity, -0.5, -0.5, 1)]
    public void ActivationDefinition_PiecewiseLinearValuesAndSlopes(ActivationKind kind, double z, double g, double slope)
    {
        Assert.Equal(g, ActivationDefinition.Apply(kind, z));
        Assert.Equal(slope, ActivationDefinition.Derivative(kind, z));
    }

    [Theory]
    [InlineData(ActivationKind.Sigmoid)]
    [InlineData(ActivationKind.Tanh)]
    public void ActivationDefinition_SmoothDerivativeMatchesCentralDifferencesOfApply(ActivationKind kind)
    {
        const double h = 1e-5;
        foreach (double z in new[] { -1, -0.3, 0.0625, 0.9 })
        {
            double numeric = (ActivationDefinition.Apply(kind, z + h) - ActivationDefinition.Apply(kind, z - h)) / (2 * h);
            // Truncation h^2/6 |g'''| < 1e-10 and rounding about 2 u / h < 1e-10 for these g.
            Assert.True(Math.Abs(numeric - ActivationDefinition.Derivative(kind, z)) < 1e-9, $"{kind} at {z}");
        }
    }

    /// <summary>The definition, one output element at a time, in the documented summation order.</summary>
    private static class Brute
    {
        public static double[] Output(CaseConfig c, double[] a, double[] w, double[] b, bool biasFirst = false)
        {
            int inPerGroup = c.Shape.Cin / c.Geometry.Groups, outPerGroup = c.Shape.Cout / c.Geometry.Groups;
            var y = new double[c.Shape.N * c.Shape.Cout * c.OutH * c.OutW];
            for (int n = 0; n < c.Shape.N; n++)
                for (int o = 0; o < c.Shape.Cout; o++)
                    for (int i = 0; i < c.OutH; i++)
                        for (int j = 0; j < c.OutW; j++)
                        {
                            double sum = biasFirst ? b[o] : 0;
                            for (int k = 0; k < inPerGroup; k++)
                                for (int p = 0; p < c.Shape.KH; p++)
                                    for (int q = 0; q < c.Shape.KW; q++)
                                    {
                                        int row = i * c.Geometry.StrideH + p * c.Geometry.DilationH - c.Geometry.PadTop, col = j * c.Geometry.StrideW + q * c.Geometry.DilationW - c.Geometry.PadLeft;
                                        if (row >= 0 && row < c.Shape.H && col >= 0 && col < c.Shape.W)
                                            sum = Math.FusedMultiplyAdd(a[((n * c.Shape.Cin + o / outPerGroup * inPerGroup + k) * c.Shape.H + row) * c.Shape.W + col],
                                                w[((o * inPerGroup + k) * c.Shape.KH + p) * c.Shape.KW + q], sum);
                                    }
                            if (b.Length > 0 && !biasFirst)
                                sum += b[o];
                            y[((n * c.Shape.Cout + o) * c.OutH + i) * c.OutW + j] = sum;
                        }
            return y;
        }

        public static double[] InputGradient(CaseConfig c, double[] dy, double[] w)
        {
            int inPerGroup = c.Shape.Cin / c.Geometry.Groups, outPerGroup = c.Shape.Cout / c.Geometry.Groups;
            var dx = new double[c.Shape.N * c.Shape.Cin * c.Shape.H * c.Shape.W];
            for (int n = 0; n < c.Shape.N; n++)
                for (int channel = 0; channel < c.Shape.Cin; channel++)
                    for (int r = 0; r < c.Shape.H; r++)
                        for (int s = 0; s < c.Shape.W; s++)
                        {
                            double sum = 0;
                            int group = channel / inPerGroup, k = channel % inPerGroup;
                            for (int o = group * outPerGroup; o < (group + 1) * outPerGroup; o++)
                                for (int p = 0; p < c.Shape.KH; p++)
                                    for (int q = 0; q < c.Shape.KW; q++)
                                        for (int i = 0; i < c.OutH; i++)
                                            for (int j = 0; j < c.OutW; j++)
                                                if (i * c.Geometry.StrideH + p * c.Geometry.DilationH - c.Geometry.PadTop == r && j * c.Geometry.StrideW + q * c.Geometry.DilationW - c.Geometry.PadLeft == s)
                                                    sum = Math.FusedMultiplyAdd(dy[((n * c.Shape.Cout + o) * c.OutH + i) * c.OutW + j], w[((o * inPerGroup + k) * c.Shape.KH + p) * c.Shape.KW + q], sum);
                            dx[((n * c.Shape.Cin + channel) * c.Shape.H + r) * c.Shape.W + s] = sum;
                        }
            return dx;
        }

        public static double[] WeightGradient(CaseConfig c, double[] a, double[] dy)
        {
            int inPerGroup = c.Shape.Cin / c.Geometry.Groups, outPerGroup = c.Shape.Cout / c.Geometry.Groups;
            var dw = new double[c.Shape.Cout * inPerGroup * c.Shape.KH * c.Shape.KW];
            for (int o = 0; o < c.Shape.Cout; o++)
                for (int k = 0; k < inPerGroup; k++)
                    for (int p = 0; p < c.Shape.KH; p++)
                        for (int q = 0; q < c.Shape.KW; q++)
                        {
                            // One running sum per output position over n, then the positions in row-major order.
                            var positions = new double[c.OutH * c.OutW];
                            for (int n = 0; n < c.Shape.N; n++)
                                for (int i = 0; i < c.OutH; i++)
                                    for (int j = 0; j < c.OutW; j++)
                                    {
                                        int row = i * c.Geometry.StrideH + p * c.Geometry.DilationH - c.Geometry.PadTop, col = j * c.Geometry.StrideW + q * c.Geometry.DilationW - c.Geometry.PadLeft;
                                        if (row >= 0 && row < c.Shape.H && col >= 0 && col < c.Shape.W)
                                            positions[i * c.OutW + j] = Math.FusedMultiplyAdd(dy[((n * c.Shape.Cout + o) * c.OutH + i) * c.OutW + j],
                                                a[((n * c.Shape.Cin + o / outPerGroup * inPerGroup + k) * c.Shape.H + row) * c.Shape.W + col], positions[i * c.OutW + j]);
                                    }
                            double sum = 0;
                            foreach (double v in positions)
                                sum += v;
                            dw[((o * inPerGroup + k) * c.Shape.KH + p) * c.Shape.KW + q] = sum;
                        }
            return dw;
        }

        public static double[] BiasGradient(CaseConfig c, double[] dy)
        {
            var db = new double[c.Shape.Cout];
            for (int o = 0; o < c.Shape.Cout; o++)
                for (int n = 0; n < c.Shape.N; n++)
                    for (int e = 0; e < c.OutH * c.OutW; e++)
                        db[o] += dy[(n * c.Shape.Cout + o) * c.OutH * c.OutW + e];
            return db;
        }
    }
}

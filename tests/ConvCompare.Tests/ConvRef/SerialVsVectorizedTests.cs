using System.Runtime.Intrinsics;
using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Numerics;
using ConvCompare.Runner;
using ConvCompare.Tests.ConvRef.Support;
using ConvCompare.Tests.Harness;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef;

/// <summary>
/// The two algorithms agree within the harness's <see cref="RoundingBound"/> on a table of hand-picked
/// layers (one hyperparameter at a time, then shapes past the vectorized blocking limits) and on the
/// sweep's own edge-tier cases, with values exact in float32 computed in both precisions, at every
/// SIMD width the vectorized algorithm can run. Each width is its own test case; a width this CPU does
/// not accelerate is reported as skipped, with the reason, never silently run at a narrower one.
/// </summary>
public class SerialVsVectorizedTests
{
    private static readonly int[] Widths = [512, 256, 128];

    private static readonly ActivationKind[] Activations =
        [ActivationKind.ReLU, ActivationKind.LeakyReLU, ActivationKind.Sigmoid, ActivationKind.Tanh];

    /// <summary>
    /// Hand-picked layers. Columns: shape (N, C_in, H, W, C_out, kH, kW), geometry (stride, padding top,
    /// bottom, left, right, dilation, groups; unnamed parts are 1, 0 and one group), then bias,
    /// the activation of the layer below and the clip value of dJ/dw where a row has them.
    /// </summary>
    private static readonly CaseConfig[] Table =
    [
        Row(new(1, 1, 5, 5, 1, 3, 3), new()),
        Row(new(2, 4, 7, 9, 6, 3, 2), new() { StrideH = 3, StrideW = 2 }),
        Row(new(2, 3, 6, 7, 4, 3, 3), new() { PadTop = 2, PadBottom = 0, PadLeft = 1, PadRight = 2 }),
        Row(new(1, 2, 12, 11, 3, 2, 2), new() { DilationH = 4, DilationW = 4 }),
        Row(new(3, 2, 9, 9, 3, 3, 2), new() { DilationH = 2, DilationW = 3, PadLeft = 1 }),
        Row(new(2, 4, 6, 6, 6, 3, 3), new() { Groups = 2, PadTop = 1, PadBottom = 1, PadLeft = 1, PadRight = 1 }),
        Row(new(2, 3, 7, 7, 6, 3, 3), new() { Groups = 3, StrideH = 2, StrideW = 2 }),
        Row(new(1, 4, 8, 5, 4, 1, 1), new() { Groups = 4 }),
        Row(new(2, 2, 7, 8, 3, 3, 3), new() { StrideH = 2, StrideW = 3, PadTop = 1, PadRight = 1 }, bias: false),
        Row(new(1, 2, 4, 4, 2, 6, 6), new() { PadTop = 1, PadBottom = 1, PadLeft = 1, PadRight = 1 }),
        Row(new(2, 3, 10, 10, 2, 2, 2), new() { StrideH = 4, StrideW = 3 }),
        Row(new(2, 2, 6, 6, 3, 3, 3), new() { PadTop = 1, PadLeft = 1 }, activation: ActivationKind.ReLU),
        Row(new(1, 3, 7, 6, 2, 2, 3), new() { StrideH = 2 }, activation: ActivationKind.LeakyReLU, clip: 0.5),
        Row(new(2, 4, 5, 7, 4, 3, 2), new() { Groups = 2, DilationH = 2 }, activation: ActivationKind.Sigmoid),
        Row(new(1, 2, 8, 8, 3, 3, 3), new() { StrideH = 2, StrideW = 2, PadBottom = 2 }, activation: ActivationKind.Tanh, clip: 1),
        Row(new(3, 2, 6, 6, 2, 3, 3), new(), bias: false, clip: 2),
    ];

    /// <summary>
    /// Shapes past the vectorized blocking limits (more than 256 taps, for several filters and for one;
    /// several panels of 8 filters in each of several groups; several row chunks per sample,
    /// more than 4 batch slots, more than 256 filters per group, several samples per work unit) and through both dJ/da paths (full
    /// convolution at stride 1, col2im above), and depthwise (groups = channels) with strides 1 to 3,
    /// dilation and a 5x5 kernel (more than one block of nine taps). Padding 1, 0, 1, 2 throughout,
    /// but for the unpadded 1x1 layers at the end.
    /// </summary>
    private static readonly CaseConfig[] Larger =
    [
        Large(new(1, 30, 8, 8, 3, 3, 3), stride: 1, groups: 1, dilation: 1),
        Large(new(1, 30, 8, 8, 1, 3, 3), stride: 1, groups: 1, dilation: 1),
        Large(new(2, 4, 9, 11, 20, 3, 3), stride: 1, groups: 2, dilation: 1),
        Large(new(2, 2, 48, 47, 4, 3, 3), stride: 1, groups: 1, dilation: 1),
        Large(new(10, 4, 12, 12, 6, 3, 3), stride: 2, groups: 2, dilation: 1),
        Large(new(1, 2, 5, 5, 260, 1, 1), stride: 1, groups: 1, dilation: 1),
        Large(new(3, 6, 20, 21, 6, 3, 3), stride: 1, groups: 6, dilation: 1),
        Large(new(2, 16, 10, 11, 8, 3, 3), stride: 1, groups: 2, dilation: 2),
        Large(new(2, 9, 9, 12, 5, 2, 2), stride: 2, groups: 1, dilation: 3),
        Large(new(1, 8, 40, 40, 4, 3, 3), stride: 1, groups: 1, dilation: 1),
        Large(new(2, 3, 20, 71, 4, 3, 3), stride: 2, groups: 1, dilation: 1),
        Large(new(4, 8, 9, 10, 8, 3, 3), stride: 2, groups: 8, dilation: 1),
        Large(new(2, 5, 7, 7, 5, 3, 3), stride: 3, groups: 5, dilation: 2),
        Large(new(2, 4, 11, 12, 4, 5, 5), stride: 2, groups: 4, dilation: 1),
        Large(new(3, 20, 14, 14, 20, 3, 3), stride: 1, groups: 20, dilation: 1),
        // Planes of at most 64 positions with 128 or more filters (or channels, for dJ/da) per group: the
        // forward pass and the stride-1 dJ/da take work units of several samples (a network's last stages).
        Large(new(5, 130, 6, 6, 132, 3, 3), stride: 1, groups: 1, dilation: 1),
        Large(new(3, 256, 4, 4, 256, 3, 3), stride: 1, groups: 2, dilation: 1),
        // 1x1, stride 1, no padding (the pointwise layers of a network): several samples, groups and
        // row chunks per plane, and more than 256 channels (two depth blocks accumulating into one product).
        Row(new(3, 6, 40, 37, 4, 1, 1), new() { Groups = 2 }),
        Row(new(2, 300, 9, 7, 16, 1, 1), new(), activation: ActivationKind.ReLU),
    ];

    /// <summary>The sweep's edge tier: strides, asymmetric padding, dilation, groups, depthwise, bias, activations and clipping as drawn.</summary>
    private static readonly CaseGenerator Generator = new(7, new CaseGeneratorOptions
    {
        Tier = CaseTier.Edge, Dtypes = DtypeChoice.F32, MaxMultiplyAdds = 20_000,
    });

    private const int GeneratedCount = 40;

    public static TheoryData<string, int> TableAndWidths() => WithWidths(Table);

    public static TheoryData<string, int> LargerShapesAndWidths() => WithWidths(Larger);

    public static TheoryData<string, int> GeneratedAndWidths() => WithWidths(Generated());

    [SkippableTheory]
    [MemberData(nameof(TableAndWidths))]
    public void TableLayer_VectorizedMatchesSerialAtWidth(string id, int bits) => AssertAgreeAtWidth(id, bits);

    [SkippableTheory]
    [MemberData(nameof(LargerShapesAndWidths))]
    public void LargerShape_VectorizedMatchesSerialAtWidth(string id, int bits) => AssertAgreeAtWidth(id, bits);

    [SkippableTheory]
    [MemberData(nameof(GeneratedAndWidths))]
    public void SweepEdgeCase_VectorizedMatchesSerialAtWidth(string id, int bits) => AssertAgreeAtWidth(id, bits);

    [Fact]
    public void TheCases_CoverEveryHyperparameterActivationAndClipping()
    {
        var cases = Table.Concat(Larger).Concat(Generated()).ToList();
        Assert.All(cases, c => Assert.Null(c.Problem));
        Assert.Contains(cases, c => c.Geometry.StrideH != c.Geometry.StrideW);
        Assert.Contains(cases, c => c.Geometry.StrideH > c.Shape.KH);
        Assert.Contains(cases, c => c.Geometry.PadTop != c.Geometry.PadBottom && c.Geometry.PadLeft != c.Geometry.PadRight);
        Assert.Contains(cases, c => c.Geometry.DilationH != c.Geometry.DilationW);
        Assert.Contains(cases, c => c.Geometry.Groups > 1 && c.Geometry.Groups < c.Shape.Cin);
        Assert.Contains(cases, c => c.Geometry.Groups > 1 && c.Geometry.Groups == c.Shape.Cin && c.Shape.Cout > c.Shape.Cin);
        Assert.Contains(cases, c => c.Shape.KH == 1 && c.Shape.KW == 1);
        Assert.Contains(cases, c => c.Shape.N > 4);
        Assert.Contains(cases, c => c.Shape.Cin / c.Geometry.Groups * c.Shape.KH * c.Shape.KW > 256);
        Assert.Contains(cases, c => c.Shape.Cout / c.Geometry.Groups > 256);
        Assert.Contains(cases, c => c.Shape.N > 1 && c.OutH * c.OutW <= 64 && c.Shape.Cout / c.Geometry.Groups >= 128);
        Assert.Contains(cases, c => c.Shape.N > 1 && c.Geometry.StrideH == 1 && c.Geometry.StrideW == 1 && c.Shape.H * c.Shape.W <= 64 && c.Shape.Cin / c.Geometry.Groups >= 128);
        Assert.Contains(cases, c => !c.Bias);
        Assert.All(Activations, kind => Assert.Contains(cases, c => c.Activation == kind && c.Clip is null));
        Assert.Contains(cases, c => c.Clip is not null && c.Activation != ActivationKind.Identity);
        Assert.Contains(cases, c => c.Clip is not null && c.Activation == ActivationKind.Identity);
    }

    /// <summary>
    /// Neither side sums a product with a structural zero (interleaved error, dilated kernel), so both sum
    /// exactly the same products, at any stride and dilation; on small integers every sum is exact in any
    /// order, so the results are equal bit for bit and NaN and infinity land in the same places; with three
    /// groups of one channel each the vectorized side takes its depthwise path.
    /// </summary>
    [Theory]
    [InlineData(1, 4, 1, 1)]
    [InlineData(3, 3, 1, 1)]
    [InlineData(1, 4, 2, 1)]
    [InlineData(1, 4, 1, 2)]
    [InlineData(3, 3, 2, 2)]
    public void NonFiniteInput_PropagatesExactlyAsInSerial(int groups, int outChannels, int stride, int dilation)
    {
        var config = Row(new(2, 3, 7, 9, outChannels, 3, 2), new() { PadTop = 1, PadRight = 2, Groups = groups, StrideH = stride, StrideW = stride, DilationH = dilation, DilationW = dilation })
            with { Values = ValueKind.ZerosAndCancellation, Dtype = CaseDtype.F64 };
        var clean = CaseInputs.Create(config);
        var a = clean.Input.Clone();
        // Padded positions (4, 8) and (6, 0): even, so a tap reaches both at every stride and dilation above.
        a[0, 1, 3, 8] = double.PositiveInfinity;
        a[1, 2, 5, 0] = double.NaN;
        var inputs = clean with { Input = a };

        var serial = new ConvRefEngine(Conv2dAlgorithm.Serial).Compute(config, inputs, CaseDtype.F64);
        var vectorized = new ConvRefEngine(Conv2dAlgorithm.Vectorized).Compute(config, inputs, CaseDtype.F64);
        Assert.Contains(serial.Dw.Data, double.IsNaN);
        Assert.Contains(serial.Y.Data, double.IsInfinity);
        foreach (var kind in TensorKinds.All)
            Assert.Equal(serial[kind]!.Data, vectorized[kind]!.Data);
    }

    [Fact]
    public void Vectorized_IsBitwiseReproducible()
    {
        var config = Table[6] with { Activation = ActivationKind.Tanh, Clip = 1 };
        var inputs = CaseInputs.Create(config);
        var engine = new ConvRefEngine(Conv2dAlgorithm.Vectorized);
        var first = engine.Compute(config, inputs, CaseDtype.F32);
        var second = engine.Compute(config, inputs, CaseDtype.F32);
        foreach (var kind in TensorKinds.All)
            Assert.Equal(first[kind]!.Data, second[kind]!.Data);
    }

    /// <summary>An error planted in one element of one output of the vectorized algorithm, three times the bound there, fails the agreement at every width.</summary>
    [SkippableTheory]
    [MemberData(nameof(KindsAndWidths))]
    public void AnErrorAboveTheBoundInOneOutput_FailsTheAgreementAtWidth(int tensor, int bits)
    {
        SkipUnlessAccelerated(bits);
        var kind = TensorKinds.All[tensor];
        var config = Table[4];
        var inputs = CaseInputs.Create(config);
        var bound = RoundingBound.Compute(config, inputs).Between(kind, Arithmetic.Float32, Arithmetic.Float32);
        int element = bound.Length / 2;
        var inner = new VectorizedAtWidth(bits);
        double scale = inner.Compute(config, inputs, CaseDtype.F32)[kind]!.Data.Max(Math.Abs);
        var planted = new PlantedEngine(inner, kind, element, 3 * bound[element] / scale);
        var serial = new ConvRefEngine(Conv2dAlgorithm.Serial).Compute(config, inputs, CaseDtype.F32);

        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AgreementTolerances.AssertOutputsAgree(
            "planted", config, inputs, serial, Arithmetic.Float32, planted.Compute(config, inputs, CaseDtype.F32), Arithmetic.Float32));
        Assert.StartsWith($"planted {kind.Name()}[{element}]", failure.Message);
    }

    public static TheoryData<int, int> KindsAndWidths()
    {
        var data = new TheoryData<int, int>();
        for (int tensor = 0; tensor < TensorKinds.All.Count; tensor++)
            foreach (int bits in Widths)
                data.Add(tensor, bits);
        return data;
    }

    private static CaseConfig Row(CaseShape shape, CaseGeometry geometry, bool bias = true,
        ActivationKind activation = ActivationKind.Identity, double? clip = null) =>
        new(shape, geometry, bias, CaseDtype.F32, activation, clip, ValueSeed: (ulong)(shape.N * 1000 + shape.Cin * 100 + shape.H));

    private static CaseConfig Large(CaseShape shape, int stride, int groups, int dilation) => Row(shape, new()
    {
        StrideH = stride, StrideW = stride, PadTop = 1, PadBottom = 0, PadLeft = 1, PadRight = 2,
        DilationH = dilation, DilationW = dilation, Groups = groups,
    });

    private static IEnumerable<CaseConfig> Generated() => Enumerable.Range(0, GeneratedCount).Select(i => Generator.Generate(i));

    private static TheoryData<string, int> WithWidths(IEnumerable<CaseConfig> cases)
    {
        var data = new TheoryData<string, int>();
        foreach (var config in cases)
            foreach (int bits in Widths)
                data.Add(CaseId.Format(config), bits);
        return data;
    }

    /// <summary>Serial and vectorized at <paramref name="bits"/>, both in float32 and in float64 on the same float32-exact values, within the bound between the two.</summary>
    private static void AssertAgreeAtWidth(string id, int bits)
    {
        SkipUnlessAccelerated(bits);
        Assert.True(CaseId.TryParse(id, out var config, out string error), error);
        var inputs = CaseInputs.Create(config);
        foreach (var dtype in new[] { CaseDtype.F32, CaseDtype.F64 })
        {
            var serial = new ConvRefEngine(Conv2dAlgorithm.Serial).Compute(config, inputs, dtype);
            var vectorized = new VectorizedAtWidth(bits).Compute(config, inputs, dtype);
            var arithmetic = Arithmetic.For(dtype);
            AgreementTolerances.AssertOutputsAgree($"{id} {dtype} {bits}-bit", config, inputs, serial, arithmetic, vectorized, arithmetic);
        }
    }

    /// <summary>The vectorized algorithm falls back to the next narrower width the CPU accelerates, so a width it lacks would silently test another one.</summary>
    private static void SkipUnlessAccelerated(int bits)
    {
        bool accelerated = bits switch
        {
            512 => Vector512.IsHardwareAccelerated,
            256 => Vector256.IsHardwareAccelerated,
            _ => true,
        };
        Skip.IfNot(accelerated, $"{bits}-bit vectors are not accelerated on this CPU, so the vectorized algorithm would run a narrower width");
    }
}

using ConvCompare.Cases;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using ConvCompare.Runner;
using ConvCompare.Tests.Harness;
using global::ConvRef;
using TorchSharp;

namespace ConvCompare.Tests.ConvRef;

/// <summary>
/// dJ/da (Eq 5/8) of a layer at stride 2 or 1 with infinite weights, depthwise and not: the definition's sum
/// (the compensated reference, which PyTorch float64 matches) has ±Inf where an infinite tap's term
/// lands, NaN where +Inf and -Inf meet, and finite values elsewhere. The vectorized depthwise path
/// scatters w_t · Δ row by row there, skipping the junk columns where 0 · ±Inf would be NaN; the
/// serial algorithm leaves out the products with the interleaved error's zeros and the full mode's
/// padding, which are no terms of the sum; at stride 1 the vectorized engine takes col2im, not the
/// correlation of the zero-padded error, for infinite weights. All give the definition's sum element
/// for element.
/// </summary>
public class DepthwiseNonFiniteWeightTests
{
    /// <summary>
    /// 9 x 8 padded 1 above and left, small integers with many zeros: three channels of one filter each, or one
    /// group of 2 -> 3 channels at stride 2 (not dividing); at stride 1 one group of 8 -> 3 channels, enough for
    /// the vectorized engine's stride-1 dJ/da to be a correlation of the padded error were the weights finite.
    /// </summary>
    public static TheoryData<bool, int> Layers => new() { { true, 2 }, { false, 2 }, { true, 1 }, { false, 1 } };

    private static CaseConfig Config(bool depthwise, int stride) => new(
        new CaseShape(N: 2, Cin: depthwise ? 3 : stride == 1 ? 8 : 2, H: 9, W: 8, Cout: 3, KH: 3, KW: 3),
        new CaseGeometry { StrideH = stride, StrideW = stride, PadTop = 1, PadLeft = 1, Groups = depthwise ? 3 : 1 },
        Bias: true, Dtype: CaseDtype.F64, Activation: ActivationKind.Identity, Clip: null, ValueSeed: 17)
    { Values = ValueKind.ZerosAndCancellation };

    private static CaseInputs Inputs(CaseConfig config)
    {
        var clean = CaseInputs.Create(config);
        var w = clean.Weights.Clone();
        w[1, 0, 0, 2] = double.PositiveInfinity;
        w[2, 0, 1, 1] = double.NegativeInfinity;
        return clean with { Weights = w };
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void InfiniteWeights_VectorizedInputGradientIsTheDefinitionsSum(bool depthwise, int stride)
    {
        var config = Config(depthwise, stride);
        var inputs = Inputs(config);
        var definition = CompensatedReference.Compute(config, inputs, TensorKind.Dx).Data;
        var vectorized = new ConvRefEngine(Conv2dAlgorithm.Vectorized).Compute(config, inputs, CaseDtype.F64)[TensorKind.Dx]!.Data;

        Assert.Contains(definition, double.IsPositiveInfinity);
        Assert.Contains(definition, double.IsNegativeInfinity);
        Assert.Contains(definition, double.IsFinite);
        if (depthwise)
            Assert.Contains(definition, double.IsNaN);
        AssertSameValues(definition, vectorized);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void InfiniteWeights_TorchSharpFloat64InputGradientIsTheDefinitionsSum(bool depthwise, int stride)
    {
        using var scope = torch.NewDisposeScope();
        var config = Config(depthwise, stride);
        var inputs = Inputs(config);
        var definition = CompensatedReference.Compute(config, inputs, TensorKind.Dx).Data;
        var oracle = new TorchOracle().Compute(config, inputs, CaseDtype.F64)[TensorKind.Dx]!.Data;

        AssertSameValues(definition, oracle);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void InfiniteWeights_SerialInputGradientIsTheDefinitionsSum(bool depthwise, int stride)
    {
        var config = Config(depthwise, stride);
        var inputs = Inputs(config);
        var definition = CompensatedReference.Compute(config, inputs, TensorKind.Dx).Data;
        var serial = new ConvRefEngine(Conv2dAlgorithm.Serial).Compute(config, inputs, CaseDtype.F64)[TensorKind.Dx]!.Data;

        // Finite elements next to infinite ones: where the interleaved zeros used to meet an infinite tap.
        Assert.Contains(Enumerable.Range(0, definition.Length), i => double.IsFinite(definition[i]) && i + 1 < definition.Length && double.IsInfinity(definition[i + 1]));
        AssertSameValues(definition, serial);
    }

    /// <summary>The integer sums are exact in any order, so every element must match: NaN for NaN, the same infinity, the same number.</summary>
    private static void AssertSameValues(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(double.IsNaN(expected[i]) ? double.IsNaN(actual[i]) : expected[i] == actual[i],
                $"dJ/da[{i}]: expected {expected[i]}, got {actual[i]}");
    }
}

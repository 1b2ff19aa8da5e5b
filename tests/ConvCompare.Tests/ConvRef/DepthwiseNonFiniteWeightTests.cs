using ConvCompare.Cases;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using ConvCompare.Runner;
using ConvCompare.Tests.Harness;
using global::ConvRef;
using TorchSharp;

namespace ConvCompare.Tests.ConvRef;

/// <summary>
/// dJ/da (Eq 5/8) of a depthwise layer at stride 2 with infinite weights: the vectorized depthwise path
/// scatters w_t · Δ row by row there, skipping the junk columns where 0 · ±Inf would be NaN, and so
/// gives the definition's sum (the compensated reference, which PyTorch float64 matches); the serial
/// algorithm's interleaved error puts structural zeros under the infinite taps and gives NaN where
/// the definition has ±Inf or a finite value, as its remarks say.
/// </summary>
public class DepthwiseNonFiniteWeightTests
{
    /// <summary>Three channels of one filter each, 9 x 8 padded 1 above and left, stride 2 (not dividing), small integers with many zeros.</summary>
    private static readonly CaseConfig Config = new(
        new CaseShape(N: 2, Cin: 3, H: 9, W: 8, Cout: 3, KH: 3, KW: 3),
        new CaseGeometry { StrideH = 2, StrideW = 2, PadTop = 1, PadLeft = 1, Groups = 3 },
        Bias: true, Dtype: CaseDtype.F64, Activation: ActivationKind.Identity, Clip: null, ValueSeed: 17)
    { Values = ValueKind.ZerosAndCancellation };

    private static CaseInputs Inputs()
    {
        var clean = CaseInputs.Create(Config);
        var w = clean.Weights.Clone();
        w[1, 0, 0, 2] = double.PositiveInfinity;
        w[2, 0, 1, 1] = double.NegativeInfinity;
        return clean with { Weights = w };
    }

    [Fact]
    public void InfiniteWeightsAtStride2_VectorizedInputGradientIsTheDefinitionsSum()
    {
        var inputs = Inputs();
        var definition = CompensatedReference.Compute(Config, inputs, TensorKind.Dx).Data;
        var vectorized = new ConvRefEngine(Conv2dAlgorithm.Vectorized).Compute(Config, inputs, CaseDtype.F64)[TensorKind.Dx]!.Data;

        Assert.Contains(definition, double.IsPositiveInfinity);
        Assert.Contains(definition, double.IsNegativeInfinity);
        Assert.Contains(definition, double.IsNaN);
        Assert.Contains(definition, double.IsFinite);
        AssertSameValues(definition, vectorized);
    }

    [Fact]
    public void InfiniteWeightsAtStride2_TorchSharpFloat64InputGradientIsTheDefinitionsSum()
    {
        using var scope = torch.NewDisposeScope();
        var inputs = Inputs();
        var definition = CompensatedReference.Compute(Config, inputs, TensorKind.Dx).Data;
        var oracle = new TorchOracle().Compute(Config, inputs, CaseDtype.F64)[TensorKind.Dx]!.Data;

        AssertSameValues(definition, oracle);
    }

    [Fact]
    public void InfiniteWeightsAtStride2_SerialGivesNaNWhereTheDefinitionIsFinite()
    {
        var inputs = Inputs();
        var definition = CompensatedReference.Compute(Config, inputs, TensorKind.Dx).Data;
        var serial = new ConvRefEngine(Conv2dAlgorithm.Serial).Compute(Config, inputs, CaseDtype.F64)[TensorKind.Dx]!.Data;

        Assert.Contains(Enumerable.Range(0, serial.Length), i => double.IsNaN(serial[i]) && double.IsFinite(definition[i]));
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

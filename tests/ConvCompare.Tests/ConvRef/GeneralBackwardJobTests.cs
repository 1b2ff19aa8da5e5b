using ConvCompare.Cases;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using ConvCompare.Runner;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef;

/// <summary>
/// Two corners of the vectorized backward job that the agreement tables miss, each against the
/// definition's sum (the compensated reference) on small integers, where every sum is exact in any
/// order, so every element must match: NaN for NaN, the same infinity, the same number.
/// </summary>
public class GeneralBackwardJobTests
{
    /// <summary>
    /// Two groups of 12 filters each (three blocks of 4 filters per group) at stride 2: the weight-gradient
    /// accumulators and their reduction are indexed by group and filter block together. On the 7 x 8 input a
    /// slot holds few positions, so each block runs over all its chunks and is reduced at once. On the
    /// 100 x 100 input with a 5 x 2 kernel (20 taps, so the last block of 6 taps is cut to 2) a slot is one
    /// sample of one group: 3 chunks of 20 rows of 51 phase columns, 3060 positions, more than a slot folds
    /// (2048), so every chunk adds into accumulators of the whole dJ/dw. On the 80 x 100 input the 39 output
    /// rows are one fewer than two chunks hold, where a chunk count rounded up once too often would be 3.
    /// </summary>
    [Theory]
    [InlineData(2, 7, 8, 3)]
    [InlineData(1, 100, 100, 5)]
    [InlineData(1, 80, 100, 5)]
    public void SeveralFilterBlocksInSeveralGroups_GiveTheDefinitionsSums(int n, int h, int w, int kh)
    {
        var config = new CaseConfig(new CaseShape(N: n, Cin: 4, H: h, W: w, Cout: 24, KH: kh, KW: 2),
            new CaseGeometry { StrideH = 2, StrideW = 2, PadTop = 1, PadLeft = 1, Groups = 2 },
            Bias: true, Dtype: CaseDtype.F64, Activation: ActivationKind.Identity, Clip: null, ValueSeed: 5)
        { Values = ValueKind.ZerosAndCancellation };
        var inputs = CaseInputs.Create(config);
        var vectorized = new ConvRefEngine(Conv2dAlgorithm.Vectorized).Compute(config, inputs, CaseDtype.F64);
        foreach (var kind in new[] { TensorKind.Dw, TensorKind.Dx })
            AssertSameValues(kind, CompensatedReference.Compute(config, inputs, kind).Data, vectorized[kind]!.Data);
    }

    /// <summary>
    /// Infinite weights at stride 2 with two channels per group (dJ/da by col2im through the transposed
    /// panels): each tap's rows go into the phase layout one by one, so the junk columns, where
    /// 0 · ±Inf would be NaN, stay out, and dJ/da is the definition's sum. One infinity sits in the first
    /// kernel column, whose junk column lands on the last input column (the stride does not divide the
    /// width, and that column is reached by the third kernel column only).
    /// </summary>
    [Fact]
    public void InfiniteWeightsAtStride2_Col2imInputGradientIsTheDefinitionsSum()
    {
        var config = new CaseConfig(new CaseShape(N: 2, Cin: 2, H: 9, W: 8, Cout: 3, KH: 3, KW: 3),
            new CaseGeometry { StrideH = 2, StrideW = 2, PadTop = 1, PadLeft = 1 },
            Bias: true, Dtype: CaseDtype.F64, Activation: ActivationKind.Identity, Clip: null, ValueSeed: 17)
        { Values = ValueKind.ZerosAndCancellation };
        var clean = CaseInputs.Create(config);
        var w = clean.Weights.Clone();
        w[1, 0, 0, 2] = double.PositiveInfinity;
        w[2, 1, 1, 0] = double.NegativeInfinity;
        var inputs = clean with { Weights = w };
        var definition = CompensatedReference.Compute(config, inputs, TensorKind.Dx).Data;
        Assert.Contains(definition, double.IsInfinity);
        Assert.Contains(definition, double.IsFinite);
        AssertSameValues(TensorKind.Dx, definition, new ConvRefEngine(Conv2dAlgorithm.Vectorized).Compute(config, inputs, CaseDtype.F64)[TensorKind.Dx]!.Data);
    }

    private static void AssertSameValues(TensorKind kind, double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(double.IsNaN(expected[i]) ? double.IsNaN(actual[i]) : expected[i] == actual[i],
                $"{kind.Name()}[{i}]: expected {expected[i]}, got {actual[i]}");
    }
}

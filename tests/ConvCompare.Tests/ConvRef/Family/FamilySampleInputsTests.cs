using ConvCompare.Cases;
using ConvCompare.Numerics;
using ConvCompare.Runner;
using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Family;

/// <summary>
/// A literal table of hand-picked configurations in the manner of PyTorch's OpInfo sample inputs
/// (sample_inputs_conv1d/2d/3d, sample_inputs_conv_transpose1d/2d/3d): strides differing per axis,
/// padding as an integer, a tuple, 'valid' and 'same' (even kernels, dilation), dilation per axis,
/// groups and depthwise, no bias, output padding up to the dilation; each run batched and unbatched,
/// against the oracle <c>run</c> uses (TorchSharp in float64) within the harness's rounding bound. A batched,
/// zero-padded conv2d row with integer padding is the harness's plain conv2d case, which runs ConvRef's 2-D
/// layer; <see cref="FamilyIdentityTests"/> shows the family's conv2d is that layer bit for bit.
/// </summary>
public class FamilySampleInputsTests
{
    /// <summary>Columns: operation, input shape, weight shape, bias, stride, padding, dilation, groups, output padding.</summary>
    private static readonly (string Op, int[] Input, int[] Weights, bool Bias, int[] Stride, ConvPadding Padding, int[] Dilation, int Groups, int[] OutputPadding)[] Table =
    [
        ("conv1d", [1, 3, 4], [3, 3, 3], true, [2], ConvPadding.Of(2), [1], 1, [0]),
        ("conv1d", [2, 4, 8], [2, 2, 3], true, [3], ConvPadding.Of(1), [2], 2, [0]),
        ("conv1d", [1, 4, 5], [1, 4, 3], false, [2], ConvPadding.Valid, [1], 1, [0]),
        ("conv1d", [2, 2, 4], [2, 1, 4], true, [1], ConvPadding.Same, [2], 2, [0]),
        ("conv1d", [1, 4, 5], [3, 4, 3], false, [1], ConvPadding.None, [1], 1, [0]),
        ("conv2d", [1, 3, 4, 4], [3, 3, 3, 3], true, [2, 2], ConvPadding.Of(2), [1], 1, [0]),
        ("conv2d", [2, 4, 8, 8], [2, 2, 3, 3], true, [3, 2], ConvPadding.Of(2, 1), [4, 4], 2, [0]),
        ("conv2d", [1, 4, 5, 5], [1, 4, 2, 3], true, [2], ConvPadding.Of(1), [2, 3], 1, [0]),
        ("conv2d", [1, 2, 4, 3], [4, 2, 3, 4], false, [2], ConvPadding.Of(1), [1], 1, [0]),
        ("conv2d", [1, 4, 5, 5], [1, 4, 2, 3], true, [2], ConvPadding.Valid, [1], 1, [0]),
        ("conv2d", [1, 4, 5, 5], [1, 4, 2, 3], true, [1], ConvPadding.Same, [3], 1, [0]),
        ("conv2d", [2, 4, 6, 6], [4, 1, 3, 3], true, [1], ConvPadding.None, [1], 4, [0]),
        ("conv2d", [2, 4, 6, 6], [8, 1, 3, 3], false, [1], ConvPadding.None, [1], 4, [0]),
        ("conv2d", [2, 4, 6, 6], [4, 1, 3, 3], true, [3, 2], ConvPadding.None, [1], 4, [0]),
        ("conv2d", [2, 4, 5, 5], [4, 1, 2, 2], true, [1], ConvPadding.Of(1, 1), [2, 2], 4, [0]),
        ("conv2d", [2, 4, 6, 5], [6, 2, 3, 2], true, [1], ConvPadding.None, [1], 2, [0]),
        ("conv3d", [1, 1, 4, 4, 4], [1, 1, 1, 1, 1], true, [1], ConvPadding.Same, [1], 1, [0]),
        ("conv3d", [1, 1, 4, 4, 4], [1, 1, 4, 4, 4], true, [2, 2, 2], ConvPadding.None, [1], 1, [0]),
        ("conv3d", [1, 1, 5, 5, 5], [1, 1, 3, 3, 3], true, [1], ConvPadding.None, [2], 1, [0]),
        ("conv3d", [1, 1, 1, 1, 10], [1, 1, 1, 1, 4], false, [1], ConvPadding.Valid, [1], 1, [0]),
        ("conv3d", [1, 1, 6, 7, 8], [1, 1, 1, 2, 5], false, [1], ConvPadding.Same, [1], 1, [0]),
        ("conv3d", [1, 1, 6, 7, 8], [1, 1, 2, 2, 4], false, [1], ConvPadding.Same, [2], 1, [0]),
        ("conv3d", [1, 2, 4, 4, 4], [2, 1, 2, 3, 2], true, [1, 1, 2], ConvPadding.Of(1, 0, 1), [1], 2, [0]),
        ("conv_transpose1d", [1, 3, 4], [3, 3, 3], true, [2], ConvPadding.Of(2), [1], 1, [1]),
        ("conv_transpose1d", [2, 2, 4], [2, 2, 4], true, [3], ConvPadding.Of(1), [4], 2, [2]),
        ("conv_transpose1d", [1, 1, 4], [1, 1, 4], true, [2], ConvPadding.Of(1), [2], 1, [1]),
        ("conv_transpose1d", [1, 1, 4], [1, 2, 3], false, [2], ConvPadding.Of(1), [1], 1, [1]),
        ("conv_transpose1d", [1, 4, 5], [4, 8, 3], false, [1], ConvPadding.None, [1], 1, [0]),
        ("conv_transpose2d", [1, 3, 4, 4], [3, 3, 3, 3], true, [2, 2], ConvPadding.Of(2), [1], 1, [1, 1]),
        ("conv_transpose2d", [2, 2, 4, 4], [2, 2, 4, 5], true, [3, 2], ConvPadding.Of(1, 2), [4, 4], 2, [2, 3]),
        ("conv_transpose2d", [1, 1, 4, 5], [1, 1, 4, 3], true, [2], ConvPadding.Of(1), [2, 3], 1, [1]),
        ("conv_transpose2d", [1, 1, 4, 3], [1, 2, 3, 4], false, [2], ConvPadding.Of(1), [1], 1, [1]),
        ("conv_transpose2d", [2, 4, 4, 4], [4, 1, 3, 3], false, [1], ConvPadding.None, [1], 4, [0]),
        ("conv_transpose2d", [1, 4, 5, 5], [4, 8, 3, 3], false, [1], ConvPadding.None, [1], 1, [0]),
        ("conv_transpose3d", [1, 3, 4, 4, 4], [3, 3, 3, 3, 3], true, [2, 2, 2], ConvPadding.Of(2), [1], 1, [1, 1, 1]),
        ("conv_transpose3d", [2, 2, 4, 4, 4], [2, 2, 4, 5, 4], true, [3, 2, 1], ConvPadding.Of(1, 2, 3), [4, 4, 4], 2, [2, 3, 1]),
        ("conv_transpose3d", [1, 1, 4, 5, 2], [1, 1, 4, 3, 1], true, [2], ConvPadding.Of(1), [2, 3, 2], 1, [1]),
        ("conv_transpose3d", [1, 1, 4, 3, 4], [1, 2, 3, 4, 5], false, [2], ConvPadding.Of(1), [1], 1, [1]),
        ("conv_transpose3d", [1, 4, 3, 3, 3], [4, 8, 3, 3, 3], false, [1], ConvPadding.None, [1], 1, [0]),
    ];

    public static TheoryData<int, bool> Rows()
    {
        var data = new TheoryData<int, bool>();
        for (int row = 0; row < Table.Length; row++)
        {
            data.Add(row, true);
            data.Add(row, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void SampleInput_BothAlgorithms_MatchTorch(int row, bool batched)
    {
        var config = Case(row, batched, PaddingMode.Zeros)!;
        var inputs = CaseInputs.Create(config);
        var expected = FamilyTorchAgreementTests.TorchFloat64(config, inputs);
        foreach (var algorithm in Enum.GetValues<Conv2dAlgorithm>())
            foreach (var dtype in new[] { CaseDtype.F32, CaseDtype.F64 })
                AssertMatches(expected, config, inputs, algorithm, dtype);
    }

    /// <summary>The table's plain convolutions in the other padding modes of nn.Conv*d, wherever ConvRef takes the padding (reflect needs it smaller than the input).</summary>
    public static TheoryData<int, bool, PaddingMode> ModeRows()
    {
        var data = new TheoryData<int, bool, PaddingMode>();
        for (int row = 0; row < Table.Length; row++)
            foreach (bool batched in new[] { true, false })
                foreach (var mode in new[] { PaddingMode.Reflect, PaddingMode.Replicate, PaddingMode.Circular })
                    if (Case(row, batched, mode) is not null)
                        data.Add(row, batched, mode);
        return data;
    }

    [Theory]
    [MemberData(nameof(ModeRows))]
    public void SampleInput_InEveryPaddingMode_MatchesTorch(int row, bool batched, PaddingMode mode)
    {
        var config = Case(row, batched, mode)!;
        var inputs = CaseInputs.Create(config);
        var expected = FamilyTorchAgreementTests.TorchFloat64(config, inputs);
        AssertMatches(expected, config, inputs, Conv2dAlgorithm.Vectorized, CaseDtype.F64);
        AssertMatches(expected, config, inputs, Conv2dAlgorithm.Serial, CaseDtype.F32);
    }

    [Fact]
    public void EveryRowThatConvRefTakes_IsAValidCaseOfTheHarness()
    {
        for (int row = 0; row < Table.Length; row++)
            foreach (bool batched in new[] { true, false })
                foreach (var mode in Enum.GetValues<PaddingMode>())
                    if (Case(row, batched, mode) is { } config)
                        Assert.True(config.Problem is null, $"row {row} {mode}: {config.Problem}");
    }

    private static void AssertMatches(CaseOutputs expected, CaseConfig config, CaseInputs inputs, Conv2dAlgorithm algorithm, CaseDtype dtype) =>
        AgreementTolerances.AssertOutputsAgree($"{CaseId.Format(config)} {algorithm} {dtype}", config, inputs, expected, Arithmetic.Float64,
            new ConvRefEngine(algorithm).Compute(config, inputs, dtype), Arithmetic.For(dtype));

    /// <summary>Row <paramref name="row"/> in <paramref name="mode"/> as a float32 case; null for a transposed row or a padding ConvRef does not take in that mode.</summary>
    private static CaseConfig? Case(int row, bool batched, PaddingMode mode)
    {
        var (name, input, weights, bias, stride, padding, dilation, groups, outputPadding) = Table[row];
        var op = CaseOps.Parse(name)!.Value.Convolution();
        var spec = new ConvSpec { Stride = stride, Padding = padding, Dilation = dilation, Groups = groups, OutputPadding = outputPadding, PaddingMode = mode };
        int[] shape = batched ? input : input[1..];
        if (op.Transposed && mode != PaddingMode.Zeros)
            return null;
        try
        {
            op.Geometry(shape, weights, spec);
        }
        catch (Conv2dArgumentException)
        {
            return null;
        }
        return FamilyCaseOf.Spec(op, spec, shape, weights, bias, CaseDtype.F32, ActivationKind.Identity, clip: null, valueSeed: (ulong)row + 1);
    }
}

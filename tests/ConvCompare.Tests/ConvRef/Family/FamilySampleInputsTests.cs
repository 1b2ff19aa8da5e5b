using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Family;

/// <summary>
/// A literal table of hand-picked configurations in the manner of PyTorch's OpInfo sample inputs
/// (sample_inputs_conv1d/2d/3d, sample_inputs_conv_transpose1d/2d/3d): strides differing per axis,
/// padding as an integer, a tuple, 'valid' and 'same' (even kernels, dilation), dilation per axis,
/// groups and depthwise, no bias, output padding up to the dilation; each run batched and unbatched,
/// against TorchSharp in float64 within the rounding bounds.
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
        var c = Case(row, batched, PaddingMode.Zeros)!;
        var expected = FamilyRun.Torch(c);
        foreach (var algorithm in Enum.GetValues<Conv2dAlgorithm>())
        {
            FamilyRun.AssertAgree(expected, FamilyRun.Of<float>(c, algorithm), FamilyBounds.AgainstFloat64<float>(c), $"{c} {algorithm} float32");
            FamilyRun.AssertAgree(expected, FamilyRun.Of<double>(c, algorithm), FamilyBounds.AgainstFloat64<double>(c), $"{c} {algorithm} float64");
        }
    }

    /// <summary>The table's plain convolutions in the other padding modes of nn.Conv*d, wherever the padding fits (reflect needs it smaller than the input).</summary>
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
        var c = Case(row, batched, mode)!;
        var expected = FamilyRun.Torch(c);
        FamilyRun.AssertAgree(expected, FamilyRun.Of<double>(c, Conv2dAlgorithm.Vectorized), FamilyBounds.AgainstFloat64<double>(c), $"{c} Vectorized float64");
        FamilyRun.AssertAgree(expected, FamilyRun.Of<float>(c, Conv2dAlgorithm.Serial), FamilyBounds.AgainstFloat64<float>(c), $"{c} Serial float32");
    }

    /// <summary>Row <paramref name="row"/> in <paramref name="mode"/>; null for a transposed row or a padding the mode cannot take.</summary>
    private static FamilyCase? Case(int row, bool batched, PaddingMode mode)
    {
        var (name, input, weights, bias, stride, padding, dilation, groups, outputPadding) = Table[row];
        var op = FamilyCase.Operation(name);
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
        return FamilyCase.Of($"{name} row {row} {mode} {(batched ? "batched" : "unbatched")}", op, spec, shape, weights, bias, (ulong)row + 1);
    }
}

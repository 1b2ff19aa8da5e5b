using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Family;

/// <summary>
/// The serial and the vectorized algorithm agree within the rounding bound on every operation and
/// padding mode, in both precisions; the vectorized one is bitwise reproducible and does not depend on
/// its thread count.
/// </summary>
public class FamilySerialVsVectorizedTests
{
    public static TheoryData<string, PaddingMode, ulong> Cases() => FamilyCase.Seeds(101, 3, 6);

    [Theory]
    [MemberData(nameof(Cases))]
    public void RandomConfiguration_VectorizedMatchesSerial(string op, PaddingMode mode, ulong seed)
    {
        var c = FamilyCase.Random(FamilyCase.Operation(op), mode, seed, withActivation: seed % 2 == 1, withClip: seed % 4 == 0);
        FamilyRun.AssertAgree(FamilyRun.Of<float>(c, Conv2dAlgorithm.Serial), FamilyRun.Of<float>(c, Conv2dAlgorithm.Vectorized),
            FamilyBounds.Within<float>(c), $"{c} float32");
        FamilyRun.AssertAgree(FamilyRun.Of<double>(c, Conv2dAlgorithm.Serial), FamilyRun.Of<double>(c, Conv2dAlgorithm.Vectorized),
            FamilyBounds.Within<double>(c), $"{c} float64");
    }

    /// <summary>Shapes past the 2-D engine's blocking (many depth slices as channels, several row chunks, strided col2im for the transposed forward, many samples from the output depths).</summary>
    [Theory]
    [InlineData("conv3d", 2, 6, 9, 12, 13, 8, 3, 1)]
    [InlineData("conv3d", 1, 4, 7, 20, 21, 6, 3, 2)]
    [InlineData("conv_transpose3d", 2, 8, 4, 9, 10, 6, 3, 2)]
    [InlineData("conv_transpose2d", 2, 16, 1, 24, 25, 8, 3, 2)]
    [InlineData("conv_transpose2d", 1, 12, 1, 30, 31, 10, 3, 1)]
    [InlineData("conv1d", 3, 16, 1, 1, 700, 12, 5, 2)]
    [InlineData("conv_transpose1d", 3, 16, 1, 1, 600, 12, 5, 3)]
    public void LargerShapes_VectorizedMatchesSerial(string op, int n, int inChannels, int depth, int height, int width, int outChannels, int k, int stride)
    {
        var operation = FamilyCase.Operation(op);
        int[] size = operation.Rank switch { 1 => [width], 2 => [height, width], _ => [depth, height, width] };
        int[] kernel = [.. Enumerable.Repeat(k, operation.Rank)];
        var spec = new ConvSpec { Stride = [stride], Padding = ConvPadding.PerSide([.. Enumerable.Repeat(1, operation.Rank)], [.. Enumerable.Repeat(0, operation.Rank)]), Groups = 2 };
        int[] weights = operation.Transposed ? [inChannels, outChannels / 2, .. kernel] : [outChannels, inChannels / 2, .. kernel];
        var c = FamilyCase.Of($"{op} large", operation, spec, [n, inChannels, .. size], weights, hasBias: true, seed: (ulong)(n * 1000 + width));
        FamilyRun.AssertAgree(FamilyRun.Of<float>(c, Conv2dAlgorithm.Serial), FamilyRun.Of<float>(c, Conv2dAlgorithm.Vectorized),
            FamilyBounds.Within<float>(c), $"{c} float32");
    }

    [Fact]
    public void Vectorized_IsBitwiseReproducibleAndIndependentOfThreads()
    {
        var c = FamilyCase.Random(Convolution.ConvTranspose3d, PaddingMode.Zeros, 7);
        var one = c.Op.Backward(c.InputTensor<float>(), c.WeightTensor<float>(), c.Bias is not null, c.DeltaTensor<float>(), c.Spec,
            limits: new Conv2dLimits { MaxThreads = 1 });
        var all = c.Op.Backward(c.InputTensor<float>(), c.WeightTensor<float>(), c.Bias is not null, c.DeltaTensor<float>(), c.Spec);
        Assert.Equal(one.Input.Data, all.Input.Data);
        Assert.Equal(one.Weights.Data, all.Weights.Data);
        Assert.Equal(FamilyRun.Of<float>(c, Conv2dAlgorithm.Vectorized).Output, FamilyRun.Of<float>(c, Conv2dAlgorithm.Vectorized).Output);
    }
}

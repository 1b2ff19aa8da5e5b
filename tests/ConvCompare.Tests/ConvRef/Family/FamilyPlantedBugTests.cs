using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Family;

/// <summary>
/// The comparison the agreement tests make (ConvRef against TorchSharp within the rounding bounds)
/// catches the bugs a family implementation is likely to have: each planted one is a ConvRef run with one
/// quantity computed the wrong way, and the comparison names that quantity while the correct run passes.
/// </summary>
public class FamilyPlantedBugTests
{
    /// <summary>
    /// dJ/dw of a transposed convolution computed as if output_padding were 0 (δ cut to the smaller
    /// output): with padding at least the output padding, the cut entries are reached by x and matter.
    /// </summary>
    [Fact]
    public void TransposedWeightGradientIgnoringOutputPadding_IsCaught()
    {
        var spec = new ConvSpec { Stride = [2], Padding = ConvPadding.Of(2), OutputPadding = [1] };
        var c = FamilyCase.Of("conv_transpose2d output_padding", Convolution.ConvTranspose2d, spec, [1, 3, 4, 4], [3, 3, 3, 3], hasBias: true, seed: 3);
        var withoutOutputPadding = c.Spec with { OutputPadding = [0] };
        var cut = Cut(c.DeltaTensor<double>(), c.Op.Geometry(c.InputShape, c.WeightShape, withoutOutputPadding).OutputShape);
        var wrong = c.Op.Backward(c.InputTensor<double>(), c.WeightTensor<double>(), true, cut, withoutOutputPadding).Weights;
        AssertCaught(c, run => run with { Weights = wrong.Data }, "dJ/dw");
    }

    /// <summary>A reflect-padded convolution whose border gradient is dropped instead of folded back (the zero-padding dJ/da).</summary>
    [Theory]
    [InlineData("conv1d")]
    [InlineData("conv2d")]
    [InlineData("conv3d")]
    public void ReflectBorderNotFoldedBack_IsCaught(string op)
    {
        var operation = FamilyCase.Operation(op);
        var c = PaddedCase(operation, PaddingMode.Reflect);
        var wrong = c.Op.Backward(c.InputTensor<double>(), c.WeightTensor<double>(), false, c.DeltaTensor<double>(), c.Spec with { PaddingMode = PaddingMode.Zeros }).Input;
        AssertCaught(c, run => run with { Input = wrong.Data }, "dJ/dx");
    }

    /// <summary>A circular border folded onto its own edge as replicate does, instead of wrapped onto the opposite end.</summary>
    [Fact]
    public void CircularBorderFoldedOntoTheWrongEnd_IsCaught()
    {
        var c = PaddedCase(Convolution.Conv2d, PaddingMode.Circular);
        var wrong = c.Op.Backward(c.InputTensor<double>(), c.WeightTensor<double>(), false, c.DeltaTensor<double>(), c.Spec with { PaddingMode = PaddingMode.Replicate }).Input;
        AssertCaught(c, run => run with { Input = wrong.Data }, "dJ/dx");
    }

    /// <summary>A transposed convolution whose full convolution forgets Rot180 (it correlates with w instead).</summary>
    [Fact]
    public void TransposedForwardWithoutRot180_IsCaught()
    {
        var c = FamilyCase.Of("conv_transpose2d", Convolution.ConvTranspose2d, new ConvSpec { Stride = [2, 1], Padding = ConvPadding.Of(1) },
            [2, 2, 4, 5], [2, 3, 3, 2], hasBias: false, seed: 5);
        var flipped = Flip(c.WeightTensor<double>());
        var wrong = c.Op.Forward(c.InputTensor<double>(), flipped, null, c.Spec);
        AssertCaught(c, run => run with { Output = wrong.Data }, "y");
    }

    /// <summary>A 3-D weight gradient whose kernel-depth slices land in the wrong order.</summary>
    [Fact]
    public void Conv3dWeightGradientWithDepthSlicesSwapped_IsCaught()
    {
        var c = FamilyCase.Of("conv3d", Convolution.Conv3d, new ConvSpec { Stride = [2, 1, 1], Padding = ConvPadding.Of(1, 0, 1) },
            [1, 2, 5, 4, 4], [3, 2, 2, 3, 2], hasBias: true, seed: 6);
        var right = FamilyRun.Of<double>(c, Conv2dAlgorithm.Vectorized).Weights;
        int slice = 3 * 2, perFilterChannel = right.Length / (3 * 2);
        var swapped = new double[right.Length];
        for (int fc = 0; fc < slice; fc++)
            for (int i = 0; i < perFilterChannel; i++)
                swapped[fc * perFilterChannel + i] = right[fc * perFilterChannel + (i + perFilterChannel / 2) % perFilterChannel];
        AssertCaught(c, run => run with { Weights = swapped }, "dJ/dw");
    }

    private static void AssertCaught(FamilyCase c, Func<FamilyRun, FamilyRun> plant, string quantity)
    {
        var expected = FamilyRun.Torch(c);
        var tolerances = FamilyBounds.AgainstFloat64<double>(c);
        var run = FamilyRun.Of<double>(c, Conv2dAlgorithm.Vectorized);
        Assert.Null(FamilyRun.FirstViolation(expected, run, tolerances));
        var violation = FamilyRun.FirstViolation(expected, plant(run), tolerances);
        Assert.NotNull(violation);
        Assert.StartsWith(quantity + "[", violation);
    }

    private static FamilyCase PaddedCase(Convolution op, PaddingMode mode)
    {
        int[] size = [.. Enumerable.Repeat(4, op.Rank)], kernel = [.. Enumerable.Repeat(3, op.Rank)];
        var spec = new ConvSpec { Padding = ConvPadding.PerSide([.. Enumerable.Repeat(2, op.Rank)], [.. Enumerable.Repeat(1, op.Rank)]), PaddingMode = mode };
        return FamilyCase.Of($"{op} {mode}", op, spec, [2, 2, .. size], [3, 2, .. kernel], hasBias: false, seed: 4);
    }

    /// <summary>The leading block of <paramref name="t"/> with <paramref name="shape"/> (the last entries of each axis cut off).</summary>
    private static Tensor<double> Cut(Tensor<double> t, int[] shape)
    {
        var cut = Tensor<double>.Zeros(shape);
        int h = shape[2], w = shape[3];
        for (int n = 0; n < shape[0]; n++)
            for (int c = 0; c < shape[1]; c++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++)
                        cut[n, c, i, j] = t[n, c, i, j];
        return cut;
    }

    /// <summary>Each 2-D kernel plane turned by 180 degrees.</summary>
    private static Tensor<double> Flip(Tensor<double> w)
    {
        var flipped = Tensor<double>.Zeros([.. w.Shape]);
        int kh = w.Shape[2], kw = w.Shape[3];
        for (int a = 0; a < w.Shape[0]; a++)
            for (int b = 0; b < w.Shape[1]; b++)
                for (int i = 0; i < kh; i++)
                    for (int j = 0; j < kw; j++)
                        flipped[a, b, i, j] = w[a, b, kh - 1 - i, kw - 1 - j];
        return flipped;
    }
}

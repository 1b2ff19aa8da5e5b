using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Layers;

/// <summary>
/// The family's shape arithmetic, every property against sizes counted by hand: a transposed 1-D
/// convolution, an unbatched 2-D one with padding 'same', and a 3-D one with padding per side.
/// </summary>
public class ConvGeometryTests
{
    [Fact]
    public void Transposed1dWithStrideDilationPaddingAndOutputPadding_HasTheHandCountedSizes()
    {
        // Input 2 x 3 x 5, weights C_in x C_out/G x k = 3 x 2 x 4, stride 3, padding 1, dilation 2, output_padding 1.
        var g = Convolution.ConvTranspose1d.Geometry([2, 3, 5], [3, 2, 4],
            new ConvSpec { Stride = [3], Padding = ConvPadding.Of(1), Dilation = [2], OutputPadding = [1] });

        Assert.Equal((1, true, true), (g.Rank, g.Transposed, g.Batched));
        Assert.Equal((2, 3, 2, 1), (g.BatchSize, g.InChannels, g.OutChannels, g.Groups));
        Assert.Equal((3, 2), (g.InChannelsPerGroup, g.OutChannelsPerGroup));
        Assert.Equal(7, g.Span(0));                  // (4 - 1) 2 + 1
        Assert.Equal([18], g.OutputSize);            // (5 - 1) 3 + 7 + 1 - 1 - 1
        Assert.Equal([3], g.Stride);
        Assert.Equal([2], g.Dilation);
        Assert.Equal([1], g.PadBefore);
        Assert.Equal([1], g.PadAfter);
        Assert.Equal([1], g.OutputPadding);
        Assert.Equal([2, 3, 5], g.InputShape);
        Assert.Equal([3, 2, 4], g.WeightShape);
        Assert.Equal([2, 2, 18], g.OutputShape);
        Assert.Equal(240, g.MultiplyAdds);           // every input element (2 * 3 * 5) meets 2 filters of 4 taps
    }

    [Fact]
    public void GroupedTransposed1d_HasGroupsTimesTheWeightsSecondDimensionAsOutputChannels()
    {
        var g = Convolution.ConvTranspose1d.Geometry([1, 4, 3], [4, 3, 2], new ConvSpec { Groups = 2 });
        Assert.Equal((4, 6, 2, 3), (g.InChannels, g.OutChannels, g.InChannelsPerGroup, g.OutChannelsPerGroup));
        Assert.Equal([4, 3, 2], g.WeightShape);
        Assert.Equal([1, 6, 4], g.OutputShape);       // (3 - 1) 1 + 2
        Assert.Equal(72, g.MultiplyAdds);             // 1 * 4 * 3 input elements, 3 filters of 2 taps each
    }

    [Fact]
    public void Unbatched2dWithSamePadding_KeepsTheInputSize_PuttingTheOddExtraAfter()
    {
        // Input C_in x H x W = 3 x 6 x 7, weights 4 x 3 x 2 x 2, dilation (1, 2): 'same' needs 1 row (0 before, 1 after)
        // and 2 columns (1 before, 1 after).
        var g = Convolution.Conv2d.Geometry([3, 6, 7], [4, 3, 2, 2], new ConvSpec { Padding = ConvPadding.Same, Dilation = [1, 2] });

        Assert.Equal((2, false, false, 1), (g.Rank, g.Transposed, g.Batched, g.BatchSize));
        Assert.Equal([0, 1], g.PadBefore);
        Assert.Equal([1, 1], g.PadAfter);
        Assert.Equal([6, 7], g.OutputSize);
        Assert.Equal([3, 6, 7], g.InputShape);
        Assert.Equal([4, 6, 7], g.OutputShape);
        Assert.Equal([6, 7], g.InputSize);
        Assert.Equal([2, 2], g.KernelSize);
        Assert.Equal(2016, g.MultiplyAdds);          // 4 * 6 * 7 outputs, 3 * 2 * 2 taps each
    }

    [Fact]
    public void Conv3dWithPaddingPerSideAndOneStridePerAxis_HasTheHandCountedSizes()
    {
        // Input 1 x 2 x 4 x 5 x 6, weights 2 x 2 x 1 x 2 x 3, stride (1, 2, 3), padding before (0, 1, 2), after (1, 0, 0), reflect.
        var g = Convolution.Conv3d.Geometry([1, 2, 4, 5, 6], [2, 2, 1, 2, 3],
            new ConvSpec { Stride = [1, 2, 3], Padding = ConvPadding.PerSide([0, 1, 2], [1, 0, 0]), PaddingMode = PaddingMode.Reflect });

        Assert.Equal((3, PaddingMode.Reflect), (g.Rank, g.PaddingMode));
        Assert.Equal([1, 2, 3], g.Stride);
        Assert.Equal([1, 1, 1], g.Dilation);
        Assert.Equal([0, 1, 2], g.PadBefore);
        Assert.Equal([1, 0, 0], g.PadAfter);
        Assert.Equal([0, 0, 0], g.OutputPadding);
        Assert.Equal([1, 2, 3], new[] { g.Span(0), g.Span(1), g.Span(2) });
        // Padded 5, 6, 8: (5 - 1) / 1 + 1, floor((6 - 2) / 2) + 1, floor((8 - 3) / 3) + 1.
        Assert.Equal([5, 3, 2], g.OutputSize);
        Assert.Equal([1, 2, 5, 3, 2], g.OutputShape);
        Assert.Equal(720, g.MultiplyAdds);           // 2 * 30 outputs, 2 * 1 * 2 * 3 taps each
    }

    [Fact]
    public void TransposedOutputOfOneElement_IsAccepted()
    {
        var g = Convolution.ConvTranspose1d.Geometry([1, 1, 1], [1, 1, 1], ConvSpec.Default);
        Assert.Equal([1, 1, 1], g.OutputShape);                 // (1 - 1) 1 + 1 + 0 - 0 - 0
    }

    [Fact]
    public void OutputPaddingEqualToTheDilation_IsRejectedWhenNotSmallerThanTheStrideEither()
    {
        var ex = Assert.Throws<Conv2dArgumentException>(() =>
            Convolution.ConvTranspose1d.Geometry([1, 1, 4], [1, 1, 2], new ConvSpec { Dilation = [2], OutputPadding = [2] }));
        Assert.Equal("output_padding=2 must be smaller than stride=1 or dilation=2", ex.Message);
        Assert.Equal([1, 1, 7], Convolution.ConvTranspose1d.Geometry([1, 1, 4], [1, 1, 2], new ConvSpec { Dilation = [2], OutputPadding = [1] }).OutputShape);
    }

    [Fact]
    public void NullPaddingOrStride_IsNamedInTheException()
    {
        var padding = Assert.Throws<ArgumentNullException>(() => Convolution.Conv1d.Geometry([1, 1, 4], [1, 1, 2], new ConvSpec { Padding = null! }));
        Assert.StartsWith("spec.Padding is null", padding.Message);
        var stride = Assert.Throws<ArgumentNullException>(() => Convolution.Conv1d.Geometry([1, 1, 4], [1, 1, 2], new ConvSpec { Stride = null! }));
        Assert.StartsWith("spec.Stride is null", stride.Message);
    }

    /// <summary>
    /// A transposed output of exactly Array.MaxLength elements (two inputs a stride of Array.MaxLength - 1 apart) passes
    /// the geometry and size checks, and the layer is refused for its NaN, which is checked before anything is allocated.
    /// </summary>
    [Fact]
    public void TransposedOutputOfExactlyTheLargestArrayLength_IsAllowed()
    {
        var spec = new ConvSpec { Stride = [Array.MaxLength - 1] };
        Assert.Equal([1, 1, Array.MaxLength], Convolution.ConvTranspose1d.Geometry([1, 1, 2], [1, 1, 1], spec).OutputShape);
        var ex = Assert.Throws<Conv2dArgumentException>(() => Convolution.ConvTranspose1d.Forward(new Tensor<float>([1, 1, 2], [0, float.NaN]),
            Tensor<float>.Zeros(1, 1, 1), null, spec, Conv2dAlgorithm.Serial, new Conv2dLimits { MaxTensorBytes = long.MaxValue, RejectNonFinite = true }));
        Assert.Equal("input contains NaN at [0,0,1]", ex.Message);
    }
}

using global::ConvRef;

namespace ConvCompare.Tests.ConvRef;

/// <summary>
/// The shape arithmetic of a 2-D layer, every property against numbers counted by hand for two layers
/// whose every size differs from the others, so a property that reads the wrong axis, channel count or
/// padding side shows.
/// </summary>
public class Conv2dGeometryTests
{
    [Fact]
    public void GroupedStridedDilatedLayer_HasTheHandCountedSizes()
    {
        // Input 2 x 6 x 7 x 10, weights 4 x 3 x 3 x 2, stride (2, 3), padding top 1, bottom 2, left 0,
        // right 1, dilation (2, 1), 2 groups.
        var g = Conv2dGeometry.Create([2, 6, 7, 10], [4, 3, 3, 2], new Conv2dSpec
        {
            StrideH = 2, StrideW = 3, PadTop = 1, PadBottom = 2, PadRight = 1, DilationH = 2, Groups = 2,
        });

        Assert.Equal((2, 6, 7, 10), (g.BatchSize, g.InChannels, g.InH, g.InW));
        Assert.Equal((4, 3, 2), (g.OutChannels, g.KernelH, g.KernelW));
        Assert.Equal((2, 3, 2), (g.Groups, g.InChannelsPerGroup, g.OutChannelsPerGroup));
        Assert.Equal((10, 11), (g.PaddedH, g.PaddedW));      // 1 + 7 + 2, 0 + 10 + 1
        Assert.Equal((5, 2), (g.SpanH, g.SpanW));            // (3 - 1) 2 + 1, (2 - 1) 1 + 1
        Assert.Equal((3, 4), (g.OutH, g.OutW));              // floor((10 - 5) / 2) + 1, floor((11 - 2) / 3) + 1
        Assert.Equal((9, 11), (g.CoveredH, g.CoveredW));     // (3 - 1) 2 + 5: the last padded row is never read; (4 - 1) 3 + 2
        Assert.Equal([2, 6, 7, 10], g.InputShape);
        Assert.Equal([4, 3, 3, 2], g.WeightShape);
        Assert.Equal([2, 4, 3, 4], g.OutputShape);
        Assert.Equal(1728, g.MultiplyAdds);                  // 2 * 4 * 3 * 4 output elements, 3 * 3 * 2 taps each
    }

    [Fact]
    public void DepthwiseLayerWithChannelMultiplier_HasTheHandCountedSizes()
    {
        // Input 3 x 4 x 5 x 9, weights 8 x 1 x 2 x 4, stride (1, 2), padding left 3, right 2, dilation (1, 3), 4 groups.
        var g = Conv2dGeometry.Create([3, 4, 5, 9], [8, 1, 2, 4], new Conv2dSpec
        {
            StrideW = 2, PadLeft = 3, PadRight = 2, DilationW = 3, Groups = 4,
        });

        Assert.Equal((3, 4, 5, 9), (g.BatchSize, g.InChannels, g.InH, g.InW));
        Assert.Equal((8, 2, 4), (g.OutChannels, g.KernelH, g.KernelW));
        Assert.Equal((4, 1, 2), (g.Groups, g.InChannelsPerGroup, g.OutChannelsPerGroup));
        Assert.Equal((5, 14), (g.PaddedH, g.PaddedW));       // 0 + 5 + 0, 3 + 9 + 2
        Assert.Equal((2, 10), (g.SpanH, g.SpanW));           // (2 - 1) 1 + 1, (4 - 1) 3 + 1
        Assert.Equal((4, 3), (g.OutH, g.OutW));              // (5 - 2) / 1 + 1, floor((14 - 10) / 2) + 1
        Assert.Equal((5, 14), (g.CoveredH, g.CoveredW));     // 3 * 1 + 2, 2 * 2 + 10: everything is read
        Assert.Equal([3, 8, 4, 3], g.OutputShape);
        Assert.Equal(2304, g.MultiplyAdds);                  // 3 * 8 * 4 * 3 output elements, 1 * 2 * 4 taps each
        Assert.Same(g.Spec, g.Spec);
        Assert.Equal(new Conv2dSpec { StrideW = 2, PadLeft = 3, PadRight = 2, DilationW = 3, Groups = 4 }, g.Spec);
    }

    [Fact]
    public void DefaultSpec_IsTheDerivationsSetting_StrideOneNoPaddingDilationOneOneGroup()
    {
        var spec = Conv2dSpec.Default;
        Assert.Equal((1, 1, 0, 0, 0, 0, 1, 1, 1),
            (spec.StrideH, spec.StrideW, spec.PadTop, spec.PadBottom, spec.PadLeft, spec.PadRight, spec.DilationH, spec.DilationW, spec.Groups));
        Assert.Equal(new Conv2dSpec(), spec);
    }
}

using global::ConvRef;
using global::ConvRef.Kernels;

namespace ConvCompare.Tests.ConvRef.Kernels;

/// <summary>
/// The buffers the vectorized passes allocate besides their results, as the allocation limit counts
/// them, worked out by hand from the buffers' definitions for three layers: a strided one (dJ/da by
/// col2im), a stride-1 one (dJ/da as a full convolution, with its own padded-error window) and a
/// depthwise one (the depthwise path's buffers, for the layer and for its full convolution).
/// </summary>
public class VectorizedWorkspaceTests
{
    /// <summary>
    /// Input 1 x 2 x 5 x 5, 3 filters of 3 x 3, stride 2, padding 1: padded 7 x 7, output 3 x 3, K = 18 taps.
    /// A phase row holds ceil(7 / 2) = 4 columns, so a unit takes 1024 / 4 = 256 output rows (all 3 here).
    /// </summary>
    [Fact]
    public void StridedLayer_CountsTheWindowTheColumnGradientTheCol2imAccumulationAndTheAccumulators()
    {
        var geometry = Conv2dGeometry.Create([1, 2, 5, 5], [3, 2, 3, 3],
            new Conv2dSpec { StrideH = 2, StrideW = 2, PadTop = 1, PadBottom = 1, PadLeft = 1, PadRight = 1 });

        Assert.Equal(
        [
            // 2 channels x 2 x 2 phases x (3 output rows + (3 - 1) / 2 + 1) phase rows x 4 columns, 2 rows and 256 of slack.
            ("the vectorized algorithm's phase-plane window", 2L * 2 * 2 * 5 * 4 + 2 * 4 + 256),
            // (18 taps + 8 rows of panel padding) x (256 rows x 4 columns + 64 of slack).
            ("the vectorized algorithm's column-gradient chunk", (18L + 8) * (256 * 4 + 64)),
            // 2 channels x 2 x 2 phases x (ceil(7 / 2) + 1) phase rows x 4 columns.
            ("the vectorized algorithm's col2im accumulation", 2L * 2 * 2 * 5 * 4),
            // One block of 4 filters x 3 blocks of 6 taps, each 4 x 6 accumulators of 128 bits (4 floats).
            ("the vectorized algorithm's weight-gradient accumulators", 1L * 3 * 4 * 6 * 4),
        ], VectorizedConv2d.Workspace(geometry).ToList());
    }

    /// <summary>
    /// Input 2 x 1 x 6 x 7, 3 filters of 3 x 3, stride 1, padding 1: padded 8 x 9, output 6 x 7, K = 9 taps;
    /// a unit takes 1024 / 9 = 113 rows (all 6). dJ/da correlates the 3-channel error, padded by
    /// 3 - 1 - 1 = 1, with the rotated kernels: padded 8 x 9 again, 1 filter.
    /// </summary>
    [Fact]
    public void StrideOneLayer_CountsThePaddedErrorWindowOfItsFullConvolutionToo()
    {
        var geometry = Conv2dGeometry.Create([2, 1, 6, 7], [3, 1, 3, 3],
            new Conv2dSpec { PadTop = 1, PadBottom = 1, PadLeft = 1, PadRight = 1 });

        Assert.Equal(
        [
            // 1 channel x 1 phase x (6 + 2 + 1) phase rows x 9 columns, 2 rows and 256 of slack.
            ("the vectorized algorithm's phase-plane window", 1L * 9 * 9 + 2 * 9 + 256),
            // The same window over 3 channels of the error.
            ("the vectorized algorithm's padded-error window", 3L * 9 * 9 + 2 * 9 + 256),
            ("the vectorized algorithm's column-gradient chunk", (9L + 8) * (113 * 9 + 64)),
            // 1 channel x 1 phase x (8 + 1) phase rows x 9 columns.
            ("the vectorized algorithm's col2im accumulation", 1L * 9 * 9),
            // One block of 4 filters x 2 blocks of 6 taps.
            ("the vectorized algorithm's weight-gradient accumulators", 1L * 2 * 4 * 6 * 4),
        ], VectorizedConv2d.Workspace(geometry).ToList());
    }

    /// <summary>
    /// Input 4 x 256 x 6 x 6, 256 filters of 3 x 3 in 2 groups (128 channels and filters each), stride 1,
    /// padding 1: padded 8 x 8, output 6 x 6 = 36 positions, K = 128 · 9 = 1152 taps; a unit takes
    /// 1024 / 8 = 128 rows (all 6). With 36 ≤ 64 positions and 128 filters per group, the forward pass folds
    /// samples, min(1024 / 4 / 36, (4 + 1) / 2) = 2 per unit; so does dJ/da, whose full convolution has the
    /// input's 36 positions and 128 channels per group as its filters.
    /// </summary>
    [Fact]
    public void GroupedLayerOfSmallPlanes_CountsTheIm2colBlocksOfSeveralSamples_ForwardAndForItsFullConvolution()
    {
        var geometry = Conv2dGeometry.Create([4, 256, 6, 6], [256, 128, 3, 3],
            new Conv2dSpec { PadTop = 1, PadBottom = 1, PadLeft = 1, PadRight = 1, Groups = 2 });
        // 128 channels x (6 + 2 + 1) phase rows x 8 columns, 2 rows and 256 of slack; the error, padded by 1, alike.
        const long window = 128L * 9 * 8 + 2 * 8 + 256;
        // A depth block of 256 taps x (2 samples x 36 positions + 4 x 64 of slack).
        const long folded = 256L * (2 * 36 + 4 * 64);

        Assert.Equal(
        [
            ("the vectorized algorithm's phase-plane window", window),
            ("the vectorized algorithm's padded-error window", window),
            ("the vectorized algorithm's im2col block of several samples", folded),
            ("the vectorized algorithm's im2col block of several samples' error", folded),
            ("the vectorized algorithm's column-gradient chunk", (1152L + 8) * (128 * 8 + 64)),
            // 128 channels x 1 phase x (8 + 1) phase rows x 8 columns.
            ("the vectorized algorithm's col2im accumulation", 128L * 9 * 8),
            // 2 groups x 32 blocks of 4 filters x 192 blocks of 6 taps, each 4 x 6 accumulators of 4 floats.
            ("the vectorized algorithm's weight-gradient accumulators", 2L * 32 * 192 * 4 * 6 * 4),
        ], VectorizedConv2d.Workspace(geometry).ToList());
    }

    /// <summary>
    /// Depthwise, input 1 x 3 x 5 x 6, 3 x 3 kernels, stride 1, padding 1: padded 7 x 8, output 5 x 6. The
    /// depthwise path holds a whole plane, for the layer and again for its full convolution (the error,
    /// padded by 1: the same sizes), and nothing of the general path.
    /// </summary>
    [Fact]
    public void DepthwiseLayer_CountsOnlyTheDepthwisePathsBuffers_ForTheLayerAndItsFullConvolution()
    {
        var geometry = Conv2dGeometry.Create([1, 3, 5, 6], [3, 1, 3, 3],
            new Conv2dSpec { PadTop = 1, PadBottom = 1, PadLeft = 1, PadRight = 1, Groups = 3 });
        // (5 + 2 + 1) phase rows x 8 columns, 2 rows and 256 of slack; the plane: 5 rows x 8 columns and 256.
        const long window = 8 * 8 + 2 * 8 + 256, plane = 5 * 8 + 256;
        (string, long)[] depthwise =
        [
            ("the depthwise path's window of a whole plane", window),
            ("the depthwise path's dJ/da window", window),
            ("the depthwise path's error or output plane", plane),
        ];

        Assert.Equal([.. depthwise, .. depthwise], VectorizedConv2d.Workspace(geometry).ToList());
    }
    /// <summary>
    /// dJ/da is a full convolution (and has its padded-error window) exactly at stride 1 in both
    /// directions, where the padding to add, span - 1 - padding, is nowhere negative, and where the group
    /// has one channel or enough that panels of 8 rows are not mostly empty:
    /// RoundUp(C, 8)·kH·kW ≤ RoundUp(C·kH·kW, 8) + C·kH·kW. Otherwise it is the col2im product.
    /// </summary>
    [Theory]
    [InlineData(1, 3, 3, 1, 1, 1, 1, 1, 1, true)]
    [InlineData(2, 3, 3, 1, 1, 1, 1, 1, 1, false)]  // 8·9 = 72 > 24 + 18
    [InlineData(3, 3, 3, 1, 1, 1, 1, 1, 1, false)]  // 72 > 32 + 27
    [InlineData(4, 1, 2, 1, 1, 0, 0, 0, 0, true)]   // 8·2 = 16 = 8 + 8
    [InlineData(4, 3, 3, 1, 1, 1, 1, 1, 1, true)]   // 72 ≤ 40 + 36
    [InlineData(8, 3, 3, 1, 1, 1, 1, 1, 1, true)]
    [InlineData(1, 3, 3, 2, 2, 1, 1, 1, 1, false)]
    [InlineData(1, 3, 3, 1, 2, 1, 1, 1, 1, false)]
    [InlineData(1, 3, 3, 2, 1, 1, 1, 1, 1, false)]
    [InlineData(1, 3, 3, 1, 1, 2, 2, 2, 2, true)]   // padding span - 1: nothing to add
    [InlineData(1, 3, 3, 1, 1, 3, 2, 2, 2, false)]
    [InlineData(1, 3, 3, 1, 1, 2, 3, 2, 2, false)]
    [InlineData(1, 3, 3, 1, 1, 2, 2, 3, 2, false)]
    [InlineData(1, 3, 3, 1, 1, 2, 2, 2, 3, false)]
    public void InputGradient_IsAFullConvolution_AtStrideOneWithPanelsFilledAndNoNegativePadding(int channels, int kH, int kW,
        int strideH, int strideW, int padTop, int padBottom, int padLeft, int padRight, bool full)
    {
        var geometry = Conv2dGeometry.Create([1, channels, 6, 6], [3, channels, kH, kW], new Conv2dSpec
        {
            StrideH = strideH, StrideW = strideW, PadTop = padTop, PadBottom = padBottom, PadLeft = padLeft, PadRight = padRight,
        });

        var names = VectorizedConv2d.Workspace(geometry).Select(part => part.Name).ToList();

        Assert.Equal(full, names.Contains("the vectorized algorithm's padded-error window"));
    }
}

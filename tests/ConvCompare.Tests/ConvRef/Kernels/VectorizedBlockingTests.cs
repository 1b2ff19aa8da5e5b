using global::ConvRef;
using global::ConvRef.Kernels;

namespace ConvCompare.Tests.ConvRef.Kernels;

/// <summary>
/// How the vectorized algorithm cuts its work, against the rules its documentation states. The blocks
/// decide the order in which dJ/dw is summed (so its last bits) and are functions of the shape alone,
/// which is what keeps the results independent of the thread count and the same on every machine.
/// </summary>
public class VectorizedBlockingTests
{
    /// <summary>Up to 4 slots, no more than one per 512 output positions of the batch, but at least two where there are two units.</summary>
    [Theory]
    [InlineData(2, 14, 14, 1, 1)]      // 392 positions, one unit
    [InlineData(2, 14, 14, 8, 2)]      // 392 positions: at least two where there are two units
    [InlineData(1, 32, 48, 8, 3)]      // 1536 positions: three of 512
    [InlineData(1, 23, 89, 8, 3)]      // 2047 positions: not yet four
    [InlineData(1, 32, 64, 8, 4)]      // 2048 positions: four
    [InlineData(2, 224, 224, 8, 4)]    // 100352 positions: never more than four
    [InlineData(2, 224, 224, 3, 3)]    // nor more than the units
    public void SlotsFor_TakesOnePer512Positions_BetweenTwoAndFour_AndNoMoreThanTheUnits(int n, int h, int w, int units, int expected)
    {
        var geometry = Conv2dGeometry.Create([n, 1, h, w], [1, 1, 1, 1], Conv2dSpec.Default);
        Assert.Equal(expected, VectorizedConv2d.SlotsFor(geometry, units));
    }

    /// <summary>Equal blocks of at most 256 taps: ceil(depth / 256) blocks of ceil(depth / blocks).</summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(100, 100)]
    [InlineData(256, 256)]
    [InlineData(257, 129)]
    [InlineData(288, 144)]
    [InlineData(512, 256)]
    [InlineData(513, 171)]
    [InlineData(1000, 250)]
    public void DepthBlockFor_SplitsTheDepthIntoEqualBlocksOfAtMost256(int depth, int expected) =>
        Assert.Equal(expected, VectorizedConv2d.DepthBlockFor(depth));

    /// <summary>Whole output rows of about 1024 positions (junk columns included), at least one.</summary>
    [Theory]
    [InlineData(4, 256)]
    [InlineData(9, 113)]
    [InlineData(512, 2)]
    [InlineData(1000, 1)]
    [InlineData(1024, 1)]
    [InlineData(5000, 1)]
    public void RowsPerChunk_TakesAbout1024Positions_AndAtLeastOneRow(int rowLength, int expected) =>
        Assert.Equal(expected, VectorizedConv2d.RowsPerChunk(rowLength));

    [Theory]
    [InlineData(0, 8, 0)]
    [InlineData(1, 8, 8)]
    [InlineData(8, 8, 8)]
    [InlineData(9, 8, 16)]
    [InlineData(33, 32, 64)]
    public void RoundUp_GivesTheSmallestMultipleNotBelowTheValue(int value, int multiple, int expected) =>
        Assert.Equal(expected, VectorizedConv2d.RoundUp(value, multiple));
}

using ConvCompare.Cases;
using global::ConvRef;

namespace ConvCompare.Tests.Harness;

/// <summary>The one output-size and validity helper, on sizes worked out by hand.</summary>
public class ConvAxisTests
{
    [Fact]
    public void DilatedKernelWithStride_GivesFloorOfSpanOverStridePlusOne()
    {
        // 7 input rows, 1 + 2 padding = 10 padded; kernel 3 dilated by 2 covers rows 0, 2, 4: extent 5;
        // it can slide 5 rows, so stride 2 places it at 0, 2, 4: three outputs, and row 9 is never reached.
        var axis = new ConvAxis(Input: 7, PadBefore: 1, PadAfter: 2, Kernel: 3, Stride: 2, Dilation: 2);

        Assert.Equal((10L, 5L, 5L, 3L), (axis.Padded, axis.Extent, axis.Span, axis.Output));
        Assert.True(axis.Fits);
        Assert.True(axis.LeavesUncovered);
    }

    [Fact]
    public void StrideThatDividesTheSpan_LeavesNothingUncovered()
    {
        var axis = new ConvAxis(Input: 9, PadBefore: 0, PadAfter: 0, Kernel: 3, Stride: 3, Dilation: 1);

        Assert.Equal(3L, axis.Output);
        Assert.False(axis.LeavesUncovered);
    }

    [Fact]
    public void KernelThatExactlyFillsThePaddedInput_FitsWithOneOutput()
    {
        var axis = new ConvAxis(Input: 3, PadBefore: 1, PadAfter: 1, Kernel: 3, Stride: 4, Dilation: 2);

        Assert.Equal((0L, 1L), (axis.Span, axis.Output));
        Assert.True(axis.Fits);
    }

    [Fact]
    public void KernelOneRowLongerThanThePaddedInput_DoesNotFit()
    {
        var axis = new ConvAxis(Input: 3, PadBefore: 1, PadAfter: 0, Kernel: 3, Stride: 1, Dilation: 2);

        Assert.Equal(-1L, axis.Span);
        Assert.False(axis.Fits);
    }

    [Fact]
    public void SizesNearIntMaxFromAFile_DoNotOverflow()
    {
        var axis = new ConvAxis(Input: int.MaxValue, PadBefore: int.MaxValue, PadAfter: int.MaxValue, Kernel: int.MaxValue, Stride: 1, Dilation: int.MaxValue);

        Assert.Equal(3L * int.MaxValue, axis.Padded);
        Assert.Equal((long)int.MaxValue * (int.MaxValue - 1) + 1, axis.Extent);
        Assert.False(axis.Fits);
    }

    [Fact]
    public void CaseConfig_TakesItsOutputSizeAndValidityFromItsTwoAxes()
    {
        var config = new CaseConfig(
            Shape: new(N: 1, Cin: 1, H: 7, W: 3, Cout: 1, KH: 3, KW: 3),
            Geometry: new() { StrideH = 2, PadTop = 1, PadBottom = 2, DilationH = 2, PadLeft = 1, PadRight = 1, StrideW = 4, DilationW = 2 },
            Bias: false, Dtype: CaseDtype.F64, Activation: ActivationKind.Identity, Clip: null, ValueSeed: 0);

        Assert.Equal((3, 1), (config.OutH, config.OutW));
        Assert.Null(config.Problem);
        Assert.Equal("the dilated kernel width 5 exceeds the padded input width 4",
            (config with { Geometry = config.Geometry with { PadRight = 0 } }).Problem);
    }
}

using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Family;

/// <summary>
/// The copies a family pass makes of its input count against the allocation limit under their own
/// names, and no copy is counted where none is made. A transposed convolution whose output padding
/// reaches the stride extends x by floor(output_padding / stride) zeros per axis before its adjoint runs:
/// stride 1, dilation 3, kernel 2, padding 2, output padding 2 on x of length 1000 give y of
/// (1000 - 1)·1 - 2·2 + 3·(2 - 1) + 2 + 1 = 1001 elements and x extended to 1000 + 2 = 1002 (float32, 4 bytes each).
/// </summary>
public class CopiedInputLimitTests
{
    private static readonly ConvSpec Spec = new() { Dilation = [3], Padding = ConvPadding.Of(2), OutputPadding = [2] };

    private static Tensor<float> Forward(long maxBytes) =>
        Convolution.ConvTranspose1d.Forward(Tensor<float>.Zeros(1, 1, 1000), Tensor<float>.Zeros(1, 1, 2), null, Spec,
            Conv2dAlgorithm.Serial, new Conv2dLimits { MaxTensorBytes = maxBytes });

    [Fact]
    public void ExtendedXOverTheLimit_IsRefusedByItsName()
    {
        var ex = Assert.Throws<Conv2dArgumentException>(() => Forward(4007));
        Assert.Equal("x extended to the adjoint convolution's output [1,1,1002] would need 4008 bytes, more than the limit MaxTensorBytes=4007", ex.Message);
        Assert.Equal("limits", ex.ParamName);
    }

    /// <summary>
    /// In 2-D an extension along one axis is enough to copy x: the same widths as above with height 1,
    /// nothing extended along the height (output padding 0), x extended to 1 x 1002.
    /// </summary>
    [Fact]
    public void ExtensionAlongOneAxisOnly_IsRefusedByItsName()
    {
        var ex = Assert.Throws<Conv2dArgumentException>(() => Convolution.ConvTranspose2d.Forward(Tensor<float>.Zeros(1, 1, 1, 1000),
            Tensor<float>.Zeros(1, 1, 1, 2), null, new ConvSpec { Dilation = [1, 3], Padding = ConvPadding.Of(0, 2), OutputPadding = [0, 2] },
            Conv2dAlgorithm.Serial, new Conv2dLimits { MaxTensorBytes = 4007 }));
        Assert.Equal("x extended to the adjoint convolution's output [1,1,1,1002] would need 4008 bytes, more than the limit MaxTensorBytes=4007", ex.Message);
    }

    /// <summary>
    /// Without an extension (output padding below the stride) x is used as it is: x of 1000 elements over a
    /// limit that y's 998 fit in is refused for the serial engine's own buffer, the adjoint's input y padded
    /// by 1 on each side (1 x 1000), not for a copy of x.
    /// </summary>
    [Fact]
    public void XWithoutExtension_IsNotCountedAsACopy()
    {
        var ex = Assert.Throws<Conv2dArgumentException>(() => Convolution.ConvTranspose1d.Forward(Tensor<float>.Zeros(1, 1, 1000),
            Tensor<float>.Zeros(1, 1, 1), null, new ConvSpec { Padding = ConvPadding.Of(1) }, Conv2dAlgorithm.Serial,
            new Conv2dLimits { MaxTensorBytes = 3999 }));
        Assert.Equal("the serial algorithm's padded input plane 1x1000 would need 4000 bytes, more than the limit MaxTensorBytes=3999", ex.Message);
    }

    /// <summary>
    /// A zero-padded convolution pads inside the engine, so its input is not copied: x of 1000 elements
    /// over a limit that the 998 outputs of a 3-tap kernel fit in is refused for the serial engine's
    /// padded plane (1 x 1000, no padding), not for a padded copy of the input.
    /// </summary>
    [Fact]
    public void ZeroPaddedInput_IsNotCountedAsACopy()
    {
        var ex = Assert.Throws<Conv2dArgumentException>(() => Convolution.Conv1d.Forward(Tensor<float>.Zeros(1, 1, 1000),
            Tensor<float>.Zeros(1, 1, 3), null, ConvSpec.Default, Conv2dAlgorithm.Serial, new Conv2dLimits { MaxTensorBytes = 3999 }));
        Assert.Equal("the serial algorithm's padded input plane 1x1000 would need 4000 bytes, more than the limit MaxTensorBytes=3999", ex.Message);
    }
}

using global::ConvRef;
using global::ConvRef.Kernels;
using static ConvCompare.Tests.ConvRef.ValidationTests;

namespace ConvCompare.Tests.ConvRef.Family;

/// <summary>Every rule of the family as PyTorch rules it, each with the one sentence and the parameter it must name, checked before anything is allocated.</summary>
public class FamilyValidationTests
{
    private static readonly Tensor<float> Input2d = Tensor<float>.Zeros(2, 4, 5, 5);
    private static readonly Tensor<float> Weights2d = Tensor<float>.Zeros(4, 4, 3, 3);

    private static void Conv2d(ConvSpec spec, Tensor<float>? input = null, Tensor<float>? weights = null) =>
        Convolution.Conv2d.Forward(input ?? Input2d, weights ?? Weights2d, null, spec);

    private static void Transposed2d(ConvSpec spec, Tensor<float>? input = null, Tensor<float>? weights = null) =>
        Convolution.ConvTranspose2d.Forward(input ?? Tensor<float>.Zeros(2, 4, 3, 3), weights ?? Tensor<float>.Zeros(4, 2, 3, 3), null, spec);

    [Fact]
    public void StrideWithTheWrongNumberOfValues_IsRejected() =>
        Rejects(() => Conv2d(new ConvSpec { Stride = [1, 1, 1] }), "stride must have 1 value or 2 (one per spatial axis) but has 3", "spec.Stride");

    [Theory]
    [InlineData(0, "stride_d")]
    [InlineData(1, "stride_h")]
    [InlineData(2, "stride_w")]
    public void ZeroStride_IsRejectedNamingTheAxis(int axis, string label)
    {
        int[] stride = [1, 1, 1];
        stride[axis] = 0;
        Rejects(() => Convolution.Conv3d.Forward(Tensor<float>.Zeros(1, 1, 3, 3, 3), Tensor<float>.Zeros(1, 1, 1, 1, 1), null,
            new ConvSpec { Stride = stride }), $"{label} must be >= 1 (got 0)", "spec.Stride");
    }

    [Fact]
    public void ZeroDilationIn1d_IsRejected() =>
        Rejects(() => Convolution.Conv1d.Forward(Tensor<float>.Zeros(1, 1, 3), Tensor<float>.Zeros(1, 1, 1), null, new ConvSpec { Dilation = [0] }),
            "dilation must be >= 1 (got 0)", "spec.Dilation");

    /// <summary>PyTorch's F.pad names of the six sides of a volume, before and after each of depth, height and width.</summary>
    [Theory]
    [InlineData(0, 0, "front")]
    [InlineData(0, 1, "back")]
    [InlineData(1, 0, "top")]
    [InlineData(1, 1, "bottom")]
    [InlineData(2, 0, "left")]
    [InlineData(2, 1, "right")]
    public void NegativePadding_IsRejectedNamingTheSide(int axis, int side, string name)
    {
        int[] before = [0, 0, 0], after = [0, 0, 0];
        (side == 0 ? before : after)[axis] = -1;
        Rejects(() => Convolution.Conv3d.Forward(Tensor<float>.Zeros(1, 1, 3, 3, 3), Tensor<float>.Zeros(1, 1, 1, 1, 1), null,
            new ConvSpec { Padding = ConvPadding.PerSide(before, after) }), $"pad_{name} must be >= 0 (got -1)", "spec.Padding");
    }

    [Fact]
    public void ZeroGroups_IsRejected() =>
        Rejects(() => Conv2d(new ConvSpec { Groups = 0 }), "groups must be >= 1 (got 0)", "spec.Groups");

    [Fact]
    public void NegativeOutputPadding_IsRejected() =>
        Rejects(() => Transposed2d(new ConvSpec { OutputPadding = [0, -1] }), "output_padding_w must be >= 0 (got -1)", "spec.OutputPadding");

    [Fact]
    public void UnknownPaddingMode_IsRejected() =>
        Rejects(() => Conv2d(new ConvSpec { PaddingMode = (PaddingMode)9 }), "padding_mode must be zeros, reflect, replicate or circular (got 9)", "spec.PaddingMode");

    [Fact]
    public void OutputPaddingOnAPlainConvolution_IsRejected() =>
        Rejects(() => Conv2d(new ConvSpec { OutputPadding = [0, 1] }), "output_padding applies to transposed convolutions only, but output_padding_w=1", "spec.OutputPadding");

    [Fact]
    public void SamePaddingWithStride_IsRejected() =>
        Rejects(() => Conv2d(new ConvSpec { Padding = ConvPadding.Same, Stride = [1, 2] }),
            "padding='same' is not supported for strided convolutions, but stride_w=2", "spec.Padding");

    [Fact]
    public void TransposedWithAPaddingModeOtherThanZeros_IsRejected() =>
        Rejects(() => Transposed2d(new ConvSpec { PaddingMode = PaddingMode.Reflect }),
            "padding_mode reflect is not supported by transposed convolutions, only zeros", "spec.PaddingMode");

    [Fact]
    public void TransposedWithSamePadding_IsRejected() =>
        Rejects(() => Transposed2d(new ConvSpec { Padding = ConvPadding.Same }),
            "padding='same' is not supported by transposed convolutions; give the padding as integers", "spec.Padding");

    [Fact]
    public void OutputPaddingNotSmallerThanStrideOrDilation_IsRejected() =>
        Rejects(() => Transposed2d(new ConvSpec { Stride = [2], Dilation = [1, 3], OutputPadding = [2, 2] }),
            "output_padding_h=2 must be smaller than stride_h=2 or dilation_h=1", "spec.OutputPadding");

    /// <summary>out = (in - 1)·stride + (k - 1)·dilation + 1 + output_padding: rows 2·1 + 5 + 1 = 8, columns 2·2 + 7 + 2 = 13.</summary>
    [Fact]
    public void OutputPaddingSmallerThanTheDilation_IsAccepted() =>
        Assert.Equal([2, 2, 8, 13], Convolution.ConvTranspose2d.Geometry([2, 4, 3, 3], [4, 1, 3, 3],
            new ConvSpec { Stride = [1, 2], Dilation = [2, 3], OutputPadding = [1, 2], Groups = 2 }).OutputShape);

    [Fact]
    public void InputOfTheWrongRank_IsRejectedNamingBothLayouts() =>
        Rejects(() => Convolution.Conv1d.Forward(Tensor<float>.Zeros(4), Tensor<float>.Zeros(1, 1, 1), null, ConvSpec.Default),
            "input must have rank 2 (C_in x L, unbatched) or 3 (N x C_in x L) but has shape [4]", "input");

    [Fact]
    public void TransposedWeightsOfTheWrongRank_IsRejectedWithTheirLayout() =>
        Rejects(() => Convolution.ConvTranspose3d.Forward(Tensor<float>.Zeros(1, 2, 3, 3, 3), Tensor<float>.Zeros(2, 1, 3, 3), null, ConvSpec.Default),
            "weights must have rank 5 (C_in x C_out/groups x kD x kH x kW) but has shape [2,1,3,3]", "weights");

    [Fact]
    public void UnbatchedInputWithAZeroSizeDimension_IsRejected() =>
        Rejects(() => Conv2d(ConvSpec.Default, input: Tensor<float>.Zeros(4, 0, 5)),
            "input has shape [4,0,5] with a zero-size dimension, which would make the output empty", "input");

    [Fact]
    public void GroupsNotDividingInputChannels_IsRejected() =>
        Rejects(() => Transposed2d(new ConvSpec { Groups = 3 }), "groups=3 does not divide in_channels=4", "spec.Groups");

    [Fact]
    public void GroupsNotDividingOutputChannels_IsRejected() =>
        Rejects(() => Conv2d(new ConvSpec { Groups = 2 }, weights: Tensor<float>.Zeros(3, 2, 3, 3)), "groups=2 does not divide out_channels=3", "spec.Groups");

    [Fact]
    public void WeightChannelsNotInChannelsPerGroup_IsRejected() =>
        Rejects(() => Conv2d(new ConvSpec { Groups = 2 }), "weights have shape [4,4,3,3] but in_channels/groups = 4/2 = 2 must be its dimension 1", "weights");

    [Fact]
    public void TransposedWeightsWhoseFirstDimensionIsNotInChannels_IsRejected() =>
        Rejects(() => Transposed2d(ConvSpec.Default, weights: Tensor<float>.Zeros(2, 4, 3, 3)),
            "weights have shape [2,4,3,3] but in_channels = 4 must be its dimension 0 (a transposed convolution's weights are C_in x C_out/groups x k...)", "weights");

    [Fact]
    public void PaddingBeyondAnyTensor_IsRejected() =>
        Rejects(() => Conv2d(new ConvSpec { Padding = ConvPadding.PerSide([0, int.MaxValue], [0, 0]) }),
            "padding 2147483647+0 around 5 columns gives 2147483652 columns, more than any tensor can hold", "spec.Padding");

    [Fact]
    public void ReflectPaddingAsLargeAsTheInput_IsRejected() =>
        Rejects(() => Convolution.Conv1d.Forward(Tensor<float>.Zeros(1, 1, 3), Tensor<float>.Zeros(1, 1, 3), null,
            new ConvSpec { Padding = ConvPadding.PerSide([2], [3]), PaddingMode = PaddingMode.Reflect }),
            "padding_mode reflect needs padding smaller than the input, but pad_right=3 is not smaller than its 3 positions", "spec.Padding");

    [Fact]
    public void ReflectPaddingSmallerThanTheInput_IsAccepted() =>
        Assert.Equal([1, 1, 7], Convolution.Conv1d.Geometry([1, 1, 3], [1, 1, 1], new ConvSpec { Padding = ConvPadding.Of(2), PaddingMode = PaddingMode.Reflect }).OutputShape);

    [Fact]
    public void CircularPaddingWrappingTwice_IsRejected() =>
        Rejects(() => Conv2d(new ConvSpec { Padding = ConvPadding.Of(6, 0), PaddingMode = PaddingMode.Circular }),
            "padding_mode circular wraps around at most once, but pad_top=6 exceeds the input's 5 rows", "spec.Padding");

    [Theory]
    [InlineData(0, "planes")]
    [InlineData(1, "rows")]
    [InlineData(2, "columns")]
    public void KernelLargerThanThePaddedInput_IsRejectedNamingTheAxisInItsWords(int axis, string noun)
    {
        int[] input = [1, 1, 5, 5, 5];
        input[2 + axis] = 2;
        Rejects(() => Convolution.Conv3d.Forward(Tensor<float>.Zeros(input), Tensor<float>.Zeros(1, 1, 2, 2, 2), null, new ConvSpec { Dilation = [2] }),
            $"kernel 2x2x2 with dilation 2 spans 3 {noun} but padded input has 2", "weights");
    }

    [Fact]
    public void TransposedOutputCroppedToNothing_IsRejected() =>
        Rejects(() => Convolution.ConvTranspose1d.Forward(Tensor<float>.Zeros(1, 1, 2), Tensor<float>.Zeros(1, 1, 2), null, new ConvSpec { Padding = ConvPadding.Of(2) }),
            "the transposed convolution of 2 positions (stride 1, kernel span 2, output_padding 0) minus padding 2+2 leaves -1 positions, and the output needs at least one",
            "spec.Padding");

    [Fact]
    public void TransposedOutputBeyondAnyTensor_IsRejected() =>
        Rejects(() => Convolution.ConvTranspose1d.Forward(Tensor<float>.Zeros(1, 1, 3), Tensor<float>.Zeros(1, 1, 2), null, new ConvSpec { Stride = [int.MaxValue] }),
            "the transposed convolution of 3 positions gives 4294967296 positions, more than any tensor can hold", "input");

    [Fact]
    public void DeltaOfTheWrongShape_IsRejectedWithTheUnbatchedOutputShape() =>
        Rejects(() => Convolution.Conv2d.Backward(Tensor<float>.Zeros(4, 5, 5), Weights2d, false, Tensor<float>.Zeros(1, 4, 3, 3), ConvSpec.Default),
            "delta has shape [1,4,3,3] but the forward output is [4,3,3]", "delta");

    [Fact]
    public void BiasOfTheWrongLength_IsRejected() =>
        Rejects(() => Convolution.ConvTranspose1d.Forward(Tensor<float>.Zeros(2, 3), Tensor<float>.Zeros(2, 3, 2), Tensor<float>.Zeros(2), ConvSpec.Default),
            "bias has shape [2] but must have length out_channels=3", "bias");

    [Fact]
    public void PreviousZOfTheWrongShape_IsRejected() =>
        Rejects(() => Convolution.ConvTranspose1d.Backward(Tensor<float>.Zeros(2, 3), Tensor<float>.Zeros(2, 3, 2), false, Tensor<float>.Zeros(3, 4), ConvSpec.Default,
            new BackwardOptions<float> { PreviousActivation = Activation.ReLU, PreviousZ = Tensor<float>.Zeros(1, 2, 3) }),
            "PreviousZ has shape [1,2,3] but the input is [2,3]", "options");

    [Fact]
    public void DepthSlicesOverTheLimit_AreRefusedBeforeAllocating() =>
        Rejects(() => Convolution.Conv3d.Forward(Tensor<float>.Zeros(1, 1, 40, 8, 8), Tensor<float>.Zeros(1, 1, 20, 1, 1), null, ConvSpec.Default,
            limits: new Conv2dLimits { MaxTensorBytes = 20_000 }),
            "the 3-D input as 2-D depth slices [21,20,8,8] would need 107520 bytes, more than the limit MaxTensorBytes=20000", "limits");

    [Fact]
    public void ReflectPaddedInputOverTheLimit_IsRefusedBeforeAllocating() =>
        Rejects(() => Convolution.Conv1d.Forward(Tensor<float>.Zeros(1, 1, 300), Tensor<float>.Zeros(1, 1, 898), null,
            new ConvSpec { Padding = ConvPadding.Of(299), PaddingMode = PaddingMode.Reflect }, limits: new Conv2dLimits { MaxTensorBytes = 3000 }),
            "the input padded in mode reflect [1,1,898] would need 3592 bytes, more than the limit MaxTensorBytes=3000", "limits");

    [Fact]
    public void ThreeDimensionalLoweringBeyondAnyTensor_IsRejected()
    {
        var geometry = Convolution.Conv3d.Geometry([60_000, 1, 60_000, 1, 1], [1, 1, 1, 1, 1], ConvSpec.Default);
        var ex = Assert.Throws<Conv2dArgumentException>(() => ConvolutionPasses.Workspace(geometry, Conv2dAlgorithm.Vectorized).ToList());
        Assert.Equal("the 3-D convolution as 2-D planes would need 3600000000 samples of 1 depth slices, more than any tensor can hold", ex.Message);
    }
}

using global::ConvRef;

namespace ConvCompare.Tests.ConvRef;

/// <summary>Every rule the entry points enforce, each with the sentence it must produce.</summary>
public class ValidationTests
{
    private static readonly Tensor<float> Input = Tensor<float>.Zeros(2, 4, 5, 5);
    private static readonly Tensor<float> Weights = Tensor<float>.Zeros(4, 4, 3, 3);

    internal static void Rejects(Action call, string message, string parameter)
    {
        var ex = Assert.Throws<Conv2dArgumentException>(call);
        Assert.Equal(message, ex.Message);
        Assert.Equal(parameter, ex.ParamName);
    }

    private static Tensor<float> Forward(Tensor<float>? input = null, Tensor<float>? weights = null, Tensor<float>? bias = null,
        Conv2dSpec? spec = null, Conv2dLimits? limits = null, Conv2dAlgorithm algorithm = Conv2dAlgorithm.Vectorized)
        => Conv2d.Forward(input ?? Input, weights ?? Weights, bias, spec ?? Conv2dSpec.Default, algorithm, limits);

    private static Conv2dGradients<float> Backward(Tensor<float>? delta = null, BackwardOptions<float>? options = null,
        Conv2dLimits? limits = null, Tensor<float>? weights = null)
        => Conv2d.Backward(Input, weights ?? Weights, true, delta ?? Tensor<float>.Zeros(2, 4, 3, 3), Conv2dSpec.Default, options,
            Conv2dAlgorithm.Vectorized, limits);

    [Fact]
    public void ZeroStride_IsRejected() =>
        Rejects(() => Forward(spec: new Conv2dSpec { StrideW = 0 }), "stride_w must be >= 1 (got 0)", "spec.StrideW");

    [Fact]
    public void ZeroDilation_IsRejected() =>
        Rejects(() => Forward(spec: new Conv2dSpec { DilationH = 0 }), "dilation_h must be >= 1 (got 0)", "spec.DilationH");

    [Theory]
    [InlineData("top")]
    [InlineData("bottom")]
    [InlineData("left")]
    [InlineData("right")]
    public void NegativePadding_IsRejectedNamingTheSideAndItsProperty(string side)
    {
        var spec = side switch
        {
            "top" => new Conv2dSpec { PadTop = -1 },
            "bottom" => new Conv2dSpec { PadBottom = -1 },
            "left" => new Conv2dSpec { PadLeft = -1 },
            _ => new Conv2dSpec { PadRight = -1 },
        };
        Rejects(() => Forward(spec: spec), $"pad_{side} must be >= 0 (got -1)", "spec.Pad" + char.ToUpperInvariant(side[0]) + side[1..]);
    }

    [Fact]
    public void ZeroGroups_IsRejected() =>
        Rejects(() => Forward(spec: new Conv2dSpec { Groups = 0 }), "groups must be >= 1 (got 0)", "spec.Groups");

    [Fact]
    public void GroupsNotDividingInputChannels_IsRejected() =>
        Rejects(() => Forward(weights: Tensor<float>.Zeros(3, 1, 3, 3), spec: new Conv2dSpec { Groups = 3 }),
            "groups=3 does not divide in_channels=4", "spec");

    [Fact]
    public void GroupsNotDividingOutputChannels_IsRejected() =>
        Rejects(() => Forward(weights: Tensor<float>.Zeros(3, 2, 3, 3), spec: new Conv2dSpec { Groups = 2 }),
            "groups=2 does not divide out_channels=3", "spec");

    [Fact]
    public void WeightChannelsNotInChannelsPerGroup_IsRejected() =>
        Rejects(() => Forward(weights: Tensor<float>.Zeros(4, 4, 3, 3), spec: new Conv2dSpec { Groups = 2 }),
            "weights have shape [4,4,3,3] but in_channels/groups = 4/2 = 2 must be its dimension 1", "weights");

    [Fact]
    public void InputOfRankThree_IsRejected() =>
        Rejects(() => Forward(input: Tensor<float>.Zeros(4, 5, 5)), "input must have rank 4 (N x C_in x H x W) but has shape [4,5,5]", "input");

    [Fact]
    public void WeightsOfRankTwo_IsRejected() =>
        Rejects(() => Forward(weights: Tensor<float>.Zeros(4, 9)), "weights must have rank 4 (C_out x C_in/groups x kH x kW) but has shape [4,9]", "weights");

    [Fact]
    public void EmptyBatch_IsRejectedNotAnEmptyOutput() =>
        Rejects(() => Forward(input: Tensor<float>.Zeros(0, 4, 5, 5)),
            "input has shape [0,4,5,5] with a zero-size dimension, which would make the output empty", "input");

    [Fact]
    public void KernelTallerThanPaddedInput_IsRejected() =>
        Rejects(() => Forward(weights: Tensor<float>.Zeros(4, 4, 5, 5), spec: new Conv2dSpec { DilationH = 2, PadTop = 1, PadBottom = 1 }),
            "kernel 5x5 with dilation 2 spans 9 rows but padded input has 7", "weights");

    [Fact]
    public void KernelWiderThanPaddedInput_IsRejected() =>
        Rejects(() => Forward(weights: Tensor<float>.Zeros(4, 4, 1, 6)),
            "kernel 1x6 with dilation 1 spans 6 columns but padded input has 5", "weights");

    [Fact]
    public void PaddingBeyondAnyTensor_IsRejected() =>
        Rejects(() => Forward(spec: new Conv2dSpec { PadTop = int.MaxValue }),
            "padding 2147483647+0 around 5 rows gives 2147483652 rows, more than any tensor can hold", "spec");

    [Fact]
    public void BiasOfWrongLength_IsRejected() =>
        Rejects(() => Forward(bias: Tensor<float>.Zeros(3)), "bias has shape [3] but must have length out_channels=4", "bias");

    /// <summary>The upstream error is named as the API calls it (delta, not dy).</summary>
    [Fact]
    public void DeltaOfWrongShape_IsRejected() =>
        Rejects(() => Conv2d.Backward(Tensor<float>.Zeros(2, 4, 4, 4), Weights, true, Tensor<float>.Zeros(2, 4, 3, 3), Conv2dSpec.Default),
            "delta has shape [2,4,3,3] but the forward output is [2,4,2,2]", "delta");

    [Fact]
    public void PreviousZOfWrongShape_IsRejected() =>
        Rejects(() => Backward(options: new BackwardOptions<float> { PreviousZ = Tensor<float>.Zeros(2, 4, 5, 4) }),
            "PreviousZ has shape [2,4,5,4] but the input is [2,4,5,5]", "options");

    [Fact]
    public void ActivationWithoutPreviousZ_IsRejected() =>
        Rejects(() => Backward(options: new BackwardOptions<float> { PreviousActivation = Activation.Sigmoid }),
            "PreviousActivation Sigmoid needs PreviousZ (z^(l-1), the input before the activation) for g'(z^(l-1)) in Eq 6", "options");

    [Fact]
    public void LeakyReLUWithNaNSlope_IsRejected() =>
        Rejects(() => Backward(options: new BackwardOptions<float> { PreviousActivation = Activation.LeakyReLU(double.NaN), PreviousZ = Input }),
            "LeakyReLU's NegativeSlope must be finite (got NaN)", "options");

    [Theory]
    [InlineData(0f, "0")]
    [InlineData(-1f, "-1")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    [InlineData(float.NaN, "NaN")]
    public void ClipValueNotPositiveAndFinite_IsRejected(float clip, string shown) =>
        Rejects(() => Backward(options: new BackwardOptions<float> { ClipValue = clip }), $"ClipValue must be > 0 and finite (got {shown})", "options");

    [Fact]
    public void NaNInWeights_IsRejectedWithItsIndexWhenAsked()
    {
        var weights = Tensor<float>.Zeros(4, 4, 3, 3);
        weights[1, 0, 2, 2] = float.NaN;
        Rejects(() => Forward(weights: weights, limits: new Conv2dLimits { RejectNonFinite = true }), "weights contain NaN at [1,0,2,2]", "weights");
        Assert.True(float.IsNaN(Forward(weights: weights).Data[1 * 9]));
    }

    [Fact]
    public void InfinityInDelta_IsRejectedWithItsIndexWhenAsked()
    {
        var delta = Tensor<float>.Zeros(2, 4, 3, 3);
        delta[1, 3, 0, 2] = float.NegativeInfinity;
        Rejects(() => Backward(delta: delta, limits: new Conv2dLimits { RejectNonFinite = true }), "delta contains -Inf at [1,3,0,2]", "delta");
    }

    [Fact]
    public void OutputLargerThanTheLimit_IsRefusedWithTheSizeItWouldNeed() =>
        Rejects(() => Forward(limits: new Conv2dLimits { MaxTensorBytes = 200 }),
            "output [2,4,3,3] would need 288 bytes, more than the limit MaxTensorBytes=200", "limits");

    [Fact]
    public void InputGradientLargerThanTheLimit_IsRefused() =>
        Rejects(() => Backward(limits: new Conv2dLimits { MaxTensorBytes = 600 }, weights: Tensor<float>.Zeros(4, 4, 3, 3)),
            "dJ/da [2,4,5,5] would need 800 bytes, more than the limit MaxTensorBytes=600", "limits");

    [Fact]
    public void HugeOutputFromSmallTensors_IsRefusedBeforeAllocating() =>
        Rejects(() => Conv2d.Forward(Tensor<float>.Zeros(1, 1, 1, 1), Tensor<float>.Zeros(1, 1, 1, 1), null,
                new Conv2dSpec { PadTop = 50_000, PadBottom = 50_000, PadLeft = 50_000, PadRight = 50_000 }),
            "output [1,1,100001,100001] would need 40000800004 bytes, more than the limit MaxTensorBytes=2147483648", "limits");

    [Fact]
    public void SerialPaddedPlaneLargerThanTheLimit_IsRefused() =>
        Rejects(() => Conv2d.Forward(Tensor<float>.Zeros(1, 1, 1, 1), Tensor<float>.Zeros(1, 1, 1, 1), null,
                new Conv2dSpec { PadTop = 50_000, PadBottom = 50_000, PadLeft = 50_000, PadRight = 50_000, StrideH = 100_001, StrideW = 100_001 },
                Conv2dAlgorithm.Serial),
            "the serial algorithm's padded input plane 100001x100001 would need 40000800004 bytes, more than the limit MaxTensorBytes=2147483648", "limits");

    [Fact]
    public void VectorizedPhasePlaneWindowLargerThanTheLimit_IsRefused() =>
        Rejects(() => Conv2d.Forward(Tensor<float>.Zeros(1, 1, 1, 1), Tensor<float>.Zeros(1, 1, 1, 1), null,
                new Conv2dSpec { PadTop = 50_000, PadBottom = 50_000, PadLeft = 50_000, PadRight = 50_000, StrideH = 100_001, StrideW = 100_001 }),
            "the vectorized algorithm's phase-plane window would need 80001601040 bytes, more than the limit MaxTensorBytes=2147483648", "limits");

    /// <summary>The depthwise path holds a whole plane's window: 1 channel x 100001² phases x 2 phase rows x 1 column, plus 2 rows and 256 of slack, in float32.</summary>
    [Fact]
    public void VectorizedDepthwisePlaneWindowLargerThanTheLimit_IsRefused() =>
        Rejects(() => Conv2d.Forward(Tensor<float>.Zeros(1, 2, 1, 1), Tensor<float>.Zeros(2, 1, 1, 1), null,
                new Conv2dSpec { PadTop = 50_000, PadBottom = 50_000, PadLeft = 50_000, PadRight = 50_000, StrideH = 100_001, StrideW = 100_001, Groups = 2 }),
            "the depthwise path's window of a whole plane would need 80001601040 bytes, more than the limit MaxTensorBytes=2147483648", "limits");

    [Fact]
    public void NonPositiveLimit_IsRejected() =>
        Rejects(() => Forward(limits: new Conv2dLimits { MaxTensorBytes = 0 }), "MaxTensorBytes must be > 0 (got 0)", "limits");

    [Fact]
    public void UnknownAlgorithm_IsRejected() =>
        Rejects(() => Forward(algorithm: (Conv2dAlgorithm)7), "algorithm must be Serial or Vectorized (got 7)", "algorithm");

    [Fact]
    public void OutputOfWrongShape_IsRejected() =>
        Rejects(() => Conv2d.ForwardInto(Input, Weights, null, Conv2dSpec.Default, Tensor<float>.Zeros(2, 4, 3, 2)),
            "output has shape [2,4,3,2] but the forward output is [2,4,3,3]", "output");

    [Fact]
    public void GradientSharingStorageWithAnInput_IsRejected()
    {
        var weights = Tensor<float>.Zeros(4, 4, 3, 3);
        var gradients = new Conv2dGradients<float>(Tensor<float>.Zeros(2, 4, 5, 5), weights, null);
        Rejects(() => Conv2d.BackwardInto(Input, weights, Tensor<float>.Zeros(2, 4, 3, 3), Conv2dSpec.Default, gradients),
            "gradients.Weights must not share its storage with another argument", "gradients.Weights");
    }

    [Fact]
    public void BiasGradientOfWrongLength_IsRejected()
    {
        var gradients = new Conv2dGradients<float>(Tensor<float>.Zeros(2, 4, 5, 5), Tensor<float>.Zeros(4, 4, 3, 3), Tensor<float>.Zeros(5));
        Rejects(() => Conv2d.BackwardInto(Input, Weights, Tensor<float>.Zeros(2, 4, 3, 3), Conv2dSpec.Default, gradients),
            "gradients.Bias has shape [5] but out_channels is [4]", "gradients.Bias");
    }

    [Fact]
    public void BiasOfRankTwo_IsRejectedEvenWithTheRightCount() =>
        Rejects(() => Forward(bias: Tensor<float>.Zeros(1, 4)), "bias has shape [1,4] but must have length out_channels=4", "bias");

    [Fact]
    public void NaNInBias_IsRejectedWithItsIndexWhenAsked()
    {
        var bias = Tensor<float>.Zeros(4);
        bias.Data[2] = float.NaN;
        Rejects(() => Forward(bias: bias, limits: new Conv2dLimits { RejectNonFinite = true }), "bias contains NaN at [2]", "bias");
    }

    [Fact]
    public void PositiveInfinityInInput_IsRejectedWithItsIndexWhenAsked()
    {
        var input = Tensor<float>.Zeros(2, 4, 5, 5);
        input[1, 2, 3, 4] = float.PositiveInfinity;
        Rejects(() => Forward(input: input, limits: new Conv2dLimits { RejectNonFinite = true }), "input contains +Inf at [1,2,3,4]", "input");
        Rejects(() => Conv2d.Backward(input, Weights, true, Tensor<float>.Zeros(2, 4, 3, 3), Conv2dSpec.Default, null, Conv2dAlgorithm.Serial,
            new Conv2dLimits { RejectNonFinite = true }), "input contains +Inf at [1,2,3,4]", "input");
    }

    [Fact]
    public void NaNInWeightsOrPreviousZ_IsRejectedByTheBackwardPassWhenAsked()
    {
        var limits = new Conv2dLimits { RejectNonFinite = true };
        var weights = Tensor<float>.Zeros(4, 4, 3, 3);
        weights[3, 1, 0, 1] = float.NaN;
        Rejects(() => Backward(weights: weights, limits: limits), "weights contain NaN at [3,1,0,1]", "weights");
        var z = Tensor<float>.Zeros(2, 4, 5, 5);
        z[0, 3, 4, 0] = float.NegativeInfinity;
        Rejects(() => Backward(options: new BackwardOptions<float> { PreviousActivation = Activation.Tanh, PreviousZ = z }, limits: limits),
            "options.PreviousZ contains -Inf at [0,3,4,0]", "options.PreviousZ");
    }

    [Fact]
    public void ZeroThreads_IsRejected_AndOneThreadRuns()
    {
        Rejects(() => Forward(limits: new Conv2dLimits { MaxThreads = 0 }), "MaxThreads must be >= 1 (got 0)", "limits");
        Assert.Equal([2, 4, 3, 3], Forward(limits: new Conv2dLimits { MaxThreads = 1 }).Shape);
    }

    [Fact]
    public void UnknownPreviousActivation_IsRejectedNamingItsNumber() =>
        Rejects(() => Backward(options: new BackwardOptions<float> { PreviousActivation = new((ActivationKind)42), PreviousZ = Input }),
            "PreviousActivation must be a known activation (got 42)", "options");

    [Fact]
    public void LeakyReLUWithInfiniteSlope_IsRejected_ButAnotherActivationIgnoresItsSlope()
    {
        Rejects(() => Backward(options: new BackwardOptions<float> { PreviousActivation = Activation.LeakyReLU(double.PositiveInfinity), PreviousZ = Input }),
            "LeakyReLU's NegativeSlope must be finite (got Infinity)", "options");
        var relu = new Activation(ActivationKind.ReLU, double.NaN);
        Assert.Equal([2, 4, 5, 5], Backward(options: new BackwardOptions<float> { PreviousActivation = relu, PreviousZ = Input }).Input.Shape);
    }

    [Fact]
    public void PreviousZWithoutActivation_IsAccepted()
    {
        var gradients = Backward(options: new BackwardOptions<float> { PreviousZ = Input });
        Assert.Equal([2, 4, 5, 5], gradients.Input.Shape);
    }

    [Fact]
    public void WeightGradientLargerThanTheLimit_IsRefusedWhenTheInputGradientFits() =>
        Rejects(() => Conv2d.Backward(Tensor<float>.Zeros(1, 1, 3, 3), Tensor<float>.Zeros(16, 1, 3, 3), false, Tensor<float>.Zeros(1, 16, 1, 1),
                Conv2dSpec.Default, null, Conv2dAlgorithm.Serial, new Conv2dLimits { MaxTensorBytes = 400 }),
            "dJ/dw [16,1,3,3] would need 576 bytes, more than the limit MaxTensorBytes=400", "limits");

    [Fact]
    public void OutputOfExactlyTheByteLimit_IsAccepted()
    {
        // Output 2 x 4 x 3 x 3 floats: 288 bytes; the serial algorithm's padded plane 5 x 5 floats: 100 bytes.
        var output = Forward(limits: new Conv2dLimits { MaxTensorBytes = 288 }, algorithm: Conv2dAlgorithm.Serial);
        Assert.Equal(72, output.Length);
        Rejects(() => Forward(limits: new Conv2dLimits { MaxTensorBytes = 287 }, algorithm: Conv2dAlgorithm.Serial),
            "output [2,4,3,3] would need 288 bytes, more than the limit MaxTensorBytes=287", "limits");
    }

    [Fact]
    public void OutputOfMoreElementsThanAnArrayHolds_IsRefusedWhateverTheByteLimit() =>
        Rejects(() => Conv2d.Forward(Tensor<float>.Zeros(1, 1, 1, 1), Tensor<float>.Zeros(1, 1, 1, 1), null,
                new Conv2dSpec { PadTop = 50_000, PadBottom = 50_000, PadLeft = 50_000, PadRight = 50_000 },
                Conv2dAlgorithm.Serial, new Conv2dLimits { MaxTensorBytes = long.MaxValue }),
            "output [1,1,100001,100001] would need 40000800004 bytes, more than the limit MaxTensorBytes=9223372036854775807", "limits");

    [Fact]
    public void OutputSharingStorageWithTheInput_IsRejected()
    {
        var input = Tensor<float>.Zeros(1, 4, 3, 3);
        var weights = Tensor<float>.Zeros(4, 4, 1, 1);
        Rejects(() => Conv2d.ForwardInto(input, weights, null, Conv2dSpec.Default, new Tensor<float>([1, 4, 3, 3], input.Data)),
            "output must not share its storage with another argument", "output");
    }

    [Fact]
    public void InputGradientSharingStorageWithPreviousZ_IsRejected()
    {
        var z = Tensor<float>.Zeros(2, 4, 5, 5);
        var gradients = new Conv2dGradients<float>(z, Tensor<float>.Zeros(4, 4, 3, 3), null);
        Rejects(() => Conv2d.BackwardInto(Input, Weights, Tensor<float>.Zeros(2, 4, 3, 3), Conv2dSpec.Default, gradients,
                new BackwardOptions<float> { PreviousActivation = Activation.ReLU, PreviousZ = z }),
            "gradients.Input must not share its storage with another argument", "gradients.Input");
    }

    [Fact]
    public void GradientsOfTheWrongShape_AreRejectedNamingWhichOne()
    {
        var delta = Tensor<float>.Zeros(2, 4, 3, 3);
        Rejects(() => Conv2d.BackwardInto(Input, Weights, delta, Conv2dSpec.Default,
                new Conv2dGradients<float>(Tensor<float>.Zeros(2, 4, 5, 4), Tensor<float>.Zeros(4, 4, 3, 3), null)),
            "gradients.Input has shape [2,4,5,4] but the input is [2,4,5,5]", "gradients.Input");
        Rejects(() => Conv2d.BackwardInto(Input, Weights, delta, Conv2dSpec.Default,
                new Conv2dGradients<float>(Tensor<float>.Zeros(2, 4, 5, 5), Tensor<float>.Zeros(4, 4, 3, 2), null)),
            "gradients.Weights has shape [4,4,3,2] but the weights are [4,4,3,3]", "gradients.Weights");
    }

    /// <summary>Stride 100001 over 100000 zero rows and columns on each side of one element: one output, a padded plane of 100001 x 100001.</summary>
    private static readonly Conv2dSpec HugePlane = new() { PadTop = 50_000, PadBottom = 50_000, PadLeft = 50_000, PadRight = 50_000, StrideH = 100_001, StrideW = 100_001 };

    private const string HugePlaneRefused =
        "the serial algorithm's padded input plane 100001x100001 would need 40000800004 bytes, more than the limit MaxTensorBytes=2147483648";

    [Fact]
    public void WorkspaceLargerThanTheLimit_IsRefusedByTheIntoVariantsToo()
    {
        var one = Tensor<float>.Zeros(1, 1, 1, 1);
        Rejects(() => Conv2d.ForwardInto(one, Tensor<float>.Zeros(1, 1, 1, 1), null, HugePlane, Tensor<float>.Zeros(1, 1, 1, 1), Conv2dAlgorithm.Serial),
            HugePlaneRefused, "limits");
        var gradients = new Conv2dGradients<float>(Tensor<float>.Zeros(1, 1, 1, 1), Tensor<float>.Zeros(1, 1, 1, 1), null);
        Rejects(() => Conv2d.BackwardInto(one, Tensor<float>.Zeros(1, 1, 1, 1), Tensor<float>.Zeros(1, 1, 1, 1), HugePlane, gradients, null, Conv2dAlgorithm.Serial),
            HugePlaneRefused, "limits");
    }

    [Fact]
    public void UnknownAlgorithmAndZeroThreads_AreRejectedByTheBackwardPass()
    {
        var delta = Tensor<float>.Zeros(2, 4, 3, 3);
        Rejects(() => Conv2d.Backward(Input, Weights, true, delta, Conv2dSpec.Default, null, (Conv2dAlgorithm)5),
            "algorithm must be Serial or Vectorized (got 5)", "algorithm");
        Rejects(() => Backward(limits: new Conv2dLimits { MaxThreads = 0 }), "MaxThreads must be >= 1 (got 0)", "limits");
    }

    /// <summary>
    /// A tensor of exactly Array.MaxLength elements passes the size check (an array that long can exist): the output of
    /// one element padded on the right to 2147483591 columns, with a byte limit that allows it, is refused for its NaN,
    /// which is checked after the sizes and before anything is allocated.
    /// </summary>
    [Fact]
    public void TensorOfExactlyTheLargestArrayLength_PassesTheSizeCheck()
    {
        var input = new Tensor<float>([1, 1, 1, 1], [float.NaN]);
        var spec = new Conv2dSpec { PadRight = Array.MaxLength - 1 };
        Rejects(() => Conv2d.Forward(input, Tensor<float>.Zeros(1, 1, 1, 1), null, spec, Conv2dAlgorithm.Serial,
                new Conv2dLimits { MaxTensorBytes = long.MaxValue, RejectNonFinite = true }),
            "input contains NaN at [0,0,0,0]", "input");
    }

    /// <summary>
    /// The double backward's own results: dL/ddelta has the output's shape, which can exceed the limit where dJ/da, dJ/dw
    /// and the workspace fit (64 filters of 1 x 1 on a 4 x 4 image: 4096 bytes against 64, 256 and 64).
    /// </summary>
    [Fact]
    public void DoubleBackwardResultLargerThanTheLimit_IsRefusedWhenTheBackwardPassFits()
    {
        var input = Tensor<float>.Zeros(1, 1, 4, 4);
        var weights = Tensor<float>.Zeros(64, 1, 1, 1);
        var delta = Tensor<float>.Zeros(1, 64, 4, 4);
        var limits = new Conv2dLimits { MaxTensorBytes = 1000 };
        Assert.Equal([1, 1, 4, 4], Conv2d.Backward(input, weights, false, delta, Conv2dSpec.Default, null, Conv2dAlgorithm.Serial, limits).Input.Shape);
        Rejects(() => Conv2d.DoubleBackward(input, weights, delta, new Conv2dGradients<float>(input.Clone(), weights.Clone(), null), Conv2dSpec.Default,
                null, Conv2dAlgorithm.Serial, limits),
            "dL/ddelta [1,64,4,4] would need 4096 bytes, more than the limit MaxTensorBytes=1000", "limits");
    }

    [Fact]
    public void NonFiniteUpstreamInputOrBiasGradient_IsRejectedWithItsIndexWhenAsked()
    {
        var limits = new Conv2dLimits { RejectNonFinite = true };
        var delta = Tensor<float>.Zeros(2, 4, 3, 3);
        var ggA = Tensor<float>.Zeros(2, 4, 5, 5);
        ggA[1, 0, 4, 3] = float.PositiveInfinity;
        Rejects(() => Conv2d.DoubleBackward(Input, Weights, delta, new Conv2dGradients<float>(ggA, Weights, null), Conv2dSpec.Default, null,
                Conv2dAlgorithm.Serial, limits),
            "upstream.Input contains +Inf at [1,0,4,3]", "upstream.Input");
        var ggB = Tensor<float>.Zeros(4);
        ggB.Data[3] = float.NaN;
        Rejects(() => Conv2d.DoubleBackward(Input, Weights, delta, new Conv2dGradients<float>(Input, Weights, ggB), Conv2dSpec.Default, null,
                Conv2dAlgorithm.Serial, limits),
            "upstream.Bias contains NaN at [3]", "upstream.Bias");
    }

    [Fact]
    public void NullInput_ThrowsArgumentNull() =>
        Assert.Throws<ArgumentNullException>(() => Conv2d.Forward(null!, Weights, null, Conv2dSpec.Default));
}

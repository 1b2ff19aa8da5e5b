using global::ConvRef;
using static ConvCompare.Tests.ConvRef.ValidationTests;

namespace ConvCompare.Tests.ConvRef.SecondOrder;

/// <summary>The double backward checks the backward pass's rules first, then each upstream gradient against the shape the backward pass returns it in, each with one sentence.</summary>
public class SecondOrderValidationTests
{
    private static readonly Tensor<float> Input = Tensor<float>.Zeros(2, 4, 5, 5);
    private static readonly Tensor<float> Weights = Tensor<float>.Zeros(4, 4, 3, 3);
    private static readonly Tensor<float> Delta = Tensor<float>.Zeros(2, 4, 3, 3);

    private static Conv2dSecondOrderGradients<float> Layer(Tensor<float>? ggA = null, Tensor<float>? ggW = null, Tensor<float>? ggB = null,
        Tensor<float>? delta = null, BackwardOptions<float>? options = null, Conv2dLimits? limits = null) =>
        Conv2d.DoubleBackward(Input, Weights, delta ?? Delta, new Conv2dGradients<float>(ggA ?? Input, ggW ?? Weights, ggB), Conv2dSpec.Default,
            options, Conv2dAlgorithm.Vectorized, limits);

    [Fact]
    public void UpstreamInputGradientOfTheWrongShape_IsRejected() =>
        Rejects(() => Layer(ggA: Tensor<float>.Zeros(2, 4, 5, 4)), "upstream.Input (gg_a) has shape [2,4,5,4] but the input is [2,4,5,5]", "upstream.Input");

    [Fact]
    public void UpstreamWeightGradientOfTheWrongShape_IsRejected() =>
        Rejects(() => Layer(ggW: Tensor<float>.Zeros(4, 2, 3, 3)), "upstream.Weights (gg_w) has shape [4,2,3,3] but the weights are [4,4,3,3]", "upstream.Weights");

    [Fact]
    public void UpstreamBiasGradientOfTheWrongLength_IsRejected() =>
        Rejects(() => Layer(ggB: Tensor<float>.Zeros(3)), "upstream.Bias (gg_b) has shape [3] but out_channels is [4]", "upstream.Bias");

    [Fact]
    public void TransposedUpstreamWeightGradientInThePlainLayout_IsRejected() =>
        Rejects(() => Convolution.ConvTranspose2d.DoubleBackward(Tensor<float>.Zeros(1, 4, 3, 3), Tensor<float>.Zeros(4, 2, 3, 3),
                Tensor<float>.Zeros(1, 2, 5, 5), new Conv2dGradients<float>(Tensor<float>.Zeros(1, 4, 3, 3), Tensor<float>.Zeros(2, 4, 3, 3), null),
                ConvSpec.Default),
            "upstream.Weights (gg_w) has shape [2,4,3,3] but the weights are [4,2,3,3]", "upstream.Weights");

    [Fact]
    public void DeltaOfTheWrongShape_IsRejectedAsTheBackwardPassRejectsIt() =>
        Rejects(() => Layer(delta: Tensor<float>.Zeros(2, 4, 3, 2)), "delta has shape [2,4,3,2] but the forward output is [2,4,3,3]", "delta");

    [Fact]
    public void ActivationWithoutPreviousZ_IsRejectedAsTheBackwardPassRejectsIt() =>
        Rejects(() => Layer(options: new BackwardOptions<float> { PreviousActivation = Activation.Tanh }),
            "PreviousActivation Tanh needs PreviousZ (z^(l-1), the input before the activation) for g'(z^(l-1)) in Eq 6", "options");

    [Fact]
    public void NaNInAnUpstreamGradient_IsRejectedWithItsIndexWhenAsked()
    {
        var ggW = Tensor<float>.Zeros(4, 4, 3, 3);
        ggW[2, 1, 0, 2] = float.NaN;
        Rejects(() => Layer(ggW: ggW, limits: new Conv2dLimits { RejectNonFinite = true }), "upstream.Weights contains NaN at [2,1,0,2]", "upstream.Weights");
    }

    [Fact]
    public void NullUpstream_IsRejected() =>
        Assert.Throws<ArgumentNullException>(() => Conv2d.DoubleBackward(Input, Weights, Delta, null!, Conv2dSpec.Default));
}

using System.Runtime.InteropServices;
using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Layers;

/// <summary>
/// The double backward's gradient with respect to z^(l-1), Eq 6 differentiated in z:
/// dL/dz = gg_a ⊙ dJ/da ⊙ g''(z), with dJ/da = δ ⊗_f Rot180(w) the backward pass's own input gradient,
/// for the activations whose g'' is not zero; an exact zero for those whose g'' is zero.
/// </summary>
public class DoubleBackwardPreviousZTests
{
    private static readonly Conv2dSpec Spec = new() { StrideH = 2, PadLeft = 1, PadRight = 1 };

    private static Tensor<double> Values(ulong seed, params int[] shape)
    {
        var random = new TestRandom(seed);
        var t = Tensor<double>.Zeros(shape);
        for (int i = 0; i < t.Length; i++)
            t.Data[i] = random.Signed();
        return t;
    }

    public static TheoryData<ActivationKind, Conv2dAlgorithm> Curved() => new()
    {
        { ActivationKind.Sigmoid, Conv2dAlgorithm.Serial }, { ActivationKind.Sigmoid, Conv2dAlgorithm.Vectorized },
        { ActivationKind.Tanh, Conv2dAlgorithm.Serial }, { ActivationKind.Tanh, Conv2dAlgorithm.Vectorized },
    };

    [Theory]
    [MemberData(nameof(Curved))]
    public void ForSigmoidAndTanh_IsUpstreamTimesTheInputGradientTimesTheSecondDerivative(ActivationKind kind, Conv2dAlgorithm algorithm)
    {
        var activation = kind == ActivationKind.Sigmoid ? Activation.Sigmoid : Activation.Tanh;
        var input = Values(11, 2, 3, 6, 5);
        var weights = Values(12, 4, 3, 3, 2);
        var delta = Values(13, 2, 4, 2, 6);
        var z = Values(14, 2, 3, 6, 5);
        var upstream = new Conv2dGradients<double>(Values(15, 2, 3, 6, 5), Values(16, 4, 3, 3, 2), null);
        var options = new BackwardOptions<double> { PreviousActivation = activation, PreviousZ = z };

        // dJ/da without the activation: the same pass of the same algorithm, so the same bits.
        var inputGradient = Conv2d.Backward(input, weights, false, delta, Spec, null, algorithm).Input;
        var expected = new double[z.Length];
        for (int i = 0; i < expected.Length; i++)
            expected[i] = upstream.Input.Data[i] * inputGradient.Data[i] * activation.SecondDerivative(z.Data[i]);
        Assert.Contains(expected, v => v != 0);

        var layer = Conv2d.DoubleBackward(input, weights, delta, upstream, Spec, options, algorithm);
        var family = Convolution.Conv2d.DoubleBackward(input, weights, delta, upstream,
            new ConvSpec { Stride = [2, 1], Padding = ConvPadding.Of(0, 1) }, options, algorithm);
        Assert.Equal(Bits(expected), Bits(layer.PreviousZ!.Data));
        Assert.Equal(Bits(expected), Bits(family.PreviousZ!.Data));
    }

    public static TheoryData<ActivationKind> Piecewise() => [ActivationKind.ReLU, ActivationKind.LeakyReLU];

    [Theory]
    [MemberData(nameof(Piecewise))]
    public void ForPiecewiseLinearActivations_IsPositiveZero_EvenWhereTheInputGradientIsInfinite(ActivationKind kind)
    {
        var activation = kind == ActivationKind.ReLU ? Activation.ReLU : Activation.LeakyReLU();
        var input = Values(21, 1, 2, 5, 5);
        var weights = Values(22, 2, 2, 3, 3);
        weights.Data[4] = double.PositiveInfinity;
        var delta = Values(23, 1, 2, 2, 5);
        var z = Values(24, 1, 2, 5, 5);
        var upstream = new Conv2dGradients<double>(Values(25, 1, 2, 5, 5), Values(26, 2, 2, 3, 3), null);
        var options = new BackwardOptions<double> { PreviousActivation = activation, PreviousZ = z };
        // The check can fail: dJ/da is not finite somewhere, so multiplying it by g'' = 0 would give NaN there.
        Assert.Contains(Conv2d.Backward(input, weights, false, delta, Spec).Input.Data, v => !double.IsFinite(v));

        var result = Conv2d.DoubleBackward(input, weights, delta, upstream, Spec, options, Conv2dAlgorithm.Serial);

        Assert.Equal(new byte[z.Length * sizeof(double)], Bits(result.PreviousZ!.Data));
    }

    [Fact]
    public void WithoutPreviousZ_IsNull() =>
        Assert.Null(Conv2d.DoubleBackward(Values(31, 1, 1, 4, 4), Values(32, 1, 1, 2, 2), Values(33, 1, 1, 2, 5), new Conv2dGradients<double>(
            Values(34, 1, 1, 4, 4), Values(35, 1, 1, 2, 2), null), Spec).PreviousZ);

    private static byte[] Bits(double[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}

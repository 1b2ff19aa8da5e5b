using ConvCompare.Tests.ConvRef.Family;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.SecondOrder;

/// <summary>
/// ConvRef's double backward, both algorithms in both precisions, against TorchSharp's autograd
/// differentiating its own backward pass in float64 (the same values), within the rounding bounds of
/// <see cref="SecondOrderBounds"/>: the 2-D layer's entry point over strides, asymmetric padding, dilation,
/// groups, depthwise, batches and bias, and every operation of the family in every padding mode it takes;
/// with the activations below (g'' for sigmoid and tanh) and clipping.
/// </summary>
public class SecondOrderTorchAgreementTests
{
    public static TheoryData<ulong> LayerSeeds() => [.. Enumerable.Range(1, 24).Select(i => (ulong)i)];

    public static TheoryData<string, PaddingMode, ulong> FamilySeeds() => FamilyCase.Seeds(1, 2, 4);

    [Theory]
    [MemberData(nameof(LayerSeeds))]
    public void LayerDoubleBackward_MatchesAutogradOfTorchBackward(ulong seed) =>
        AssertMatchesTorch(SecondOrderCase.Layer(seed, withActivation: seed % 2 == 0, withClip: seed % 3 == 0));

    [Theory]
    [MemberData(nameof(FamilySeeds))]
    public void FamilyDoubleBackward_MatchesAutogradOfTorchBackward(string op, PaddingMode mode, ulong seed) =>
        AssertMatchesTorch(SecondOrderCase.Random(FamilyCase.Operation(op), mode, seed, withActivation: seed % 2 == 1, withClip: seed % 4 == 2));

    [Theory]
    [InlineData(ActivationKind.Sigmoid)]
    [InlineData(ActivationKind.Tanh)]
    [InlineData(ActivationKind.ReLU)]
    [InlineData(ActivationKind.LeakyReLU)]
    public void EachActivationsSecondDerivative_MatchesAutograd(ActivationKind kind)
    {
        var activation = kind == ActivationKind.LeakyReLU ? Activation.LeakyReLU(Cases.CaseConfig.LeakySlope) : new Activation(kind);
        var spec = new ConvSpec { Stride = [2, 1], Padding = ConvPadding.Of(1), Dilation = [1, 2] };
        var c = FamilyCase.Of($"conv2d {activation}", Convolution.Conv2d, spec, [2, 3, 6, 7], [4, 3, 3, 2], hasBias: true, seed: 11, activation);
        var s = SecondOrderCase.With(c, 11, null);
        AssertMatchesTorch(s);
        var dz = SecondOrderRun.Of<double>(s, Conv2dAlgorithm.Vectorized).PreviousZ!;
        if (kind is ActivationKind.Sigmoid or ActivationKind.Tanh)
            Assert.All(dz, v => Assert.NotEqual(0, v));
        else
            Assert.All(dz, v => Assert.Equal(0, v));
    }

    private static void AssertMatchesTorch(SecondOrderCase s)
    {
        var expected = SecondOrderRun.Torch(s);
        var float32 = SecondOrderBounds.AgainstFloat64<float>(s);
        var float64 = SecondOrderBounds.AgainstFloat64<double>(s);
        foreach (var algorithm in Enum.GetValues<Conv2dAlgorithm>())
        {
            SecondOrderRun.AssertAgree(expected, SecondOrderRun.Of<float>(s, algorithm), float32, $"{s} {algorithm} float32");
            SecondOrderRun.AssertAgree(expected, SecondOrderRun.Of<double>(s, algorithm), float64, $"{s} {algorithm} float64");
        }
    }
}

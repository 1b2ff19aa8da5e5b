using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;
using TorchSharp;

namespace ConvCompare.Tests.ConvRef;

/// <summary>
/// ConvRef against TorchSharp's conv2d and autograd (float64, on the same values) on seeded random
/// configurations covering stride, asymmetric padding, dilation, groups, depthwise, bias, the
/// activations of the layer below and clipping.
/// </summary>
public class TorchSharpAgreementTests
{
    public static TheoryData<ulong, bool, bool> Cases()
    {
        var data = new TheoryData<ulong, bool, bool>();
        for (ulong seed = 1; seed <= 24; seed++)
            data.Add(seed, seed % 3 == 0, seed % 4 == 0);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BothAlgorithmsInBothPrecisions_MatchTorchForwardAndAutograd(ulong seed, bool withActivation, bool withClip)
    {
        using var scope = torch.NewDisposeScope();
        var c = ConvCase.Random(1000 + seed, withActivation, withClip);
        var torchResult = TorchReference.Compute(c);
        var expected = new Conv2dRun(torchResult.Z, torchResult.Input, torchResult.Weights, torchResult.Bias);
        foreach (var algorithm in Enum.GetValues<Conv2dAlgorithm>())
        {
            Conv2dRun.AssertAgree(expected, Conv2dRun.Of<float>(c, algorithm), AgreementTolerances.For<float>(c), $"{c} {algorithm} float32");
            Conv2dRun.AssertAgree(expected, Conv2dRun.Of<double>(c, algorithm), AgreementTolerances.For<double>(c), $"{c} {algorithm} float64");
        }
    }
}

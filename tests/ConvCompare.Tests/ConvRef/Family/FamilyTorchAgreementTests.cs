using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Family;

/// <summary>
/// Every operation of the family in every padding mode it takes, both algorithms in both precisions,
/// against TorchSharp's own functions and autograd in float64 (the same values), within the rounding
/// bounds of <see cref="FamilyBounds"/>: stride, dilation, padding per side, same and valid, output
/// padding, groups and depthwise, bias, unbatched inputs, the activations below and clipping.
/// </summary>
public class FamilyTorchAgreementTests
{
    public static TheoryData<string, PaddingMode, ulong> Cases() => FamilyCase.Seeds(1, 4, 8);

    [Theory]
    [MemberData(nameof(Cases))]
    public void BothAlgorithmsInBothPrecisions_MatchTorchFunctionsAndAutograd(string op, PaddingMode mode, ulong seed)
    {
        var c = FamilyCase.Random(FamilyCase.Operation(op), mode, seed, withActivation: seed % 2 == 0, withClip: seed % 3 == 0);
        var expected = FamilyRun.Torch(c);
        foreach (var algorithm in Enum.GetValues<Conv2dAlgorithm>())
        {
            FamilyRun.AssertAgree(expected, FamilyRun.Of<float>(c, algorithm), FamilyBounds.AgainstFloat64<float>(c), $"{c} {algorithm} float32");
            FamilyRun.AssertAgree(expected, FamilyRun.Of<double>(c, algorithm), FamilyBounds.AgainstFloat64<double>(c), $"{c} {algorithm} float64");
        }
    }
}

using ConvCompare.Tests.ConvRef.Family;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.SecondOrder;

/// <summary>
/// The serial double backward (the derivation's building blocks) against the vectorized one (the matrix
/// products) in the same precision, within twice the precision's rounding bound (<see cref="SecondOrderBounds"/>),
/// for the layer's entry point and every operation of the family; and the layer's entry point is the
/// family's conv2d bit for bit.
/// </summary>
public class SecondOrderSerialVsVectorizedTests
{
    public static TheoryData<ulong> LayerSeeds() => [.. Enumerable.Range(101, 12).Select(i => (ulong)i)];

    public static TheoryData<string, PaddingMode, ulong> FamilySeeds() => FamilyCase.Seeds(201, 2, 3);

    [Theory]
    [MemberData(nameof(LayerSeeds))]
    public void LayerSerialAndVectorized_AgreeWithinTheirRoundingBounds(ulong seed) =>
        AssertAgree(SecondOrderCase.Layer(seed, withActivation: seed % 2 == 1, withClip: seed % 3 == 1));

    [Theory]
    [MemberData(nameof(FamilySeeds))]
    public void FamilySerialAndVectorized_AgreeWithinTheirRoundingBounds(string op, PaddingMode mode, ulong seed) =>
        AssertAgree(SecondOrderCase.Random(FamilyCase.Operation(op), mode, seed, withActivation: seed % 2 == 0, withClip: seed % 3 == 0));

    [Theory]
    [MemberData(nameof(LayerSeeds))]
    public void LayerEntryPoint_IsTheFamilysConv2dBitForBit(ulong seed)
    {
        var layer = SecondOrderCase.Layer(seed, withActivation: true, withClip: seed % 2 == 0);
        var family = layer with { LayerSpec = null };
        foreach (var algorithm in Enum.GetValues<Conv2dAlgorithm>())
        {
            var x = SecondOrderRun.Of<float>(layer, algorithm);
            var y = SecondOrderRun.Of<float>(family, algorithm);
            Assert.Equal(x.Input, y.Input);
            Assert.Equal(x.Weights, y.Weights);
            Assert.Equal(x.Delta, y.Delta);
            Assert.Equal(x.PreviousZ, y.PreviousZ);
        }
    }

    private static void AssertAgree(SecondOrderCase s)
    {
        SecondOrderRun.AssertAgree(SecondOrderRun.Of<float>(s, Conv2dAlgorithm.Serial), SecondOrderRun.Of<float>(s, Conv2dAlgorithm.Vectorized),
            SecondOrderBounds.Within<float>(s), $"{s} float32");
        SecondOrderRun.AssertAgree(SecondOrderRun.Of<double>(s, Conv2dAlgorithm.Serial), SecondOrderRun.Of<double>(s, Conv2dAlgorithm.Vectorized),
            SecondOrderBounds.Within<double>(s), $"{s} float64");
    }
}

using ConvCompare.Cases;
using ConvCompare.Oracles;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.SecondOrder;

/// <summary>
/// The serial double backward (the derivation's building blocks) against the vectorized one (the matrix products) in the
/// same precision, within twice the precision's rounding bound (the harness's <see cref="Comparison.RoundingBound"/>), for
/// the layer's entry point and every operation of the family; and the layer's entry point is the family's conv2d bit for bit.
/// </summary>
public class SecondOrderSerialVsVectorizedTests
{
    public static TheoryData<ulong> LayerSeeds() => [.. Enumerable.Range(101, 12).Select(i => (ulong)i)];

    public static TheoryData<int, ulong> FamilyRows() => SecondOrderSides.FamilyRows(201, 2);

    [Theory]
    [MemberData(nameof(LayerSeeds))]
    public void LayerSerialAndVectorized_AgreeWithinTheirRoundingBounds(ulong seed) =>
        AssertAgree(SecondOrderSides.Layer(seed, activation: seed % 2 == 1, clip: seed % 3 == 1));

    [Theory]
    [MemberData(nameof(FamilyRows))]
    public void FamilySerialAndVectorized_AgreeWithinTheirRoundingBounds(int ordinal, ulong seed) =>
        AssertAgree(SecondOrderSides.Family(ordinal, seed, activation: (ordinal + (int)seed) % 2 == 0, clip: (ordinal + (int)seed) % 3 == 0));

    [Theory]
    [MemberData(nameof(LayerSeeds))]
    public void LayerEntryPoint_IsTheFamilysConv2dBitForBit(ulong seed)
    {
        var c = SecondOrderSides.Layer(seed, activation: true, clip: seed % 2 == 0);
        Assert.Null(c.Family);
        var x = CaseInputs.Create(c);
        var gg = x.SecondOrder!;
        var options = new BackwardOptions<float>
        {
            PreviousActivation = c.ConvRefActivation, PreviousZ = x.PreviousZ?.Cast<float>(), ClipValue = c.Clip is { } clip ? (float)clip : null,
        };
        foreach (var algorithm in Enum.GetValues<Conv2dAlgorithm>())
        {
            var layer = SecondOrderSides.ConvRef(c, x, algorithm, CaseDtype.F32).SecondOrder!;
            var family = Convolution.Conv2d.DoubleBackward(x.Input.Cast<float>(), x.Weights.Cast<float>(), x.Upstream.Cast<float>(),
                new Conv2dGradients<float>(gg.Input.Cast<float>(), gg.Weights.Cast<float>(), gg.Bias?.Cast<float>()), TorchConvolutions.FamilySpec(c.Spec),
                options, algorithm);
            Assert.Equal(layer.Input.Data, family.Input.Cast<double>().Data);
            Assert.Equal(layer.Weights.Data, family.Weights.Cast<double>().Data);
            Assert.Equal(layer.Delta.Data, family.Delta.Cast<double>().Data);
            Assert.Equal(layer.PreviousZ!.Data, family.PreviousZ!.Cast<double>().Data);
        }
    }

    private static void AssertAgree(CaseConfig c)
    {
        var x = CaseInputs.Create(c);
        foreach (var dtype in new[] { CaseDtype.F32, CaseDtype.F64 })
            SecondOrderSides.AssertAgree(c, x, SecondOrderSides.ConvRef(c, x, Conv2dAlgorithm.Serial, dtype), SecondOrderSides.ConvRef(c, x, Conv2dAlgorithm.Vectorized, dtype),
                SecondOrderSides.Of(dtype), SecondOrderSides.Of(dtype), $"{dtype}");
    }
}

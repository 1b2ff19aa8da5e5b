using ConvCompare.Cases;
using ConvCompare.Numerics;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.SecondOrder;

/// <summary>
/// ConvRef's double backward, both algorithms in both precisions, against TorchSharp's autograd differentiating its own
/// backward pass in float64 through the harness's oracle (the same values), within the harness's rounding bounds: conv2d
/// layers over strides, asymmetric padding, dilation, groups, depthwise, batches and bias, and every operation of the
/// family in every padding mode it takes; with the activations below (dL/dz with g'' for sigmoid and tanh) and clipping.
/// </summary>
public class SecondOrderTorchAgreementTests
{
    public static TheoryData<ulong> LayerSeeds() => [.. Enumerable.Range(1, 24).Select(i => (ulong)i)];

    public static TheoryData<int, ulong> FamilyRows() => SecondOrderSides.FamilyRows(1, 2);

    [Theory]
    [MemberData(nameof(LayerSeeds))]
    public void LayerDoubleBackward_MatchesAutogradOfTorchBackward(ulong seed) =>
        AssertMatchesTorch(SecondOrderSides.Layer(seed, activation: seed % 2 == 0, clip: seed % 3 == 0));

    [Theory]
    [MemberData(nameof(FamilyRows))]
    public void FamilyDoubleBackward_MatchesAutogradOfTorchBackward(int ordinal, ulong seed) =>
        AssertMatchesTorch(SecondOrderSides.Family(ordinal, seed, activation: (ordinal + (int)seed) % 2 == 1, clip: (ordinal + (int)seed) % 4 == 2));

    [Theory]
    [InlineData(ActivationKind.Sigmoid)]
    [InlineData(ActivationKind.Tanh)]
    [InlineData(ActivationKind.ReLU)]
    [InlineData(ActivationKind.LeakyReLU)]
    public void EachActivationsSecondDerivative_MatchesAutograd(ActivationKind kind)
    {
        Assert.True(CaseId.TryParse($"n2c3h6w7-o4k3x2-s2x1-p1,1,1,1-d1x2-g1-f32-{CaseId.ActivationToken(kind)}-order2-v11", out var c, out string error), error);
        AssertMatchesTorch(c);
        var dz = SecondOrderSides.ConvRef(c, CaseInputs.Create(c), Conv2dAlgorithm.Vectorized, CaseDtype.F64).SecondOrder!.PreviousZ!;
        if (kind is ActivationKind.Sigmoid or ActivationKind.Tanh)
            Assert.All(dz.Data, v => Assert.NotEqual(0, v));
        else
            Assert.All(dz.Data, v => Assert.Equal(0, v));
    }

    private static void AssertMatchesTorch(CaseConfig c)
    {
        var x = CaseInputs.Create(c);
        var expected = SecondOrderSides.Torch(c, x);
        foreach (var algorithm in Enum.GetValues<Conv2dAlgorithm>())
            foreach (var dtype in new[] { CaseDtype.F32, CaseDtype.F64 })
                SecondOrderSides.AssertAgree(c, x, expected, SecondOrderSides.ConvRef(c, x, algorithm, dtype), SecondOrderSides.Of(dtype), Arithmetic.Float64,
                    $"{algorithm} {dtype}");
    }
}

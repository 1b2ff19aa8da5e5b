using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.GradCheck;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.SecondOrder;

/// <summary>
/// ConvRef's double backward against central differences of the harness's definition-level backward pass in float64
/// (<see cref="SecondOrderCheck"/>, gradgradcheck's manner), along Rademacher directions of a, w, dy and z^(l-1), with the
/// tolerance derived there; and the check catches a 1e-6 relative error in one entry of each gradient.
/// </summary>
public class SecondOrderFiniteDifferenceTests
{
    public static TheoryData<ulong> LayerSeeds() => [.. Enumerable.Range(31, 8).Select(i => (ulong)i)];

    public static TheoryData<int, ulong> FamilyRows() => SecondOrderSides.FamilyRows(41, 1);

    [Theory]
    [MemberData(nameof(LayerSeeds))]
    public void LayerDoubleBackward_MatchesCentralDifferencesOfTheBackwardPass(ulong seed) =>
        AssertAgrees(SecondOrderSides.Layer(seed, activation: true, clip: false));

    [Theory]
    [MemberData(nameof(FamilyRows))]
    public void FamilyDoubleBackward_MatchesCentralDifferencesOfTheBackwardPass(int ordinal, ulong seed) =>
        AssertAgrees(SecondOrderSides.Family(ordinal, seed, activation: true, clip: false));

    [Theory]
    [InlineData("d2x")]
    [InlineData("d2w")]
    [InlineData("d2dy")]
    [InlineData("d2z")]
    public void OneEntryOffByOneMillionth_IsCaught(string tensor)
    {
        var kind = TensorKinds.Reported.Single(k => k.Name() == tensor);
        foreach (string activation in new[] { "sigmoid", "tanh" })
        {
            Assert.True(CaseId.TryParse($"n2c4h6w5-o4k3x2-s2x1-p1,0,0,2-d1x2-g2-f64-{activation}-order2-v21", out var c, out string error), error);
            var x = CaseInputs.Create(c);
            var run = SecondOrderSides.ConvRef(c, x, Conv2dAlgorithm.Vectorized, CaseDtype.F64);
            var planted = run.With(kind, SecondOrderPlantedErrorTests.Planted(run[kind]!)).SecondOrder!;

            var results = SecondOrderCheck.Run(c, x, RoundingBound.Compute(c, x), SecondOrderCheck.DefaultDirections, [("vectorized", run.SecondOrder!), ("planted", planted)]);

            Assert.True(results[0].Pass, $"{activation}: {results[0].Worst}: error {results[0].MaxError}, tolerance {results[0].Tolerance}");
            Assert.False(results[1].Pass, $"{activation} {kind.Name()}: planted error not caught");
            Assert.StartsWith(kind switch { TensorKind.D2x => "a ", TensorKind.D2w => "w ", TensorKind.D2dy => "dy ", _ => "z " }, results[1].Worst, StringComparison.Ordinal);
        }
    }

    private static void AssertAgrees(CaseConfig c)
    {
        var x = CaseInputs.Create(c);
        var results = SecondOrderCheck.Run(c, x, RoundingBound.Compute(c, x), SecondOrderCheck.DefaultDirections,
            [.. Enum.GetValues<Conv2dAlgorithm>().Select(a => (a.ToString(), SecondOrderSides.ConvRef(c, x, a, CaseDtype.F64).SecondOrder!))]);
        Assert.All(results, r => Assert.True(r.Pass, $"{CaseId.Format(c)} {r.Against}: {r.Worst}: error {r.MaxError}, tolerance {r.Tolerance}"));
        Assert.All(results, r => Assert.Equal(8, r.Checks));
    }
}

using ConvCompare.Explain.Examples;
using static ConvCompare.Tests.Explain.DirectLoops;

namespace ConvCompare.Tests.Explain;

public class SecondOrderPageTests
{
    public static TheoryData<ulong> Seeds => [1UL, 7UL, 2026UL];

    /// <summary>
    /// The first backward pass by perturbation of J = Σ conv(a, w) ⊙ δ + b · Σ δ, then L of the page and its
    /// gradients by perturbation again: L is linear in each of a, w and δ, so each difference is exact.
    /// </summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void EveryNumberOnThePage_EqualsTheDefinitionsComputedByLoops(ulong seed)
    {
        var (a, w, delta, ggA, ggW, ggB) = SecondOrderPage.Numbers(seed);
        var page = SecondOrderPage.Build(seed, new TorchFamilyAutograd());
        double L(double[,] x, double[,] k, double[,] d) =>
            Dot(ggA, GradientOfLinear(x, v => Dot(Correlate(v, k, 1), d)))
            + Dot(ggW, GradientOfLinear(k, v => Dot(Correlate(x, v, 1), d)))
            + ggB[0, 0] * Sum(d);
        var dLdA = GradientOfLinear(a, x => L(x, w, delta));
        var dLdW = GradientOfLinear(w, k => L(a, k, delta));
        var dLdDelta = GradientOfLinear(delta, d => L(a, w, d));

        PageContent.AssertShows(page, a, "a");
        PageContent.AssertShows(page, w, "w");
        PageContent.AssertShows(page, ggA, "gg_a");
        PageContent.AssertShows(page, ggW, "gg_w");
        PageContent.AssertShows(page, dLdDelta, "sum + gg_b", "dL/dδ ConvRef", "dL/dδ autograd");
        PageContent.AssertShows(page, dLdW, "gg_a ⊗ δ (ValidCorrelate)", "dL/dw ConvRef", "dL/dw autograd");
        PageContent.AssertShows(page, dLdA, "δ ⊗_f Rot180(gg_w)", "dL/da ConvRef", "dL/da autograd");
        PageContent.AssertSums(page, "dL/dδ", dLdDelta);
        PageContent.AssertSums(page, "dL/dw", dLdW);
        PageContent.AssertSums(page, "dL/da", dLdA);
        Assert.True(page.Passed);
    }

    public static TheoryData<string, string> Plants => new()
    {
        { "a", "dL/da" },
        { "w", "dL/dw" },
        { "δ", "dL/dδ" },
    };

    [Theory]
    [MemberData(nameof(Plants))]
    public void PlantedErrorInOneTermOfAutogradsDoubleBackward_FailsThatTermOnly(string term, string caught)
    {
        var planted = new PlantedFamilyAutograd
        {
            SecondOrder = r => PlantedFamilyAutograd.OffByOne(term switch { "a" => r.Input, "w" => r.Weights, _ => r.Delta }),
        };
        var failed = PageContent.Failed(SecondOrderPage.Build(1, planted));
        Assert.NotEmpty(failed);
        Assert.All(failed, q => Assert.StartsWith(caught + ":", q, StringComparison.Ordinal));
    }
}

using ConvCompare.Explain.Examples;
using ConvRef;
using static ConvCompare.Tests.Explain.DirectLoops;

namespace ConvCompare.Tests.Explain;

public class ReflectPageTests
{
    public static TheoryData<ulong> Seeds => [1UL, 7UL, 2026UL];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void EveryNumberOnThePage_EqualsTheDefinitionsComputedByLoops(ulong seed)
    {
        var (a, w, delta) = ReflectPage.Numbers(seed);
        var page = ReflectPage.Build(seed, new TorchFamilyAutograd());
        var padded = ReflectPad(a, 1);
        var z = Correlate(padded, w, 1);
        var dA = GradientOfLinear(a, x => Dot(Correlate(ReflectPad(x, 1), w, 1), delta));
        var dP = GradientOfLinear(padded, p => Dot(Correlate(p, w, 1), delta));
        var dW = GradientOfLinear(w, k => Dot(Correlate(padded, k, 1), delta));
        var interior = new double[4, 4];
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++)
                interior[r, c] = dP[r + 1, c + 1];
        var border = new double[4, 4];
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++)
                border[r, c] = dA[r, c] - interior[r, c];

        PageContent.AssertShows(page, a, "a");
        PageContent.AssertShows(page, padded, "P (reflect-padded a)");
        PageContent.AssertShows(page, z, "z ConvRef", "z autograd");
        PageContent.AssertShows(page, dP, "dJ/dP = δ ⊗_f Rot180(w)");
        PageContent.AssertShows(page, interior, "interior of dJ/dP");
        PageContent.AssertShows(page, border, "border folded back");
        PageContent.AssertShows(page, dA, "sum", "dJ/da ConvRef", "dJ/da autograd");
        PageContent.AssertShows(page, dW, "P ⊗ δ (ValidCorrelate)", "dJ/dw ConvRef", "dJ/dw autograd");
        PageContent.AssertSums(page, "z", z);
        PageContent.AssertSums(page, "dJ/dP", dP);
        PageContent.AssertSums(page, "dJ/da", dA);
        Assert.Equal(16, PageContent.Sums(page, "dJ/da").Count);
        Assert.True(page.Passed);
    }

    /// <summary>Hand-computed from the definition of reflection ([a1 a2 a3 a4] padded by 1 is [a2 | a1 a2 a3 a4 | a3]).</summary>
    [Fact]
    public void BorderElements_GatherEveryPaddedCellThatCopiesThem()
    {
        var sums = PageContent.Sums(ReflectPage.Build(1, new TorchFamilyAutograd()), "dJ/da");
        Assert.Equal(["dJ/dP[2,2]"], sums[(0, 0)].SymbolicTerms);
        Assert.Equal(["dJ/dP[2,1]", "dJ/dP[2,3]"], sums[(0, 1)].SymbolicTerms);
        Assert.Equal(["dJ/dP[1,1]", "dJ/dP[1,3]", "dJ/dP[3,1]", "dJ/dP[3,3]"], sums[(1, 1)].SymbolicTerms);
        Assert.Equal(["dJ/dP[4,4]", "dJ/dP[4,6]", "dJ/dP[6,4]", "dJ/dP[6,6]"], sums[(2, 2)].SymbolicTerms);
    }

    /// <summary>An autograd whose input gradient forgot the fold (what zero padding gives: the interior of dJ/dP) is caught there and only there.</summary>
    [Fact]
    public void BorderNotFoldedBack_IsCaughtInTheInputGradient()
    {
        var unfolded = new TorchFamilyAutograd();
        var planted = new PlantedFamilyAutograd
        {
            FirstOrder = (call, r) => r with
            {
                InputGradient = unfolded.Gradients(call.Op, call.Spec with { PaddingMode = PaddingMode.Zeros }, call.Input, call.Weights, call.Upstream).InputGradient,
            },
        };
        var failed = PageContent.Failed(ReflectPage.Build(1, planted));
        Assert.Equal(["dJ/da: interior + folded border vs autograd", "dJ/da: ConvRef vs autograd"], failed);
    }

    [Fact]
    public void PlantedAutogradErrorInTheOutput_ShowsAsAMismatchOnThePage()
    {
        var planted = new PlantedFamilyAutograd { FirstOrder = (_, r) => r with { Output = PlantedFamilyAutograd.OffByOne(r.Output) } };
        Assert.Equal(["z: ConvRef vs autograd"], PageContent.Failed(ReflectPage.Build(1, planted)));
    }
}

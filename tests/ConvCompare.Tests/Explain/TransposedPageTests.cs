using ConvCompare.Explain.Examples;
using ConvCompare.Explain.Rendering;
using ConvRef;
using static ConvCompare.Tests.Explain.DirectLoops;

namespace ConvCompare.Tests.Explain;

public class TransposedPageTests
{
    private const int Stride = 2;

    public static TheoryData<ulong> Seeds => [1UL, 7UL, 2026UL];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void EveryNumberOnThePage_EqualsTheDefinitionsComputedByLoops(ulong seed)
    {
        var (a, w, delta) = TransposedPage.Numbers(seed);
        var page = TransposedPage.Build(seed, new TorchFamilyAutograd());
        var z = Correlate(a, w, Stride);
        var dA = GradientOfLinear(a, x => Dot(Correlate(x, w, Stride), delta));
        var dW = GradientOfLinear(w, k => Dot(Correlate(a, k, Stride), delta));
        // The transposed layer: x = δ, upstream g = a.
        var y = Stamp(delta, w, Stride);
        var dX = GradientOfLinear(delta, x => Dot(Stamp(x, w, Stride), a));
        var dWTransposed = GradientOfLinear(w, k => Dot(Stamp(delta, k, Stride), a));

        PageContent.AssertShows(page, a, "a", "g");
        PageContent.AssertShows(page, w, "w");
        PageContent.AssertShows(page, delta, "δ");
        PageContent.AssertShows(page, z, "z ConvRef", "z autograd", "z autograd (conv2d)");
        PageContent.AssertShows(page, dA, "dJ/da ConvRef", "dJ/da autograd", "full convolution", "dJ/da autograd (conv2d)");
        PageContent.AssertShows(page, y, "y ConvRef", "y autograd", "y ConvRef (conv_transpose2d)");
        PageContent.AssertShows(page, dX, "dJ/dx ConvRef", "dJ/dx autograd", "dJ/dx ConvRef (conv_transpose2d)");
        PageContent.AssertShows(page, dWTransposed, "dJ/dw ConvRef", "dJ/dw autograd", "g ⊗ interleaved x", "dJ/dw ConvRef (conv_transpose2d)");
        PageContent.AssertShows(page, dW, "dJ/dw autograd (conv2d)");
        PageContent.AssertSums(page, "dJ/da", dA);
        PageContent.AssertSums(page, "y", y);
        PageContent.AssertSums(page, "dJ/dx", dX);
        PageContent.AssertSums(page, "dJ/dw", dWTransposed);
        Assert.True(page.Passed);
    }

    /// <summary>The page's claim, checked without it: the two layers are each other's adjoint on these numbers.</summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void TheTwoLayers_ExchangeTheirNumbers(ulong seed)
    {
        var (a, w, delta) = TransposedPage.Numbers(seed);
        Assert.Equal(GradientOfLinear(a, x => Dot(Correlate(x, w, Stride), delta)), Stamp(delta, w, Stride));
        Assert.Equal(Correlate(a, w, Stride), GradientOfLinear(delta, x => Dot(Stamp(x, w, Stride), a)));
        Assert.Equal(GradientOfLinear(w, k => Dot(Correlate(a, k, Stride), delta)), GradientOfLinear(w, k => Dot(Stamp(delta, k, Stride), a)));
    }

    [Fact]
    public void CentreCell_GathersFourWindowsAndACornerOne()
    {
        var page = TransposedPage.Build(1, new TorchFamilyAutograd());
        var sums = PageContent.Sums(page, "dJ/da");
        Assert.Single(sums[(0, 0)].Terms);
        Assert.Equal(2, sums[(0, 2)].Terms.Count);
        Assert.Equal(["δ[1,1]·w[3,3]", "δ[1,2]·w[3,1]", "δ[2,1]·w[1,3]", "δ[2,2]·w[1,1]"], sums[(2, 2)].SymbolicTerms);
    }

    public static TheoryData<string, string, string> Plants => new()
    {
        { "conv2d", "y", "z: ConvRef vs autograd" },
        { "conv2d", "dx", "dJ/da: ConvRef vs autograd" },
        { "conv2d", "dw", "dJ/dw of conv_transpose2d (ConvRef) vs conv2d's dJ/dw (autograd)" },
        { "conv_transpose2d", "y", "y: ConvRef vs autograd" },
        { "conv_transpose2d", "dx", "dJ/dx: ConvRef vs autograd" },
        { "conv_transpose2d", "dw", "dJ/dw: ConvRef vs autograd" },
    };

    [Theory]
    [MemberData(nameof(Plants))]
    public void PlantedAutogradError_ShowsAsAMismatchOnThePage(string op, string tensor, string caught)
    {
        var planted = new PlantedFamilyAutograd
        {
            FirstOrder = (call, r) => call.Op.Name != op ? r : tensor switch
            {
                "y" => r with { Output = PlantedFamilyAutograd.OffByOne(r.Output) },
                "dx" => r with { InputGradient = PlantedFamilyAutograd.OffByOne(r.InputGradient) },
                _ => r with { WeightGradient = PlantedFamilyAutograd.OffByOne(r.WeightGradient) },
            },
        };
        var page = TransposedPage.Build(1, planted);
        Assert.Contains(caught, PageContent.Failed(page));
        Assert.Contains(PlainTextRenderer.Lines(page), l => l.StartsWith("     FAIL " + caught, StringComparison.Ordinal));
    }
}

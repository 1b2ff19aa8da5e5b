using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Layers;

/// <summary>The family's spec and padding are values: equal when every part is, whatever arrays hold them, and written as PyTorch spells them.</summary>
public class ConvSpecTests
{
    [Fact]
    public void DefaultSpec_IsStrideOneNoPaddingDilationOneOneGroupZerosNoOutputPadding()
    {
        var spec = ConvSpec.Default;
        Assert.Equal([1], spec.Stride);
        Assert.Equal(ConvPadding.Of(0), spec.Padding);
        Assert.Equal([1], spec.Dilation);
        Assert.Equal((1, PaddingMode.Zeros), (spec.Groups, spec.PaddingMode));
        Assert.Equal([0], spec.OutputPadding);
    }

    [Fact]
    public void SpecsWithEqualParts_AreEqualWithEqualHashes()
    {
        var a = new ConvSpec { Stride = [2, 1], Padding = ConvPadding.Of(1, 0), Dilation = [1, 3], Groups = 2, OutputPadding = [1, 0] };
        var b = new ConvSpec { Stride = [2, 1], Padding = ConvPadding.Of(1, 0), Dilation = [1, 3], Groups = 2, OutputPadding = [1, 0] };
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(new ConvSpec { Stride = [] }.GetHashCode(), new ConvSpec { Stride = [] }.GetHashCode());
    }

    public static TheoryData<string> Changes() => ["stride", "padding", "dilation", "groups", "mode", "output padding"];

    [Theory]
    [MemberData(nameof(Changes))]
    public void SpecsDifferingInOnePart_AreNotEqual(string part)
    {
        var a = new ConvSpec { Stride = [2, 1], Padding = ConvPadding.Of(1, 0), Dilation = [1, 3], Groups = 2, OutputPadding = [1, 0] };
        var b = part switch
        {
            "stride" => a with { Stride = [1, 2] },
            "padding" => a with { Padding = ConvPadding.Of(0, 1) },
            "dilation" => a with { Dilation = [3, 1] },
            "groups" => a with { Groups = 1 },
            "mode" => a with { PaddingMode = PaddingMode.Circular },
            _ => a with { OutputPadding = [0, 1] },
        };
        Assert.NotEqual(a, b);
        Assert.False(a.Equals(null));
    }

    [Fact]
    public void Padding_IsWrittenAsPyTorchSpellsIt()
    {
        Assert.Equal("same", ConvPadding.Same.ToString());
        Assert.Equal("valid", ConvPadding.Valid.ToString());
        Assert.Equal("[1,2]", ConvPadding.Of(1, 2).ToString());
        Assert.Equal("[0,1]/[2,3]", ConvPadding.PerSide([0, 1], [2, 3]).ToString());
        Assert.Equal("[4]", ConvPadding.PerSide([4], [4]).ToString());
    }

    [Fact]
    public void Padding_IsExplicitUnlessSameOrValid_WithBeforeAndAfterPerAxis()
    {
        var of = ConvPadding.Of(1, 2);
        Assert.Equal(ConvPaddingKind.Explicit, of.Kind);
        Assert.Equal([1, 2], of.Before);
        Assert.Equal([1, 2], of.After);
        var perSide = ConvPadding.PerSide([0, 1], [2, 3]);
        Assert.Equal(ConvPaddingKind.Explicit, perSide.Kind);
        Assert.Equal([0, 1], perSide.Before);
        Assert.Equal([2, 3], perSide.After);
        Assert.Equal((ConvPaddingKind.Same, 0, 0), (ConvPadding.Same.Kind, ConvPadding.Same.Before.Count, ConvPadding.Same.After.Count));
        Assert.Equal(ConvPaddingKind.Valid, ConvPadding.Valid.Kind);
        Assert.Equal(ConvPadding.Of(0), ConvPadding.None);
    }

    [Fact]
    public void Padding_CopiesTheCallersArrays()
    {
        int[] before = [1, 2], after = [3, 4];
        var padding = ConvPadding.PerSide(before, after);
        var of = ConvPadding.Of(before);
        before[0] = 9;
        after[0] = 9;
        Assert.Equal([1, 2], padding.Before);
        Assert.Equal([3, 4], padding.After);
        Assert.Equal([1, 2], of.Before);
    }

    [Fact]
    public void PaddingsWithEqualParts_AreEqualWithEqualHashes_AndDifferWhenAnyPartDoes()
    {
        Assert.Equal(ConvPadding.Of(1, 2), ConvPadding.PerSide([1, 2], [1, 2]));
        Assert.Equal(ConvPadding.Of(1, 2).GetHashCode(), ConvPadding.PerSide([1, 2], [1, 2]).GetHashCode());
        Assert.Equal(ConvPadding.Same.GetHashCode(), ConvPadding.Same.GetHashCode());
        Assert.NotEqual(ConvPadding.Of(1, 2), ConvPadding.PerSide([1, 2], [1, 3]));
        Assert.NotEqual(ConvPadding.Of(1, 2), ConvPadding.PerSide([1, 3], [1, 2]));
        Assert.NotEqual(ConvPadding.Same, ConvPadding.Valid);
        Assert.NotEqual(ConvPadding.Valid, ConvPadding.Of());
        Assert.False(ConvPadding.Of(1).Equals(null));
    }
}

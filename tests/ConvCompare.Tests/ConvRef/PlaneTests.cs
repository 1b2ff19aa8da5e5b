using global::ConvRef;

namespace ConvCompare.Tests.ConvRef;

/// <summary>The serial building blocks against the derivation's documented examples and definitions.</summary>
public class PlaneTests
{
    [Fact]
    public void Interleave_OneRowTwoColumns_GivesTheDerivationsFiveBySevenExample()
    {
        int[,] x = { { 1, 2, 3 }, { 4, 5, 6 }, { 7, 8, 9 } };
        int[,] expected =
        {
            { 1, 0, 0, 2, 0, 0, 3 },
            { 0, 0, 0, 0, 0, 0, 0 },
            { 4, 0, 0, 5, 0, 0, 6 },
            { 0, 0, 0, 0, 0, 0, 0 },
            { 7, 0, 0, 8, 0, 0, 9 },
        };
        Assert.Equal(expected, Plane.Interleave(x, 1, 2));
    }

    [Fact]
    public void TakeEvery_UndoesInterleave()
    {
        int[,] x = { { 1, 2, 3 }, { 4, 5, 6 } };
        Assert.Equal(x, Plane.TakeEvery(Plane.Interleave(x, 2, 1), 2, 1));
    }

    [Fact]
    public void Rot180_FlipsRowsAndColumns()
    {
        Assert.Equal(new[,] { { 6, 5, 4 }, { 3, 2, 1 } }, Plane.Rot180(new[,] { { 1, 2, 3 }, { 4, 5, 6 } }));
    }

    [Fact]
    public void Pad_AddsZerosOnEachSideAsAsked()
    {
        Assert.Equal(new[,] { { 0, 0, 0, 0 }, { 0, 1, 2, 0 } }, Plane.Pad(new[,] { { 1, 2 } }, 1, 0, 1, 1));
    }

    [Fact]
    public void ValidCorrelate_WithStride_SkipsPositions()
    {
        int[,] x = { { 1, 2, 3, 4, 5 }, { 6, 7, 8, 9, 10 } };
        int[,] k = { { 1, 0 }, { 0, 1 } };
        Assert.Equal(new[,] { { 1 + 7, 3 + 9 } }, Plane.ValidCorrelate(x, k, 1, 2));
    }

    [Fact]
    public void FullConvolve_OfErrorWithRotatedKernel_IsEq5()
    {
        int[,] d = { { 1, 2 }, { 3, 4 } };
        int[,] w = { { 5, 6 }, { 7, 8 } };
        int[,] eq5 =
        {
            { 1 * 5, 1 * 6 + 2 * 5, 2 * 6 },
            { 1 * 7 + 3 * 5, 1 * 8 + 2 * 7 + 3 * 6 + 4 * 5, 2 * 8 + 4 * 6 },
            { 3 * 7, 3 * 8 + 4 * 7, 4 * 8 },
        };
        Assert.Equal(eq5, Plane.FullConvolve(d, Plane.Rot180(w)));
    }

    [Fact]
    public void Crop_OutsideThePlane_IsZero()
    {
        Assert.Equal(new[,] { { 4, 0 }, { 0, 0 } }, Plane.Crop(new[,] { { 1, 2 }, { 3, 4 } }, 1, 1, 2, 2));
    }

    [Fact]
    public void ValidCorrelate_KernelLargerThanThePlane_IsRejectedNamingBoth()
    {
        var ex = Assert.Throws<ArgumentException>(() => Plane.ValidCorrelate(new int[2, 3], new int[3, 1]));
        Assert.Equal("k", ex.ParamName);
        Assert.StartsWith("kernel 3x1 is larger than the plane 2x3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddInto_PlanesOfDifferentShapes_AreRejectedNamingBoth()
    {
        var ex = Assert.Throws<ArgumentException>(() => Plane.AddInto(new int[2, 2], new int[2, 3]));
        Assert.Equal("x", ex.ParamName);
        Assert.StartsWith("plane 2x3 does not match the accumulator 2x2", ex.Message, StringComparison.Ordinal);
    }
}

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
    public void Interleave_OfAnEmptyPlane_IsEmptyAlongThatAxis_AndInterleavedAlongTheOther()
    {
        Assert.Equal((0, 5), Dimensions(Plane.Interleave(new int[0, 3], 1, 1)));
        Assert.Equal((3, 0), Dimensions(Plane.Interleave(new int[2, 0], 1, 1)));
    }

    /// <summary>Every guard of the building blocks: a negative step, padding or size, or a stride below 1, named.</summary>
    [Fact]
    public void NegativeStepsPaddingsAndSizes_AndStridesBelow1_AreRefusedNamingTheParameter()
    {
        double[,] x = new double[3, 3], k = new double[2, 2];
        (string Name, Action Call)[] calls =
        [
            ("sy", () => Plane.Interleave(x, -1, 0)), ("sx", () => Plane.Interleave(x, 0, -1)),
            ("sy", () => Plane.TakeEvery(x, -1, 0)), ("sx", () => Plane.TakeEvery(x, 0, -1)),
            ("top", () => Plane.Pad(x, -1, 0, 0, 0)), ("bottom", () => Plane.Pad(x, 0, -1, 0, 0)),
            ("left", () => Plane.Pad(x, 0, 0, -1, 0)), ("right", () => Plane.Pad(x, 0, 0, 0, -1)),
            ("height", () => Plane.Crop(x, 0, 0, -1, 1)), ("width", () => Plane.Crop(x, 0, 0, 1, -1)),
            ("sy", () => Plane.ValidCorrelate(x, k, 0, 1)), ("sx", () => Plane.ValidCorrelate(x, k, 1, 0)),
            ("kernelStepY", () => Plane.ValidCorrelate(x, k, 1, 1, -1, 0)), ("kernelStepX", () => Plane.ValidCorrelate(x, k, 1, 1, 0, -1)),
            ("deltaStepY", () => Plane.FullConvolve(x, k, -1, 0, 0, 0)), ("deltaStepX", () => Plane.FullConvolve(x, k, 0, -1, 0, 0)),
            ("kernelStepY", () => Plane.FullConvolve(x, k, 0, 0, -1, 0)), ("kernelStepX", () => Plane.FullConvolve(x, k, 0, 0, 0, -1)),
        ];
        foreach (var (name, call) in calls)
            Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(call).ParamName);
    }

    [Fact]
    public void FullConvolveWithKernelSteps_CountsTheStepsFromTheKernelsFirstColumnBeforeRot180()
    {
        // Before Rot180 the kernel is [7, 5]; with a step of 2 only its column 0 (7) is a value and column 1
        // (5) is structure. δ = [1]: out[o + t] gets δ[o] · k[t] for the values t, so out = [7, 0].
        double[,] delta = { { 1 } }, rotated = { { 5, 7 } };
        Assert.Equal(new[,] { { 7.0, 0.0 } }, Plane.FullConvolve(delta, rotated, 0, 0, 0, 2));
    }

    private static (int, int) Dimensions(int[,] plane) => (plane.GetLength(0), plane.GetLength(1));

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
    public void FullConvolveWithInterleaveSteps_WithFiniteValues_IsValidCorrelateOfThePaddedInterleavedPlanesBitForBit()
    {
        // Signed zeros and negative values included: a left-out product with a structural zero is ±0,
        // and the sum starts at +0, so leaving it out must change no bit of any element.
        var random = new Random(5);
        double Draw() => random.Next(4) switch { 0 => 0.0, 1 => -0.0, _ => random.NextDouble() * 2 - 1 };
        int checkedPlanes = 0;
        for (int trial = 0; trial < 200; trial++)
        {
            var delta = Fill(new double[random.Next(1, 5), random.Next(1, 5)], Draw);
            var kernel = Fill(new double[random.Next(1, 4), random.Next(1, 4)], Draw);
            int sy = random.Next(0, 3), sx = random.Next(0, 3), dy = random.Next(0, 3), dx = random.Next(0, 3);
            var interleaved = Plane.Interleave(delta, sy, sx);
            var rotated = Plane.Rot180(Plane.Interleave(kernel, dy, dx));
            int kh = rotated.GetLength(0) - 1, kw = rotated.GetLength(1) - 1;
            var expected = Plane.ValidCorrelate(Plane.Pad(interleaved, kh, kh, kw, kw), rotated);
            var actual = Plane.FullConvolve(interleaved, rotated, sy, sx, dy, dx);
            AssertSameBits(expected, actual);
            checkedPlanes++;
        }
        Assert.Equal(200, checkedPlanes);
    }

    [Fact]
    public void FullConvolveWithInterleaveSteps_InfiniteTapAtStride2_ReachesOnlyThePositionsItsTermsLandOn()
    {
        // 1-D along the columns: δ = [1, 2, 3] at stride 2, k = [+Inf, 1] at dilation 1. The definition's
        // out[2u + t] gets δ[u] · k[t] (Eq 5: i = o·s + t·d), so out = [δ0·Inf, δ0·1, δ1·Inf, δ1·1, δ2·Inf, δ2·1]
        // = [+Inf, 1, +Inf, 2, +Inf, 3]; the zeros Interleave inserted, under the infinite tap, would make
        // every other element NaN, as they do when the steps are not given.
        double[,] delta = { { 1, 2, 3 } }, kernel = { { double.PositiveInfinity, 1 } };
        var actual = Plane.FullConvolve(Plane.Interleave(delta, 0, 1), Plane.Rot180(kernel), 0, 1, 0, 0);
        Assert.Equal(new[,] { { double.PositiveInfinity, 1, double.PositiveInfinity, 2, double.PositiveInfinity, 3 } }, actual);
        Assert.Contains(Plane.FullConvolve(Plane.Interleave(delta, 0, 1), Plane.Rot180(kernel)).Cast<double>(), double.IsNaN);
    }

    [Fact]
    public void FullConvolve_InfiniteTapOverThePadding_IsNoTerm()
    {
        // δ = [1, 2], k = [+Inf, 1]: out[o + t] gets δ[o] · k[t], so out = [+Inf, 1 + Inf, 2]. The last element
        // has no term with the infinite tap; ValidCorrelate of the zero-padded δ multiplies it by a padding zero.
        double[,] delta = { { 1, 2 } }, rotated = Plane.Rot180(new[,] { { double.PositiveInfinity, 1 } });
        Assert.Equal(new[,] { { double.PositiveInfinity, double.PositiveInfinity, 2 } }, Plane.FullConvolve(delta, rotated));
        Assert.True(double.IsNaN(Plane.ValidCorrelate(Plane.Pad(delta, 0, 0, 1, 1), rotated)[0, 2]));
    }

    [Fact]
    public void FullConvolveWithInterleaveSteps_InfiniteErrorAtDilation2_MeetsOnlyTheKernelsTaps()
    {
        // δ = [+Inf] against k = [2, -1] at dilation 2 (taps at 0 and 2 of a span of 3): out[t·2] gets δ·k[t],
        // so out = [+Inf, 0, -Inf], the middle a sum of no terms; the dilated kernel's zero would make it NaN.
        double[,] delta = { { double.PositiveInfinity } }, kernel = { { 2, -1 } };
        var actual = Plane.FullConvolve(delta, Plane.Rot180(Plane.Interleave(kernel, 0, 1)), 0, 0, 0, 1);
        Assert.Equal(new[,] { { double.PositiveInfinity, 0, double.NegativeInfinity } }, actual);
    }

    [Fact]
    public void ValidCorrelateWithKernelSteps_WithFiniteValues_IsTheSumOverEveryTapBitForBit()
    {
        // As for FullConvolve: the left-out products are ±0 and the sum starts at +0, so no bit may change.
        var random = new Random(7);
        double Draw() => random.Next(4) switch { 0 => 0.0, 1 => -0.0, _ => random.NextDouble() * 2 - 1 };
        int checkedPlanes = 0;
        for (int trial = 0; trial < 200; trial++)
        {
            int dy = random.Next(0, 3), dx = random.Next(0, 3), sy = random.Next(1, 3), sx = random.Next(1, 3);
            var kernel = Plane.Interleave(Fill(new double[random.Next(1, 4), random.Next(1, 4)], Draw), dy, dx);
            var x = Fill(new double[kernel.GetLength(0) + random.Next(0, 4), kernel.GetLength(1) + random.Next(0, 4)], Draw);
            var expected = Plane.ValidCorrelate(x, kernel, sy, sx);
            var actual = Plane.ValidCorrelate(x, kernel, sy, sx, dy, dx);
            AssertSameBits(expected, actual);
            checkedPlanes++;
        }
        Assert.Equal(200, checkedPlanes);
    }

    [Fact]
    public void ValidCorrelateWithKernelSteps_InfiniteInputUnderAStructuralZero_IsNoTerm()
    {
        // x = [1, +Inf, 3] against k = [2, -1] at dilation 2 (taps at 0 and 2): y = 1·2 + 3·(-1) = -1, the
        // infinite element meeting no tap; the dilated kernel's zero under it would make y NaN.
        double[,] x = { { 1, double.PositiveInfinity, 3 } }, dilated = Plane.Interleave(new double[,] { { 2, -1 } }, 0, 1);
        Assert.Equal(new[,] { { -1.0 } }, Plane.ValidCorrelate(x, dilated, 1, 1, 0, 1));
        Assert.True(double.IsNaN(Plane.ValidCorrelate(x, dilated)[0, 0]));
    }

    [Fact]
    public void ValidCorrelateWithKernelSteps_InfiniteInputBetweenTheErrorsOfAStride2Pass_ReachesNoWeightGradient()
    {
        // Eq 3 at stride 2 along the columns: dJ/dw[t] = Σ_o δ[o] · x[2o + t]. With x = [1, 2, +Inf, 4] and
        // δ = [1, 1] (interleaved [1, 0, 1]), dJ/dw[0] = 1 + Inf = +Inf and dJ/dw[1] = 2 + 4 = 6: for t = 1 the
        // infinity lies under Interleave's zero only, which would make dJ/dw[1] NaN.
        double[,] x = { { 1, 2, double.PositiveInfinity, 4 } }, interleaved = Plane.Interleave(new double[,] { { 1, 1 } }, 0, 1);
        Assert.Equal(new[,] { { double.PositiveInfinity, 6 } }, Plane.ValidCorrelate(x, interleaved, 1, 1, 0, 1));
        Assert.True(double.IsNaN(Plane.ValidCorrelate(x, interleaved)[0, 1]));
    }

    private static void AssertSameBits(double[,] expected, double[,] actual)
    {
        Assert.Equal(expected.GetLength(0), actual.GetLength(0));
        Assert.Equal(expected.GetLength(1), actual.GetLength(1));
        for (int i = 0; i < expected.GetLength(0); i++)
            for (int j = 0; j < expected.GetLength(1); j++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i, j]), BitConverter.DoubleToInt64Bits(actual[i, j]));
    }

    private static double[,] Fill(double[,] plane, Func<double> draw)
    {
        for (int i = 0; i < plane.GetLength(0); i++)
            for (int j = 0; j < plane.GetLength(1); j++)
                plane[i, j] = draw();
        return plane;
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

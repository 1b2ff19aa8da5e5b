using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;
using global::ConvRef.Kernels;

namespace ConvCompare.Tests.ConvRef.Kernels;

/// <summary>
/// The padding of the non-zero modes and its adjoint on their own: the source of every padded position
/// written out from PyTorch's definitions (reflect mirrors at the edge element without repeating it,
/// replicate repeats it, circular wraps), padded tensors of two and three spatial axes written out by
/// hand, and the fold checked as the adjoint of the pad, ⟨Pad(a), g⟩ = ⟨a, Fold(g)⟩, on integers (exact).
/// </summary>
public class BorderTests
{
    public static TheoryData<PaddingMode> Modes => [PaddingMode.Zeros, PaddingMode.Reflect, PaddingMode.Replicate, PaddingMode.Circular];

    /// <summary>Four elements padded by three before and after (reflect allows at most size - 1 = 3): positions -3 .. 6.</summary>
    [Fact]
    public void Sources_OfEachMode_AreThePyTorchPaddingsIndices()
    {
        Assert.Equal([-1, -1, -1, 0, 1, 2, 3, -1, -1, -1], Border.Sources(4, 3, 3, PaddingMode.Zeros));
        Assert.Equal([3, 2, 1, 0, 1, 2, 3, 2, 1, 0], Border.Sources(4, 3, 3, PaddingMode.Reflect));
        Assert.Equal([0, 0, 0, 0, 1, 2, 3, 3, 3, 3], Border.Sources(4, 3, 3, PaddingMode.Replicate));
        Assert.Equal([1, 2, 3, 0, 1, 2, 3, 0, 1, 2], Border.Sources(4, 3, 3, PaddingMode.Circular));
    }

    /// <summary>Asymmetric paddings, one side empty: only the padded side gets border positions.</summary>
    [Fact]
    public void Sources_WithPaddingOnOneSideOnly_AddBorderPositionsOnThatSideOnly()
    {
        Assert.Equal([0, 1, 2, -1, -1], Border.Sources(3, 0, 2, PaddingMode.Zeros));
        Assert.Equal([0, 1, 2, 1, 0], Border.Sources(3, 0, 2, PaddingMode.Reflect));
        Assert.Equal([0, 0, 0, 1, 2], Border.Sources(3, 2, 0, PaddingMode.Replicate));
        Assert.Equal([1, 2, 0, 1, 2], Border.Sources(3, 2, 0, PaddingMode.Circular));
    }

    /// <summary>
    /// A 2 x 3 plane [[1, 2, 3], [4, 5, 6]] of each of two channels (the second + 10), padded by one row
    /// on top and one column on each side in reflect mode: rows (4 5 6 | 1 2 3 | 4 5 6), each row
    /// mirrored at its ends.
    /// </summary>
    [Fact]
    public void Pad_OnTwoSpatialAxes_MirrorsEachAxisOfEveryChannel()
    {
        var input = new Tensor<double>([1, 2, 2, 3], [1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 15, 16]);
        var padded = Border.Pad(input, [1, 1], [0, 1], PaddingMode.Reflect);
        Assert.Equal([1, 2, 3, 5], padded.Shape);
        Assert.Equal(
        [
            5, 4, 5, 6, 5,
            2, 1, 2, 3, 2,
            5, 4, 5, 6, 5,
            15, 14, 15, 16, 15,
            12, 11, 12, 13, 12,
            15, 14, 15, 16, 15,
        ], padded.Data);
    }

    /// <summary>
    /// Two channels of a 2 x 1 x 2 volume (depth 0 [1, 2], depth 1 [3, 4]; the second channel + 10) padded
    /// circularly by one before the depth and one after the width: depth 1 wraps to the front, then each
    /// row wraps its first element to its end, channel by channel.
    /// </summary>
    [Fact]
    public void Pad_OnThreeSpatialAxes_WrapsEachAxisOfEveryChannel()
    {
        var input = new Tensor<double>([1, 2, 2, 1, 2], [1, 2, 3, 4, 11, 12, 13, 14]);
        var padded = Border.Pad(input, [1, 0, 0], [0, 0, 1], PaddingMode.Circular);
        Assert.Equal([1, 2, 3, 1, 3], padded.Shape);
        Assert.Equal([3, 4, 3, 1, 2, 1, 3, 4, 3, 13, 14, 13, 11, 12, 11, 13, 14, 13], padded.Data);
    }

    /// <summary>
    /// For every mode and one, two and three spatial axes with unequal paddings, ⟨Pad(a), g⟩ = ⟨a, Fold(g)⟩
    /// for integer a and g (every product and sum exact), and Fold writes its destination whole,
    /// whatever it held before.
    /// </summary>
    [Theory]
    [MemberData(nameof(Modes))]
    public void Fold_IsTheAdjointOfPad_AndOverwritesItsDestination(PaddingMode mode)
    {
        var random = new TestRandom(20261207);
        foreach (var (shape, before, after) in new (int[] Shape, int[] Before, int[] After)[]
        {
            ([2, 3, 5], [2], [3]),
            ([1, 2, 4, 3], [1, 2], [3, 0]),
            ([2, 1, 3, 2, 4], [0, 1, 2], [2, 1, 3]),
        })
        {
            var a = Integers(random, shape);
            var padded = Border.Pad(a, before, after, mode);
            var g = Integers(random, [.. padded.Shape]);
            var folded = new Tensor<double>(shape, Enumerable.Repeat(double.NaN, a.Length).ToArray());
            Border.Fold(g, before, after, mode, folded);
            double padSide = padded.Data.Zip(g.Data, (p, q) => p * q).Sum();
            double foldSide = a.Data.Zip(folded.Data, (p, q) => p * q).Sum();
            Assert.Equal(padSide, foldSide);
            Assert.Equal(padded.Length, PaddedLength(shape, before, after));
        }
    }

    private static Tensor<double> Integers(TestRandom random, int[] shape)
    {
        var t = Tensor<double>.Zeros(shape);
        for (int i = 0; i < t.Length; i++)
            t.Data[i] = random.Int(-9, 9);
        return t;
    }

    private static int PaddedLength(int[] shape, int[] before, int[] after)
    {
        int first = shape.Length - before.Length, length = 1;
        for (int axis = 0; axis < shape.Length; axis++)
            length *= axis < first ? shape[axis] : before[axis - first] + shape[axis] + after[axis - first];
        return length;
    }
}

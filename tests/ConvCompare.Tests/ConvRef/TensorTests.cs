using global::ConvRef;

namespace ConvCompare.Tests.ConvRef;

/// <summary>The tensor: C order, its shape guards with their sentences, and what is copied and what is shared.</summary>
public class TensorTests
{
    [Fact]
    public void Indexer_ReadsAndWritesInCOrder_LastIndexFastest()
    {
        // Shape 2 x 3 x 4 x 5: [n, c, h, w] is element ((n 3 + c) 4 + h) 5 + w.
        var t = new Tensor<double>([2, 3, 4, 5], [.. Enumerable.Range(0, 120).Select(i => (double)i)]);
        Assert.Equal(73, t[1, 0, 2, 3]);
        Assert.Equal(49, t[0, 2, 1, 4]);
        Assert.Equal(119, t[1, 2, 3, 4]);
        t[0, 1, 3, 2] = -1;
        Assert.Equal(-1, t.Data[37]);
    }

    [Fact]
    public void Constructor_WrapsTheDataButCopiesTheShape()
    {
        int[] shape = [2, 3];
        double[] data = [1, 2, 3, 4, 5, 6];
        var t = new Tensor<double>(shape, data);
        shape[0] = 3;
        data[5] = 60;
        Assert.Equal([2, 3], t.Shape);
        Assert.Same(data, t.Data);
        Assert.Equal(60, t.Data[5]);
        Assert.Equal((2, 6), (t.Rank, t.Length));
    }

    [Fact]
    public void NegativeDimension_IsRejectedNamingTheShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Tensor<float>([2, -1], []));
        Assert.Equal("shape", ex.ParamName);
        Assert.StartsWith("shape [2,-1] has a negative dimension", ex.Message);
    }

    [Fact]
    public void DataOfTheWrongLength_IsRejectedWithBothCounts()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Tensor<float>([2, 3], new float[5]));
        Assert.Equal("data", ex.ParamName);
        Assert.StartsWith("shape [2,3] holds 6 elements but data has 5", ex.Message);
    }

    [Fact]
    public void ZeroSizeDimension_HoldsNoElements()
    {
        var t = new Tensor<float>([4, 0, 5], []);
        Assert.Equal((3, 0), (t.Rank, t.Length));
        Assert.Empty(Tensor<float>.Zeros(0, 3).Data);
    }

    [Fact]
    public void Zeros_HasTheShapeAndOnlyZeros_AndANegativeDimensionIsRejectedNotAllocated()
    {
        var t = Tensor<double>.Zeros(2, 3, 4);
        Assert.Equal([2, 3, 4], t.Shape);
        Assert.Equal(24, t.Length);
        Assert.All(t.Data, v => Assert.Equal(0.0, v));
        var ex = Assert.Throws<ArgumentException>(() => Tensor<double>.Zeros(3, -2));
        Assert.StartsWith("shape [3,-2] has a negative dimension", ex.Message);
    }

    [Fact]
    public void Cast_RoundsEachElementToNearest_IntoANewTensorOfTheSameShape()
    {
        // 1 + 2^-30 is below float32's half ulp at 1 (2^-24), so it rounds to 1; 1 + 3 * 2^-24 lies halfway between
        // 1 + 2^-23 (odd last bit) and 1 + 2^-22 (even) and goes to the even one.
        var t = new Tensor<double>([1, 3], [1 + Math.ScaleB(1, -30), 1 + 3 * Math.ScaleB(1, -24), -2.5]);
        var f = t.Cast<float>();
        Assert.Equal([1, 3], f.Shape);
        Assert.Equal([1f, 1f + MathF.ScaleB(1, -22), -2.5f], f.Data);
        f.Data[2] = 7;
        Assert.Equal(-2.5, t.Data[2]);
    }

    [Fact]
    public void Clone_IsADeepCopy()
    {
        var t = new Tensor<float>([2, 2], [1, 2, 3, 4]);
        var c = t.Clone();
        c.Data[0] = 9;
        Assert.Equal(1, t.Data[0]);
        Assert.NotSame(t.Data, c.Data);
        Assert.Equal(t.Shape, c.Shape);
        Assert.Equal([9f, 2, 3, 4], c.Data);
    }

    [Fact]
    public void ShapeText_IsTheBracketedCommaSeparatedDimensions()
    {
        Assert.Equal("[2,4,3,3]", Tensor<float>.Zeros(2, 4, 3, 3).ShapeText);
        Assert.Equal("[7]", Tensor<float>.Zeros(7).ShapeText);
        Assert.Equal("[]", new Tensor<float>([], [5]).ShapeText);
    }
}

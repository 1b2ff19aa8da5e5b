using System.Numerics;
using System.Runtime.Intrinsics;
using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;
using global::ConvRef.Kernels;

namespace ConvCompare.Tests.ConvRef;

/// <summary>
/// The two implementations agree within the rounding bound on seeded random configurations covering
/// every hyperparameter, in both precisions and at every SIMD width the vectorized one can run. Each
/// width is its own test case; a width this CPU does not accelerate is reported as skipped, with the
/// reason, never silently run at a narrower one.
/// </summary>
public class SerialVsVectorizedTests
{
    private static readonly int[] Widths = [512, 256, 128];

    public static TheoryData<ulong, int> SeedsAndWidths()
    {
        var data = new TheoryData<ulong, int>();
        for (ulong seed = 1; seed <= 40; seed++)
            foreach (int bits in Widths)
                data.Add(seed, bits);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(SeedsAndWidths))]
    public void RandomConfiguration_VectorizedMatchesSerialAtWidth(ulong seed, int bits)
    {
        SkipUnlessAccelerated(bits);
        var c = ConvCase.Random(seed, withActivation: seed % 2 == 0, withClip: seed % 5 == 0);
        AssertAgreeAtWidth<float>(c, bits);
        AssertAgreeAtWidth<double>(c, bits);
    }

    public static TheoryData<int, int, int, int, int, int, int, int, int, int> LargerShapesAndWidths()
    {
        int[][] shapes =
        [
            [1, 30, 8, 8, 3, 3, 1, 1, 1],
            [2, 2, 48, 47, 4, 3, 1, 1, 1],
            [10, 4, 12, 12, 6, 3, 2, 2, 1],
            [1, 2, 5, 5, 260, 1, 1, 1, 1],
            [3, 6, 20, 21, 6, 3, 1, 6, 1],
            [2, 16, 10, 11, 8, 3, 1, 2, 2],
            [2, 9, 9, 12, 5, 2, 2, 1, 3],
            [1, 8, 40, 40, 4, 3, 1, 1, 1],
            [2, 3, 20, 71, 4, 3, 2, 1, 1],
            [4, 8, 9, 10, 8, 3, 2, 8, 1],
            [2, 5, 7, 7, 5, 3, 3, 5, 2],
            [2, 4, 11, 12, 4, 5, 2, 4, 1],
            [3, 20, 14, 14, 20, 3, 1, 20, 1],
        ];
        var data = new TheoryData<int, int, int, int, int, int, int, int, int, int>();
        foreach (var s in shapes)
            foreach (int bits in Widths)
                data.Add(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], bits);
        return data;
    }

    /// <summary>Shapes past the vectorized blocking limits (more than 256 taps, several row chunks per sample, more than 4 slots, more than 256 filters per group), through both dJ/da paths (full convolution, col2im), and depthwise (groups = channels) with strides 1 to 3, dilation and a 5x5 kernel (more than one block of nine taps).</summary>
    [SkippableTheory]
    [MemberData(nameof(LargerShapesAndWidths))]
    public void LargerShapes_VectorizedMatchesSerialAtWidth(int n, int cin, int h, int w, int cout, int k, int stride, int groups, int dilation, int bits)
    {
        SkipUnlessAccelerated(bits);
        var spec = new Conv2dSpec
        {
            StrideH = stride, StrideW = stride, PadTop = 1, PadBottom = 0, PadLeft = 1, PadRight = 2,
            DilationH = dilation, DilationW = dilation, Groups = groups,
        };
        var rng = new TestRandom((ulong)(n * 1000 + cin * 100 + h));
        var geometry = Conv2dGeometry.Create([n, cin, h, w], [cout, cin / groups, k, k], spec);
        double[] Values(int[] shape) => [.. Enumerable.Range(0, shape.Aggregate(1, (p, d) => p * d)).Select(_ => rng.Signed())];
        var c = new ConvCase("large", spec, geometry.InputShape, geometry.WeightShape, true, Values(geometry.InputShape),
            Values(geometry.WeightShape), Values([cout]), Values(geometry.OutputShape), geometry.OutputShape,
            Activation.Identity, null, null);
        AssertAgreeAtWidth<float>(c, bits);
        AssertAgreeAtWidth<double>(c, bits);
    }

    /// <summary>
    /// With stride and dilation 1 the serial version has no structural zeros (interleaved error, dilated
    /// kernel), so both sum exactly the same products and NaN/Inf land in the same places; with three
    /// groups of one channel each the vectorized side takes its depthwise path.
    /// </summary>
    [Theory]
    [InlineData(1, 4)]
    [InlineData(3, 3)]
    public void NonFiniteInput_WithoutStructuralZeros_PropagatesExactlyAsInSerial(int groups, int outChannels)
    {
        var spec = new Conv2dSpec { PadTop = 1, PadRight = 2, Groups = groups };
        var rng = new TestRandom(7);
        double[] Integers(int count) => [.. Enumerable.Range(0, count).Select(_ => (double)rng.Int(-3, 3))];
        var input = new Tensor<double>([2, 3, 7, 9], Integers(2 * 3 * 7 * 9));
        input[0, 1, 2, 8] = double.PositiveInfinity;
        input[1, 2, 6, 0] = double.NaN;
        var weights = new Tensor<double>([outChannels, 3 / groups, 3, 2], Integers(outChannels * 3 / groups * 3 * 2));
        var geometry = Conv2dGeometry.Create(input.Shape, weights.Shape, spec);
        var delta = new Tensor<double>(geometry.OutputShape, Integers(geometry.OutputShape.Aggregate(1, (p, d) => p * d)));

        var serial = Conv2d.Backward(input, weights, true, delta, spec, null, Conv2dAlgorithm.Serial);
        var vectorized = Conv2d.Backward(input, weights, true, delta, spec, null, Conv2dAlgorithm.Vectorized);
        Assert.Contains(serial.Weights.Data, double.IsNaN);
        Assert.Equal(serial.Weights.Data, vectorized.Weights.Data);
        Assert.Equal(serial.Input.Data, vectorized.Input.Data);
        Assert.Equal(Conv2d.Forward(input, weights, null, spec, Conv2dAlgorithm.Serial).Data,
            Conv2d.Forward(input, weights, null, spec, Conv2dAlgorithm.Vectorized).Data);
    }

    [Fact]
    public void Vectorized_IsBitwiseReproducible()
    {
        var c = ConvCase.Random(99);
        Assert.Equal(Conv2dRun.Of<float>(c, Conv2dAlgorithm.Vectorized), Conv2dRun.Of<float>(c, Conv2dAlgorithm.Vectorized), RunComparer.Instance);
    }

    /// <summary>The vectorized engine falls back to the next narrower width the CPU accelerates, so a width it lacks would silently test another one.</summary>
    private static void SkipUnlessAccelerated(int bits)
    {
        bool accelerated = bits switch
        {
            512 => Vector512.IsHardwareAccelerated,
            256 => Vector256.IsHardwareAccelerated,
            _ => true,
        };
        Skip.IfNot(accelerated, $"{bits}-bit vectors are not accelerated on this CPU, so the vectorized engine would run a narrower width");
    }

    private static void AssertAgreeAtWidth<T>(ConvCase c, int bits) where T : unmanaged, IFloatingPointIeee754<T> =>
        Conv2dRun.AssertAgree(Conv2dRun.Of<T>(c, Conv2dAlgorithm.Serial), VectorizedRun<T>(c, bits), AgreementTolerances.For<T>(c), $"{c} {typeof(T).Name} {bits}-bit");

    private static Conv2dRun VectorizedRun<T>(ConvCase c, int bits) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var geometry = Conv2dGeometry.Create(c.InputShape, c.WeightShape, c.Spec);
        var z = Tensor<T>.Zeros(geometry.OutputShape);
        VectorizedConv2d.Forward(geometry, c.InputTensor<T>(), c.WeightTensor<T>(), c.BiasTensor<T>(), z, bits);
        var g = new Conv2dGradients<T>(Tensor<T>.Zeros(geometry.InputShape), Tensor<T>.Zeros(geometry.WeightShape),
            c.HasBias ? Tensor<T>.Zeros(geometry.OutChannels) : null);
        VectorizedConv2d.Backward(geometry, c.InputTensor<T>(), c.WeightTensor<T>(), c.DeltaTensor<T>(), c.Options<T>(), g, bits);
        return new Conv2dRun(Wide(z), Wide(g.Input), Wide(g.Weights), g.Bias is null ? null : Wide(g.Bias));
    }

    private static double[] Wide<T>(Tensor<T> t) where T : unmanaged, IFloatingPointIeee754<T> => [.. t.Data.Select(double.CreateChecked)];

    private sealed class RunComparer : IEqualityComparer<Conv2dRun>
    {
        public static RunComparer Instance { get; } = new();

        public bool Equals(Conv2dRun? x, Conv2dRun? y) => x is not null && y is not null &&
            x.Z.SequenceEqual(y.Z) && x.Input.SequenceEqual(y.Input) && x.Weights.SequenceEqual(y.Weights) &&
            (x.Bias ?? []).SequenceEqual(y.Bias ?? []);

        public int GetHashCode(Conv2dRun obj) => obj.Z.Length;
    }
}

using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;
using global::ConvRef.Kernels;

namespace ConvCompare.Tests.ConvRef.Kernels;

/// <summary>
/// The vectorized passes run at the widest SIMD width the CPU accelerates up to the width asked for.
/// dJ/dw and dJ/db are sums over the output positions taken a vector of positions at a time, so each
/// width adds them in its own order and shows in their last bits on float32 data; every other result
/// sums over taps, each output position in its own lane in the same order at any width, so it has the
/// same bits at every width.
/// </summary>
public class VectorizedWidthTests
{
    /// <summary>Requests that must run at 512, 256 and 128 bits on a CPU that accelerates all three.</summary>
    private static readonly int[][] RequestsByWidth = [[1024, 512], [511, 256], [255, 128, 0]];

    /// <summary>Strided (col2im dJ/da) and stride-1 (full-convolution dJ/da) layers, and a depthwise one.</summary>
    public static TheoryData<int, int> Layers() => new() { { 2, 1 }, { 1, 1 }, { 1, 3 } };

    [SkippableTheory]
    [MemberData(nameof(Layers))]
    public void WeightAndBiasGradients_AreSummedAtTheWidestAcceleratedWidthUpToTheRequest(int stride, int groups)
    {
        Skip.IfNot(Vector512.IsHardwareAccelerated, "512-bit vectors are not accelerated on this CPU, so the three widths cannot all be told apart");
        var (geometry, input, weights, delta) = Layer(stride, groups);
        var backward = RequestsByWidth.Select(requests => requests.Select(bits =>
        {
            var gradients = Gradients(geometry);
            VectorizedConv2d.Backward(geometry, input, weights, delta, BackwardOptions<float>.None, gradients, bits);
            return Bits(gradients.Weights).Concat(Bits(gradients.Bias!)).ToArray();
        }).ToList()).ToList();
        var weightGradients = RequestsByWidth.Select(requests => requests.Select(bits =>
        {
            var gradients = Gradients(geometry);
            VectorizedConv2d.WeightGradients(geometry, input, delta, gradients.Weights, gradients.Bias, bits);
            return Bits(gradients.Weights).Concat(Bits(gradients.Bias!)).ToArray();
        }).ToList()).ToList();

        // Two entry points, one computation: each request gives the same bits through both, so a width
        // chosen wrongly by one of them (the two widths below 512 swapped, say) cannot go unseen.
        for (int width = 0; width < RequestsByWidth.Length; width++)
            for (int request = 0; request < RequestsByWidth[width].Length; request++)
                Assert.True(backward[width][request].SequenceEqual(weightGradients[width][request]),
                    $"request {RequestsByWidth[width][request]}: Backward and WeightGradients gave different dJ/dw or dJ/db bits");
        foreach (var (pass, byWidth) in new[] { ("Backward", backward), ("WeightGradients", weightGradients) })
        {
            for (int width = 0; width < byWidth.Count; width++)
            {
                // The check can fail: each width's dJ/dw and dJ/db differ from the other widths' in the last bits.
                for (int other = width + 1; other < byWidth.Count; other++)
                    Assert.False(byWidth[width][0].SequenceEqual(byWidth[other][0]),
                        $"{pass}: requests {RequestsByWidth[width][0]} and {RequestsByWidth[other][0]} gave the same bits");
                foreach (var result in byWidth[width])
                    Assert.Equal(byWidth[width][0], result);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void OutputAndInputGradient_HaveTheSameBitsAtEveryWidth(int stride, int groups)
    {
        var (geometry, input, weights, delta) = Layer(stride, groups);
        foreach (int bits in RequestsByWidth.SelectMany(r => r))
        {
            var z = Tensor<float>.Zeros(geometry.OutputShape);
            VectorizedConv2d.Forward(geometry, input, weights, null, z, bits);
            var z512 = Tensor<float>.Zeros(geometry.OutputShape);
            VectorizedConv2d.Forward(geometry, input, weights, null, z512);
            Assert.Equal(Bits(z512), Bits(z));

            var da = Tensor<float>.Zeros(geometry.InputShape);
            VectorizedConv2d.InputGradient(geometry, weights, delta, da, bits);
            var gradients = Gradients(geometry);
            VectorizedConv2d.Backward(geometry, input, weights, delta, BackwardOptions<float>.None, gradients);
            Assert.Equal(Bits(gradients.Input), Bits(da));
        }
    }

    private static (Conv2dGeometry Geometry, Tensor<float> Input, Tensor<float> Weights, Tensor<float> Delta) Layer(int stride, int groups)
    {
        var spec = new Conv2dSpec { StrideH = stride, StrideW = stride, PadTop = 1, PadBottom = 1, PadLeft = 1, PadRight = 1, Groups = groups };
        var input = Values(1, 2, 3, 11, 13);
        var weights = Values(2, groups == 1 ? 4 : 3, 3 / groups, 3, 3);
        var geometry = Conv2dGeometry.Create(input.Shape, weights.Shape, spec);
        return (geometry, input, weights, Values(3, geometry.OutputShape));
    }

    private static Conv2dGradients<float> Gradients(Conv2dGeometry geometry) =>
        new(Tensor<float>.Zeros(geometry.InputShape), Tensor<float>.Zeros(geometry.WeightShape), Tensor<float>.Zeros(geometry.OutChannels));

    /// <summary>Float32 values on a 2^-20 grid: sums of a few hundred of their products round, so the order of a sum shows in its bits.</summary>
    private static Tensor<float> Values(ulong seed, params int[] shape)
    {
        var random = new TestRandom(seed);
        var t = Tensor<float>.Zeros(shape);
        for (int i = 0; i < t.Length; i++)
            t.Data[i] = (float)random.Signed();
        return t;
    }

    private static int[] Bits(Tensor<float> t) => MemoryMarshal.Cast<float, int>(t.Data.AsSpan()).ToArray();
}

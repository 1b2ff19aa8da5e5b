using System.Runtime.InteropServices;
using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;
using global::ConvRef.Kernels;

namespace ConvCompare.Tests.ConvRef.Layers;

/// <summary>
/// The entry points hand the work to the implementation the caller named, with the caller's thread
/// limit: the serial and vectorized results are told apart by their bits (they sum in different orders),
/// and the threads by counting the items of the parallel loops.
/// </summary>
public class EntryPointDispatchTests
{
    private static readonly Conv2dSpec Spec = new() { PadTop = 1, PadBottom = 1, PadLeft = 1, PadRight = 1 };

    /// <summary>Float32 values on a 2^-20 grid: a sum of 36 of their products rounds, so the summation order shows in the bits.</summary>
    private static Tensor<float> Values(ulong seed, params int[] shape)
    {
        var random = new TestRandom(seed);
        var t = Tensor<float>.Zeros(shape);
        for (int i = 0; i < t.Length; i++)
            t.Data[i] = (float)random.Signed();
        return t;
    }

    [Fact]
    public void EachAlgorithm_IsComputedByItsOwnKernels_BitForBit()
    {
        var input = Values(1, 2, 4, 9, 9);
        var weights = Values(2, 5, 4, 3, 3);
        var bias = Values(3, 5);
        var delta = Values(4, 2, 5, 9, 9);
        var geometry = Conv2dGeometry.Create(input.Shape, weights.Shape, Spec);

        var serial = Tensor<float>.Zeros(2, 5, 9, 9);
        SerialConv2d.Forward(geometry, input, weights, bias, serial);
        var vectorized = Tensor<float>.Zeros(2, 5, 9, 9);
        VectorizedConv2d.Forward(geometry, input, weights, bias, vectorized);
        var serialGradients = Gradients();
        SerialConv2d.Backward(geometry, input, weights, delta, BackwardOptions<float>.None, serialGradients);
        var vectorizedGradients = Gradients();
        VectorizedConv2d.Backward(geometry, input, weights, delta, BackwardOptions<float>.None, vectorizedGradients);
        // The check can fail: the two implementations differ in the last bits of these results.
        Assert.False(Bits(serial).SequenceEqual(Bits(vectorized)), "z: the serial and vectorized results are bitwise equal, so they cannot tell the algorithms apart");
        Assert.False(Bits(serialGradients.Input).SequenceEqual(Bits(vectorizedGradients.Input)), "dJ/da: the serial and vectorized results are bitwise equal");
        Assert.False(Bits(serialGradients.Weights).SequenceEqual(Bits(vectorizedGradients.Weights)), "dJ/dw: the serial and vectorized results are bitwise equal");

        foreach (var (algorithm, z, g) in new[] { (Conv2dAlgorithm.Serial, serial, serialGradients), (Conv2dAlgorithm.Vectorized, vectorized, vectorizedGradients) })
        {
            Assert.Equal(Bits(z), Bits(Conv2d.Forward(input, weights, bias, Spec, algorithm)));
            var into = Tensor<float>.Zeros(2, 5, 9, 9);
            Conv2d.ForwardInto(input, weights, bias, Spec, into, algorithm);
            Assert.Equal(Bits(z), Bits(into));

            var backward = Conv2d.Backward(input, weights, true, delta, Spec, null, algorithm);
            var backwardInto = Gradients();
            Conv2d.BackwardInto(input, weights, delta, Spec, backwardInto, null, algorithm);
            foreach (var actual in new[] { backward, backwardInto })
            {
                Assert.Equal(Bits(g.Input), Bits(actual.Input));
                Assert.Equal(Bits(g.Weights), Bits(actual.Weights));
                Assert.Equal(Bits(g.Bias!), Bits(actual.Bias!));
            }
        }

        static Conv2dGradients<float> Gradients() =>
            new(Tensor<float>.Zeros(2, 4, 9, 9), Tensor<float>.Zeros(5, 4, 3, 3), Tensor<float>.Zeros(5));
    }

    public static TheoryData<string> Passes() =>
    [
        "conv2d forward", "conv2d forward into", "conv2d backward", "conv2d backward into", "conv2d double backward",
        "family forward", "family backward", "family double backward",
    ];

    [Theory]
    [MemberData(nameof(Passes))]
    public void MaxThreadsOfOne_KeepsThePassOnTheCallingThread_WhileTwoLetItRunInParallel(string pass)
    {
        Assert.True(Environment.ProcessorCount >= 2, "this machine has one processor: no thread count above 1 can be checked");
        // Large enough that the vectorized loops go parallel when allowed (about 19 million multiply-adds a pass).
        var input = Values(5, 2, 16, 32, 32);
        var weights = Values(6, 32, 16, 3, 3);
        var delta = Values(7, 2, 32, 32, 32);
        var upstream = new Conv2dGradients<float>(Values(8, 2, 16, 32, 32), Values(9, 32, 16, 3, 3), null);
        var family = new ConvSpec { Padding = ConvPadding.Of(1, 1) };

        Assert.Empty(ParallelItems(1));
        Assert.NotEmpty(ParallelItems(2));

        List<int> ParallelItems(int maxThreads)
        {
            var limits = new Conv2dLimits { MaxThreads = maxThreads };
            var items = new List<int>();
            Parallelism.ParallelItemObserver.Value = id => { lock (items) items.Add(id); };
            try
            {
                Action run = pass switch
                {
                    "conv2d forward" => () => Conv2d.Forward(input, weights, null, Spec, Conv2dAlgorithm.Vectorized, limits),
                    "conv2d forward into" => () => Conv2d.ForwardInto(input, weights, null, Spec, Tensor<float>.Zeros(2, 32, 32, 32), Conv2dAlgorithm.Vectorized, limits),
                    "conv2d backward" => () => Conv2d.Backward(input, weights, false, delta, Spec, null, Conv2dAlgorithm.Vectorized, limits),
                    "conv2d backward into" => () => Conv2d.BackwardInto(input, weights, delta, Spec,
                        new Conv2dGradients<float>(Tensor<float>.Zeros(2, 16, 32, 32), Tensor<float>.Zeros(32, 16, 3, 3), null), null, Conv2dAlgorithm.Vectorized, limits),
                    "conv2d double backward" => () => Conv2d.DoubleBackward(input, weights, delta, upstream, Spec, null, Conv2dAlgorithm.Vectorized, limits),
                    "family forward" => () => Convolution.Conv2d.Forward(input, weights, null, family, Conv2dAlgorithm.Vectorized, limits),
                    "family backward" => () => Convolution.Conv2d.Backward(input, weights, false, delta, family, null, Conv2dAlgorithm.Vectorized, limits),
                    "family double backward" => () => Convolution.Conv2d.DoubleBackward(input, weights, delta, upstream, family, null, Conv2dAlgorithm.Vectorized, limits),
                    _ => throw new ArgumentOutOfRangeException(nameof(pass), pass, "no such pass"),
                };
                run();
            }
            finally
            {
                Parallelism.ParallelItemObserver.Value = null;
            }
            return items;
        }
    }

    private static readonly ConvSpec TransposedSpec = new() { Padding = ConvPadding.Of(1, 1) };

    /// <summary>
    /// The transposed convolution reaches the 2-D engine through its dJ/da-only and dJ/dw-only passes,
    /// which the convolution never calls: each runs the kernels of the algorithm the caller named, so each
    /// transposed pass equals the convolution's full backward pass of the same algorithm bit for bit.
    /// </summary>
    [Fact]
    public void TransposedPasses_RunTheNamedAlgorithm_BitForBit()
    {
        var a = Values(1, 2, 4, 9, 9);
        var w = Values(2, 5, 4, 3, 3);
        var x = Values(3, 2, 5, 9, 9);
        var serial = Convolution.Conv2d.Backward(a, w, false, x, TransposedSpec, null, Conv2dAlgorithm.Serial);
        var vectorized = Convolution.Conv2d.Backward(a, w, false, x, TransposedSpec, null, Conv2dAlgorithm.Vectorized);
        // The check can fail: the two algorithms differ in the last bits of both gradients.
        Assert.False(Bits(serial.Input).SequenceEqual(Bits(vectorized.Input)), "dJ/da: serial and vectorized are bitwise equal");
        Assert.False(Bits(serial.Weights).SequenceEqual(Bits(vectorized.Weights)), "dJ/dw: serial and vectorized are bitwise equal");

        foreach (var (algorithm, expected) in new[] { (Conv2dAlgorithm.Serial, serial), (Conv2dAlgorithm.Vectorized, vectorized) })
        {
            // The transposed forward pass is the convolution's dJ/da with x as the error (Eq 5/8).
            Assert.Equal(Bits(expected.Input), Bits(Convolution.ConvTranspose2d.Forward(x, w, null, TransposedSpec, algorithm)));
            // Its dJ/dw correlates its error (here a) with x: the convolution's dJ/dw of a with error x (Eq 7).
            Assert.Equal(Bits(expected.Weights), Bits(Convolution.ConvTranspose2d.Backward(x, w, false, a, TransposedSpec, null, algorithm).Weights));
        }
    }

    private static byte[] Bits(Tensor<float> t) => MemoryMarshal.AsBytes(t.Data.AsSpan()).ToArray();
}

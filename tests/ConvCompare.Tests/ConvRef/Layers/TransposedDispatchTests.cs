using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Layers;

/// <summary>
/// The transposed convolution's passes reach the 2-D engine through its dJ/da-only and dJ/dw-only
/// passes, which the convolution never calls: each must run the kernels of the algorithm the caller
/// named. They are told apart by bits: on float32 data on a 2^-20 grid the serial and vectorized sums
/// round differently, and each transposed pass equals the convolution's full backward pass of the same
/// algorithm bit for bit.
/// </summary>
public class TransposedDispatchTests
{
    private static readonly ConvSpec Spec = new() { Padding = ConvPadding.Of(1, 1) };

    private static Tensor<float> Values(ulong seed, params int[] shape)
    {
        var random = new TestRandom(seed);
        var t = Tensor<float>.Zeros(shape);
        for (int i = 0; i < t.Length; i++)
            t.Data[i] = (float)random.Signed();
        return t;
    }

    [Fact]
    public void TransposedPasses_RunTheNamedAlgorithm_BitForBit()
    {
        var a = Values(1, 2, 4, 9, 9);
        var w = Values(2, 5, 4, 3, 3);
        var x = Values(3, 2, 5, 9, 9);
        var serial = Convolution.Conv2d.Backward(a, w, false, x, Spec, null, Conv2dAlgorithm.Serial);
        var vectorized = Convolution.Conv2d.Backward(a, w, false, x, Spec, null, Conv2dAlgorithm.Vectorized);
        // The check can fail: the two algorithms differ in the last bits of both gradients.
        Assert.False(Bits(serial.Input).SequenceEqual(Bits(vectorized.Input)), "dJ/da: serial and vectorized are bitwise equal");
        Assert.False(Bits(serial.Weights).SequenceEqual(Bits(vectorized.Weights)), "dJ/dw: serial and vectorized are bitwise equal");

        foreach (var (algorithm, expected) in new[] { (Conv2dAlgorithm.Serial, serial), (Conv2dAlgorithm.Vectorized, vectorized) })
        {
            // The transposed forward pass is the convolution's dJ/da with x as the error (Eq 5/8).
            Assert.Equal(Bits(expected.Input), Bits(Convolution.ConvTranspose2d.Forward(x, w, null, Spec, algorithm)));
            // Its dJ/dw correlates its error (here a) with x: the convolution's dJ/dw of a with error x (Eq 7).
            Assert.Equal(Bits(expected.Weights), Bits(Convolution.ConvTranspose2d.Backward(x, w, false, a, Spec, null, algorithm).Weights));
        }
    }

    private static int[] Bits(Tensor<float> t) => [.. t.Data.Select(BitConverter.SingleToInt32Bits)];
}

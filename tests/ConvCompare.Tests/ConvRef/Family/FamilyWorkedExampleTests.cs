using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Family;

/// <summary>
/// Small cases whose every sum is written out by hand from the definitions (no loop, no call into the
/// code under test), with integers so the comparisons are exact: a transposed 1-D convolution with
/// stride, output padding and padding, and a 1-D convolution in each padding mode, whose border
/// gradient folds back onto the input.
/// </summary>
public class FamilyWorkedExampleTests
{
    public static TheoryData<Conv2dAlgorithm> Algorithms => [Conv2dAlgorithm.Serial, Conv2dAlgorithm.Vectorized];

    private static readonly double[] X = [1, 2];
    private static readonly double[] W = [1, -1, 3];
    private static readonly double[] D = [2, -1, 4, 1, -3, 5];

    /// <summary>
    /// y[o] = Σ_i x[i]·w[o - 2i] for stride 2 (Eq 8 read forwards: x interleaved with one zero, fully
    /// convolved with Rot180(w)): y = [x0w0, x0w1, x0w2 + x1w0, x1w1, x1w2] = [1, -1, 5, -2, 6]; output_padding 1
    /// adds y5 = 0 (+b); padding 1 crops one from each end.
    /// </summary>
    [Theory]
    [MemberData(nameof(Algorithms))]
    public void ConvTranspose1d_StrideTwo_IsTheInterleavedFullConvolutionWrittenOut(Conv2dAlgorithm algorithm)
    {
        double x0 = X[0], x1 = X[1], w0 = W[0], w1 = W[1], w2 = W[2];
        double[] full = [x0 * w0, x0 * w1, x0 * w2 + x1 * w0, x1 * w1, x1 * w2];
        var op = Convolution.ConvTranspose1d;
        var x = new Tensor<double>([1, 1, 2], X);
        var w = new Tensor<double>([1, 1, 3], W);
        Assert.Equal(full, op.Forward(x, w, null, new ConvSpec { Stride = [2] }, algorithm).Data);
        Assert.Equal([.. full, 0], op.Forward(x, w, null, new ConvSpec { Stride = [2], OutputPadding = [1] }, algorithm).Data);
        Assert.Equal(full[1..4], op.Forward(x, w, null, new ConvSpec { Stride = [2], Padding = ConvPadding.Of(1) }, algorithm).Data);
        Assert.Equal([.. full.Select(v => v + 10), 10], op.Forward(x, w, new Tensor<double>([1], [10.0]), new ConvSpec { Stride = [2], OutputPadding = [1] }, algorithm).Data);
    }

    /// <summary>
    /// With output_padding 1, δ has six entries and δ5 reaches no x: dJ/dx_i = Σ_k δ[2i + k]·w_k (Eq 1 on δ),
    /// dJ/dw_k = Σ_i x_i·δ[2i + k] (Eq 7 with the roles swapped), dJ/db = Σ δ (Eq 9, δ5 included).
    /// </summary>
    [Theory]
    [MemberData(nameof(Algorithms))]
    public void ConvTranspose1d_Backward_IsEq1AndTheSwappedEq7WrittenOut(Conv2dAlgorithm algorithm)
    {
        double x0 = X[0], x1 = X[1], w0 = W[0], w1 = W[1], w2 = W[2];
        double d0 = D[0], d1 = D[1], d2 = D[2], d3 = D[3], d4 = D[4], d5 = D[5];
        var g = Convolution.ConvTranspose1d.Backward(new Tensor<double>([1, 1, 2], X), new Tensor<double>([1, 1, 3], W), true,
            new Tensor<double>([1, 1, 6], D), new ConvSpec { Stride = [2], OutputPadding = [1] }, null, algorithm);
        Assert.Equal([d0 * w0 + d1 * w1 + d2 * w2, d2 * w0 + d3 * w1 + d4 * w2], g.Input.Data);
        Assert.Equal([x0 * d0 + x1 * d2, x0 * d1 + x1 * d3, x0 * d2 + x1 * d4], g.Weights.Data);
        Assert.Equal([d0 + d1 + d2 + d3 + d4 + d5], g.Bias!.Data);
    }

    /// <summary>
    /// a = [a0, a1, a2] padded by 1 on both sides with the 3-tap kernel w: reflect gives [a1 | a0 a1 a2 | a1],
    /// replicate [a0 | a0 a1 a2 | a2], circular [a2 | a0 a1 a2 | a0], zeros [0 | a0 a1 a2 | 0]. z_j = Σ_k p[j + k]·w_k,
    /// and dJ/da_i collects δ_j·w_k from every padded position p[j + k] that is a copy of a_i.
    /// </summary>
    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Conv1d_EachPaddingMode_IsThePaddedSumsAndTheFoldedBorderWrittenOut(Conv2dAlgorithm algorithm)
    {
        double a0 = 3, a1 = -1, a2 = 2, w0 = 1, w1 = -2, w2 = 4, d0 = 5, d1 = -3, d2 = 2;
        var cases = new (PaddingMode Mode, double[] Z, double[] Da)[]
        {
            (PaddingMode.Zeros,
                [a0 * w1 + a1 * w2, a0 * w0 + a1 * w1 + a2 * w2, a1 * w0 + a2 * w1],
                [d0 * w1 + d1 * w0, d0 * w2 + d1 * w1 + d2 * w0, d1 * w2 + d2 * w1]),
            (PaddingMode.Reflect,
                [a1 * w0 + a0 * w1 + a1 * w2, a0 * w0 + a1 * w1 + a2 * w2, a1 * w0 + a2 * w1 + a1 * w2],
                [d0 * w1 + d1 * w0, d0 * w0 + d0 * w2 + d1 * w1 + d2 * w0 + d2 * w2, d1 * w2 + d2 * w1]),
            (PaddingMode.Replicate,
                [a0 * w0 + a0 * w1 + a1 * w2, a0 * w0 + a1 * w1 + a2 * w2, a1 * w0 + a2 * w1 + a2 * w2],
                [d0 * w0 + d0 * w1 + d1 * w0, d0 * w2 + d1 * w1 + d2 * w0, d1 * w2 + d2 * w1 + d2 * w2]),
            (PaddingMode.Circular,
                [a2 * w0 + a0 * w1 + a1 * w2, a0 * w0 + a1 * w1 + a2 * w2, a1 * w0 + a2 * w1 + a0 * w2],
                [d0 * w1 + d1 * w0 + d2 * w2, d0 * w2 + d1 * w1 + d2 * w0, d0 * w0 + d1 * w2 + d2 * w1]),
        };
        foreach (var (mode, z, da) in cases)
        {
            var spec = new ConvSpec { Padding = ConvPadding.Of(1), PaddingMode = mode };
            var a = new Tensor<double>([1, 3], [a0, a1, a2]);
            var w = new Tensor<double>([1, 1, 3], [w0, w1, w2]);
            Assert.Equal(z, Convolution.Conv1d.Forward(a, w, null, spec, algorithm).Data);
            var g = Convolution.Conv1d.Backward(a, w, false, new Tensor<double>([1, 3], [d0, d1, d2]), spec, null, algorithm);
            Assert.Equal(da, g.Input.Data);
        }
    }

    /// <summary>padding='same' with an even kernel (k = 4, dilation 1) pads 1 before and 2 after, PyTorch's rule: z_j = Σ_k a[j + k - 1]·w_k.</summary>
    [Theory]
    [MemberData(nameof(Algorithms))]
    public void SamePaddingWithAnEvenKernel_PutsTheExtraAfter(Conv2dAlgorithm algorithm)
    {
        double a0 = 1, a1 = 2, a2 = -3, w0 = 2, w1 = 1, w2 = -1, w3 = 3;
        var z = Convolution.Conv1d.Forward(new Tensor<double>([1, 1, 3], [a0, a1, a2]), new Tensor<double>([1, 1, 4], [w0, w1, w2, w3]), null,
            new ConvSpec { Padding = ConvPadding.Same }, algorithm);
        Assert.Equal([a0 * w1 + a1 * w2 + a2 * w3, a0 * w0 + a1 * w1 + a2 * w2, a1 * w0 + a2 * w1], z.Data);
    }
}

using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Layers;

/// <summary>
/// With clipping, the double backward counts gg_w where -c ≤ dJ/dw ≤ c: the clamp's derivative is 1 on
/// the closed interval, its ends included (as PyTorch's clamp takes it), and 0 outside.
/// </summary>
public class DoubleBackwardClipBoundaryTests
{
    // 1 x 1 x 2 x 2 input of ones, two 1 x 1 filters, delta one at the first position of each output
    // channel (-1 and +1): dJ/dw = [-1, +1] exactly, on both ends of [-1, 1].
    private static readonly Tensor<double> Input = new([1, 1, 2, 2], [1, 1, 1, 1]);
    private static readonly Tensor<double> Weights = new([2, 1, 1, 1], [0.5, 0.25]);
    private static readonly Tensor<double> Delta = new([1, 2, 2, 2], [-1, 0, 0, 0, 1, 0, 0, 0]);

    public static TheoryData<Conv2dAlgorithm, bool> Engines() => new()
    {
        { Conv2dAlgorithm.Serial, false }, { Conv2dAlgorithm.Vectorized, false },
        { Conv2dAlgorithm.Serial, true }, { Conv2dAlgorithm.Vectorized, true },
    };

    [Theory]
    [MemberData(nameof(Engines))]
    public void WeightGradientsExactlyAtMinusAndPlusTheClipValue_LetTheUpstreamGradientThrough(Conv2dAlgorithm algorithm, bool family)
    {
        // gg_w = [2, 3], gg_a = 0: dL/da = Σ_k δ_k ĝ_w[k] = -1·2 + 1·3 at the first position; dL/dδ_k = a ĝ_w[k].
        var result = Run(1.0, algorithm, family);
        Assert.Equal([1, 0, 0, 0], result.Input.Data);
        Assert.Equal([2, 2, 2, 2, 3, 3, 3, 3], result.Delta.Data);
        Assert.Equal([0, 0], result.Weights.Data);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void WeightGradientsJustOutsideTheClipValue_StopTheUpstreamGradient(Conv2dAlgorithm algorithm, bool family)
    {
        var result = Run(1 - Math.Pow(2, -20), algorithm, family);
        Assert.Equal([0, 0, 0, 0], result.Input.Data);
        Assert.Equal(new double[8], result.Delta.Data);
    }

    private static Conv2dSecondOrderGradients<double> Run(double clip, Conv2dAlgorithm algorithm, bool family)
    {
        var upstream = new Conv2dGradients<double>(Tensor<double>.Zeros(1, 1, 2, 2), new([2, 1, 1, 1], [2, 3]), null);
        var options = new BackwardOptions<double> { ClipValue = clip };
        return family
            ? Convolution.Conv2d.DoubleBackward(Input, Weights, Delta, upstream, ConvSpec.Default, options, algorithm)
            : Conv2d.DoubleBackward(Input, Weights, Delta, upstream, Conv2dSpec.Default, options, algorithm);
    }
}

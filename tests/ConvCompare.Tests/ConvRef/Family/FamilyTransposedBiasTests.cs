using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Family;

/// <summary>
/// The transposed convolution adds its bias and sums its bias gradient itself (the adjoint pass it runs
/// has none): a 1x1 kernel over two samples of two output channels, every sum written out by hand with
/// small integers (exact), so each channel's bias and each sample's error are seen to land where they belong.
/// </summary>
public class FamilyTransposedBiasTests
{
    public static TheoryData<Conv2dAlgorithm> Algorithms => [Conv2dAlgorithm.Serial, Conv2dAlgorithm.Vectorized];

    private static readonly Tensor<double> X = new([2, 1, 3], [1, 2, 3, -1, 4, 2]);
    private static readonly Tensor<double> W = new([1, 2, 1], [2, -3]);
    private static readonly double[] D = [1, 0, 2, -2, 1, 3, 4, -1, 0, 5, 2, -3];

    /// <summary>y[n, o, i] = x[n, 0, i]·w[0, o] + b[o] with b = [10, 20].</summary>
    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Forward_AddsEachOutputChannelsBiasToEverySample(Conv2dAlgorithm algorithm)
    {
        var y = Convolution.ConvTranspose1d.Forward(X, W, new Tensor<double>([2], [10.0, 20.0]), ConvSpec.Default, algorithm);
        Assert.Equal([2, 2, 3], y.Shape);
        Assert.Equal(
        [
            1 * 2 + 10, 2 * 2 + 10, 3 * 2 + 10, 1 * -3 + 20, 2 * -3 + 20, 3 * -3 + 20,
            -1 * 2 + 10, 4 * 2 + 10, 2 * 2 + 10, -1 * -3 + 20, 4 * -3 + 20, 2 * -3 + 20,
        ], y.Data);
    }

    /// <summary>dJ/db[o] = Σ_n Σ_i δ[n, o, i] (Eq 9), dJ/dx[n, 0, i] = Σ_o δ[n, o, i]·w[0, o], dJ/dw[0, o] = Σ_n Σ_i x[n, 0, i]·δ[n, o, i].</summary>
    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Backward_SumsEachOutputChannelsErrorOverTheBatch(Conv2dAlgorithm algorithm)
    {
        var g = Convolution.ConvTranspose1d.Backward(X, W, true, new Tensor<double>([2, 2, 3], D), ConvSpec.Default, null, algorithm);
        Assert.Equal([(1 + 0 + 2) + (4 - 1 + 0), (-2 + 1 + 3) + (5 + 2 - 3)], g.Bias!.Data);
        Assert.Equal([1 * 2 - 2 * -3, 0 * 2 + 1 * -3, 2 * 2 + 3 * -3, 4 * 2 + 5 * -3, -1 * 2 + 2 * -3, 0 * 2 - 3 * -3], g.Input.Data);
        Assert.Equal([(1 * 1 + 2 * 0 + 3 * 2) + (-1 * 4 + 4 * -1 + 2 * 0), (1 * -2 + 2 * 1 + 3 * 3) + (-1 * 5 + 4 * 2 + 2 * -3)], g.Weights.Data);
    }
}

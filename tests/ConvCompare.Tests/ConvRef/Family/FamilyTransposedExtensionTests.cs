using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Family;

/// <summary>
/// A transposed convolution whose output padding reaches the stride (allowed when below the dilation):
/// stride 1, dilation 2, kernel 2, output padding 1 on x = [x0, x1] gives y of (2 - 1)·1 + 2·(2 - 1) + 1 + 1 = 5
/// elements, y[o] = Σ x[i]·w[k] over o = i + 2k, so y = [x0w0, x1w0, x0w1, x1w1, 0]; its adjoint
/// convolution sees x extended by floor(1 / 1) = 1 zero. Every sum written out with small integers
/// (exact), along the width of a 1-D and of a 2-D convolution (height 1, nothing extended along it).
/// </summary>
public class FamilyTransposedExtensionTests
{
    public static TheoryData<Conv2dAlgorithm, int> AlgorithmsAndRanks => new()
    {
        { Conv2dAlgorithm.Serial, 1 }, { Conv2dAlgorithm.Vectorized, 1 }, { Conv2dAlgorithm.Serial, 2 }, { Conv2dAlgorithm.Vectorized, 2 },
    };

    private const double X0 = 3, X1 = -2, W0 = 2, W1 = 5;
    private static readonly double[] D = [1, -3, 4, 2, 7];

    [Theory]
    [MemberData(nameof(AlgorithmsAndRanks))]
    public void Forward_IsTheDilatedSumsWithTheOutputPaddingsZero(Conv2dAlgorithm algorithm, int rank)
    {
        var (op, spec) = Case(rank);
        var y = op.Forward(Shaped(rank, [X0, X1]), Shaped(rank, [W0, W1]), null, spec, algorithm);
        Assert.Equal([X0 * W0, X1 * W0, X0 * W1, X1 * W1, 0], y.Data);
        Assert.Equal(5, y.Shape[^1]);
    }

    /// <summary>dJ/dx[i] = Σ_k δ[i + 2k]·w[k], dJ/dw[k] = Σ_i x[i]·δ[i + 2k], dJ/db = Σ δ (δ4, which no x reaches, included).</summary>
    [Theory]
    [MemberData(nameof(AlgorithmsAndRanks))]
    public void Backward_ReadsTheErrorThroughTheExtension(Conv2dAlgorithm algorithm, int rank)
    {
        var (op, spec) = Case(rank);
        var g = op.Backward(Shaped(rank, [X0, X1]), Shaped(rank, [W0, W1]), true, Shaped(rank, D), spec, null, algorithm);
        Assert.Equal([D[0] * W0 + D[2] * W1, D[1] * W0 + D[3] * W1], g.Input.Data);
        Assert.Equal([X0 * D[0] + X1 * D[1], X0 * D[2] + X1 * D[3]], g.Weights.Data);
        Assert.Equal([D[0] + D[1] + D[2] + D[3] + D[4]], g.Bias!.Data);
    }

    private static (Convolution Op, ConvSpec Spec) Case(int rank) => rank == 1
        ? (Convolution.ConvTranspose1d, new ConvSpec { Dilation = [2], OutputPadding = [1] })
        : (Convolution.ConvTranspose2d, new ConvSpec { Dilation = [1, 2], OutputPadding = [0, 1] });

    /// <summary>One sample, one channel, the values along the width (height 1 in 2-D).</summary>
    private static Tensor<double> Shaped(int rank, double[] values) =>
        new(rank == 1 ? [1, 1, values.Length] : [1, 1, 1, values.Length], values);
}

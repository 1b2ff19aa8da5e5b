using global::ConvRef;

namespace ConvCompare.Tests.ConvRef;

/// <summary>Rows and columns a strided forward pass never reads get exactly zero gradient.</summary>
public class StrideCoverageTests
{
    [Theory]
    [InlineData(Conv2dAlgorithm.Serial)]
    [InlineData(Conv2dAlgorithm.Vectorized)]
    public void StrideThatDoesNotDivideInput_LeavesUncoveredRowsWithZeroGradient(Conv2dAlgorithm algorithm)
    {
        // 6 x 8 input, 3 x 3 kernel, stride 2: OutH = 2 reads rows 0..4, OutW = 3 reads columns 0..6.
        var spec = new Conv2dSpec { StrideH = 2, StrideW = 2 };
        var input = new Tensor<double>([1, 2, 6, 8], [.. Enumerable.Range(0, 96).Select(i => 1.0 + i % 5)]);
        var weights = new Tensor<double>([3, 2, 3, 3], [.. Enumerable.Range(0, 54).Select(i => 1.0 + i % 4)]);
        var delta = new Tensor<double>([1, 3, 2, 3], [.. Enumerable.Range(0, 18).Select(i => 1.0 + i % 3)]);

        var gradient = Conv2d.Backward(input, weights, false, delta, spec, null, algorithm).Input;

        for (int c = 0; c < 2; c++)
            for (int i = 0; i < 6; i++)
                for (int j = 0; j < 8; j++)
                {
                    bool covered = i < 5 && j < 7;
                    if (covered)
                        Assert.True(gradient[0, c, i, j] > 0, $"covered position [{c},{i},{j}] has gradient {gradient[0, c, i, j]}");
                    else
                        Assert.Equal(0.0, gradient[0, c, i, j]);
                }
    }

    /// <summary>
    /// The depthwise path joins dJ/da back from a phase layout of the whole plane: the rows and columns
    /// below and right of the covered ones (here with padding at the top and left) are in it and stay zero.
    /// </summary>
    [Theory]
    [InlineData(Conv2dAlgorithm.Serial)]
    [InlineData(Conv2dAlgorithm.Vectorized)]
    public void DepthwiseStrideThatDoesNotDivideInput_LeavesUncoveredRowsWithZeroGradient(Conv2dAlgorithm algorithm)
    {
        // 7 x 9 input padded 1 above and left, 3 x 3 kernel, stride 2: OutH = 3 reads padded rows 0..6
        // (input rows 0..5), OutW = 4 reads padded columns 0..8 (input columns 0..7).
        var spec = new Conv2dSpec { StrideH = 2, StrideW = 2, PadTop = 1, PadLeft = 1, Groups = 2 };
        var input = new Tensor<double>([1, 2, 7, 9], [.. Enumerable.Range(0, 126).Select(i => 1.0 + i % 5)]);
        var weights = new Tensor<double>([2, 1, 3, 3], [.. Enumerable.Range(0, 18).Select(i => 1.0 + i % 4)]);
        var delta = new Tensor<double>([1, 2, 3, 4], [.. Enumerable.Range(0, 24).Select(i => 1.0 + i % 3)]);

        var gradient = Conv2d.Backward(input, weights, false, delta, spec, null, algorithm).Input;

        for (int c = 0; c < 2; c++)
            for (int i = 0; i < 7; i++)
                for (int j = 0; j < 9; j++)
                {
                    bool covered = i < 6 && j < 8;
                    if (covered)
                        Assert.True(gradient[0, c, i, j] > 0, $"covered position [{c},{i},{j}] has gradient {gradient[0, c, i, j]}");
                    else
                        Assert.Equal(0.0, gradient[0, c, i, j]);
                }
    }

    /// <summary>
    /// Every input row of every small depthwise layer (heights 1 to 9, kernels 1 to 4 rows, strides 1 to 4 (at stride 1 with padding wider than the kernel the path scatters too),
    /// dilations 1 to 3, padding 0 to 2 above and below) lies inside the phase layout the vectorized path
    /// joins dJ/da from (its Debug.Assert would throw otherwise), and dJ/da equals the serial one: small
    /// integers make every sum exact in any order.
    /// </summary>
    [Fact]
    public void DepthwiseInputGradient_OnEverySmallGeometry_MatchesSerial()
    {
        int layers = 0;
        for (int h = 1; h <= 9; h++)
            for (int kh = 1; kh <= 4; kh++)
                for (int stride = 1; stride <= 4; stride++)
                    for (int dilation = 1; dilation <= 3; dilation++)
                        for (int top = 0; top <= 2; top++)
                            for (int bottom = 0; bottom <= 2; bottom++)
                            {
                                int span = (kh - 1) * dilation + 1, padded = top + h + bottom;
                                if (span > padded)
                                    continue;
                                int outH = (padded - span) / stride + 1;
                                var spec = new Conv2dSpec { StrideH = stride, DilationH = dilation, PadTop = top, PadBottom = bottom, Groups = 2 };
                                var input = new Tensor<double>([1, 2, h, 3], [.. Enumerable.Range(0, 6 * h).Select(i => (double)(i % 5 - 2))]);
                                var weights = new Tensor<double>([2, 1, kh, 2], [.. Enumerable.Range(0, 4 * kh).Select(i => (double)(i % 3 + 1))]);
                                var delta = new Tensor<double>([1, 2, outH, 2], [.. Enumerable.Range(0, 4 * outH).Select(i => (double)(i % 4 - 1))]);

                                var serial = Conv2d.Backward(input, weights, false, delta, spec, null, Conv2dAlgorithm.Serial).Input;
                                var vectorized = Conv2d.Backward(input, weights, false, delta, spec, null, Conv2dAlgorithm.Vectorized).Input;

                                Assert.True(serial.Data.SequenceEqual(vectorized.Data), $"H {h}, kH {kh}, stride {stride}, dilation {dilation}, padding {top},{bottom}");
                                layers++;
                            }
        Assert.True(layers > 2500, $"only {layers} layers were valid");
    }
}

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
}

using ConvCompare.Oracles;
using TorchSharp;

namespace ConvCompare.Tests.Oracles;

public class TorchSharpLoadsTests
{
    /// <summary>
    /// Proves both sides of the project run in this process: libtorch loads (the build-time
    /// GLIBCXX patch worked) and its conv2d agrees with a nested-loop convolution written here.
    /// </summary>
    [Fact]
    public void TinyConv2dForwardAndAutograd_MatchNestedLoops()
    {
        Assert.Null(TorchRuntime.Problem);
        using var scope = torch.NewDisposeScope();
        double[] a = [1, 2, 0, -1, 3, 1, 2, 2, -2, 0, 1, 4, 1, 1, 3, -3];    // 1x1x4x4
        double[] k = [2, -1, 0, 1, 1, 3, -2, 0, 1];                          // 1x1x3x3
        var x = torch.tensor(a, [1, 1, 4, 4], requires_grad: true);
        var w = torch.tensor(k, [1, 1, 3, 3], requires_grad: true);
        var y = torch.nn.functional.conv2d(x, w);
        y.sum().backward();

        double[] expected = new double[4];
        double[] expectedDw = new double[9];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
                for (int p = 0; p < 3; p++)
                    for (int q = 0; q < 3; q++)
                    {
                        expected[i * 2 + j] += a[(i + p) * 4 + j + q] * k[p * 3 + q];
                        expectedDw[p * 3 + q] += a[(i + p) * 4 + j + q];
                    }

        Assert.Equal(expected, y.data<double>().ToArray());
        Assert.Equal(expectedDw, w.grad!.data<double>().ToArray());
    }
}

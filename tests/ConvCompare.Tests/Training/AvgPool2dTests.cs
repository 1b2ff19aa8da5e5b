using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;
using TorchSharp;
using static ConvCompare.Tests.Training.Support.LayerCheck;

namespace ConvCompare.Tests.Training;

public class AvgPool2dTests
{
    private static readonly int[] Shape = [2, 3, 6, 5];   // odd width: the last column is dropped, as in PyTorch

    [Fact]
    public void ForwardAndBackward_MatchTorchAutograd()
    {
        using var scope = torch.NewDisposeScope();
        double[] x = Values(21, 2 * 3 * 6 * 5);
        double[] delta = Values(22, 2 * 3 * 3 * 2);
        var output = AvgPool2d.Forward(Tensor(Shape, x));
        var gradient = AvgPool2d.Backward(Tensor([2, 3, 3, 2], delta), Shape);

        var tx = Torch(x, Shape, requiresGrad: true);
        var ty = torch.nn.functional.avg_pool2d(tx, 2);
        (ty * Torch(delta, [2, 3, 3, 2])).sum().backward();

        // Forward: a sum of four in any order is within gamma_3 sum|x| / 4 of exact, so two differ by at most twice that
        // (the division by 4 is exact). Backward: delta / 4 is exact in binary floating point.
        double[] tolerance = [.. AvgPool2d.Forward(Tensor(Shape, [.. x.Select(Math.Abs)])).Data.Select(m => 2 * Gamma(3) * m)];
        AgreementTolerances.AssertWithin("forward", Data(ty), output.Data, tolerance);
        Assert.Equal(Data(tx.grad!), gradient.Data);
    }

    [Fact]
    public void Backward_SpreadsEachErrorEvenlyAndMatchesCentralDifferences()
    {
        double[] x = Values(23, 2 * 3 * 6 * 5);
        double[] r = Values(24, 2 * 3 * 3 * 2);
        var gradient = AvgPool2d.Backward(Tensor([2, 3, 3, 2], r), Shape);

        // J = sum r .* avgpool(x) is linear: no truncation error; each J is off by at most gamma_(n+4) sum |r| |y|.
        const double h = 1.0 / 1024;
        double rounding = Gamma(r.Length + 4) * Dot([.. r.Select(Math.Abs)], AvgPool2d.Forward(Tensor(Shape, [.. x.Select(v => Math.Abs(v) + h)])).Data);
        var numeric = CentralDifferences(x, v => Dot(r, AvgPool2d.Forward(Tensor(Shape, v)).Data), h);
        AgreementTolerances.AssertWithin("dJ/dx", numeric, gradient.Data, Constant(x.Length, rounding / h));
        Assert.Equal(r[0] / 4, gradient[0, 0, 1, 1]);
        Assert.Equal(0, gradient[0, 0, 0, 4]);
    }
}

using ConvCompare.Tests.ConvRef.Support;
using ConvCompare.Tests.Training.Support;
using global::ConvRef;
using TorchSharp;
using static ConvCompare.Tests.Training.Support.LayerCheck;

namespace ConvCompare.Tests.Training;

public class MaxPool2dTests
{
    private static readonly int[] Shape = [2, 3, 5, 6];   // odd height: the last row is dropped, as in PyTorch

    [Fact]
    public void ForwardAndBackward_EqualTorchAutogradExactly()
    {
        using var scope = torch.NewDisposeScope();
        double[] x = Values(11, 2 * 3 * 5 * 6);
        double[] delta = Values(12, 2 * 3 * 2 * 3);
        var (output, argMax) = MaxPool2d.Forward(Tensor(Shape, x));
        var gradient = MaxPool2d.Backward(Tensor([2, 3, 2, 3], delta), argMax, Shape);

        var tx = Torch(x, Shape, requiresGrad: true);
        var ty = torch.nn.functional.max_pool2d(tx, 2);
        (ty * Torch(delta, [2, 3, 2, 3])).sum().backward();

        // Selecting and routing values involves no arithmetic, so both must agree bit for bit.
        Assert.Equal(Data(ty), output.Data);
        Assert.Equal(Data(tx.grad!), gradient.Data);
    }

    [Fact]
    public void TiedWindows_RouteTheErrorToTheFirstMaximumInRowMajorOrder_AsPyTorchDoes()
    {
        using var scope = torch.NewDisposeScope();
        double[] x = [1, 1, 0, 2, 1, 1, 2, 0];    // 1x1x2x4: a four-way tie, then top-right == bottom-left
        var (_, argMax) = MaxPool2d.Forward(Tensor([1, 1, 2, 4], x));
        var gradient = MaxPool2d.Backward(Tensor([1, 1, 1, 2], [10, 20]), argMax, [1, 1, 2, 4]);

        var tx = Torch(x, [1, 1, 2, 4], requiresGrad: true);
        (torch.nn.functional.max_pool2d(tx, 2) * Torch([10, 20], [1, 1, 1, 2])).sum().backward();

        Assert.Equal([10, 0, 0, 20, 0, 0, 0, 0], gradient.Data);
        Assert.Equal(Data(tx.grad!), gradient.Data);
    }

    [Fact]
    public void Backward_MatchesCentralDifferences()
    {
        double[] x = DistinctValues(13, 2 * 3 * 5 * 6);
        double[] r = Values(14, 2 * 3 * 2 * 3);
        var (_, argMax) = MaxPool2d.Forward(Tensor(Shape, x));
        var gradient = MaxPool2d.Backward(Tensor([2, 3, 2, 3], r), argMax, Shape);

        // J = sum r .* maxpool(x) is linear near x (values 1/64 apart, h = 2^-10 changes no arg-max), so only
        // rounding counts: each J is off by at most gamma_n sum |r| |y| <= gamma_n sum |r| (max |x| + h).
        const double h = 1.0 / 1024;
        double rounding = Gamma(r.Length) * r.Sum(Math.Abs) * (x.Max(Math.Abs) + h);
        var numeric = CentralDifferences(x, v => Dot(r, MaxPool2d.Forward(Tensor(Shape, v)).Output.Data), h);
        AgreementTolerances.AssertWithin("dJ/dx", numeric, gradient.Data, Constant(x.Length, rounding / h));
    }

    [Fact]
    public void BackwardWithAnArgMaxOutsideTheInput_IsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => MaxPool2d.Backward(Tensor([1, 1, 1, 1], [1]), [4], [1, 1, 2, 2]));
        Assert.Equal("argMax", ex.ParamName);
    }
}

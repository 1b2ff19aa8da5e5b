using ConvCompare.Tests.Training.Support;
using global::ConvRef;
using TorchSharp;
using static ConvCompare.Tests.Training.Support.LayerCheck;

namespace ConvCompare.Tests.Training;

public class FlattenTests
{
    [Fact]
    public void ForwardKeepsCOrderAndBackwardRestoresTheShape()
    {
        double[] x = Values(61, 2 * 3 * 2 * 2);
        var flat = Flatten.Forward(Tensor([2, 3, 2, 2], x));
        Assert.Equal([2, 12], flat.Shape);
        Assert.Equal(x, flat.Data);
        var back = Flatten.Backward(flat, [2, 3, 2, 2]);
        Assert.Equal([2, 3, 2, 2], back.Shape);
        Assert.Equal(x[1 * 12 + 2 * 4 + 1 * 2 + 0], back[1, 2, 1, 0]);
    }

    [Fact]
    public void Backward_EqualsTorchAutogradThroughFlatten()
    {
        using var scope = torch.NewDisposeScope();
        double[] x = Values(62, 2 * 3 * 2 * 2), delta = Values(63, 2 * 12);
        var tx = Torch(x, [2, 3, 2, 2], requiresGrad: true);
        (torch.flatten(tx, 1) * Torch(delta, [2, 12])).sum().backward();
        Assert.Equal(LayerCheck.Data(tx.grad!), Flatten.Backward(Tensor([2, 12], delta), [2, 3, 2, 2]).Data);
    }

    [Fact]
    public void BackwardWithTheWrongElementCount_IsRejectedNamingDelta()
    {
        var ex = Assert.Throws<ArgumentException>(() => Flatten.Backward(Tensor([2, 12], Values(64, 24)), [2, 3, 2, 3]));
        Assert.Equal("delta", ex.ParamName);
    }
}

using global::ConvRef;
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
}

using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;
using TorchSharp;
using static ConvCompare.Tests.Training.Support.LayerCheck;

namespace ConvCompare.Tests.Training;

public class SgdTests
{
    [Fact]
    public void MomentumAndClipping_FollowTorchOptimSgdAndClipGradValue()
    {
        using var scope = torch.NewDisposeScope();
        const double lr = 0.1, mu = 0.9, clip = 0.5;
        double[] p0 = Values(71, 6);
        double[][] gradients = [.. Enumerable.Range(0, 4).Select(t => Values(72 + (ulong)t, 6).Select(v => 2 * v).ToArray())];

        var parameter = Tensor([2, 3], p0);
        var sgd = new Sgd<double>(lr, mu, clip);
        var tp = torch.nn.Parameter(Torch(p0, [2, 3]));
        using var optimizer = torch.optim.SGD([tp], lr, mu);
        // The bound follows ParityBound's recursion with exact gradients: each side rounds v = mu v + g and
        // p = p - lr v twice each, so the differences grow by 2 gamma_2 of those magnitudes per step.
        double[] ev = new double[6], ep = new double[6], vPrevious = new double[6];
        double g2 = Gamma(2);
        foreach (var g in gradients)
        {
            sgd.Step([parameter], [Tensor([2, 3], g)]);
            optimizer.zero_grad();
            (tp * Torch(g, [2, 3])).sum().backward();
            torch.nn.utils.clip_grad_value_([tp], clip);
            optimizer.step();
            var v = sgd.Velocity(0);
            for (int i = 0; i < 6; i++)
            {
                ev[i] = mu * ev[i] + 2 * g2 * (mu * Math.Abs(vPrevious[i]) + Math.Abs(g[i]));
                ep[i] += lr * ev[i] + 2 * g2 * (Math.Abs(parameter.Data[i]) + lr * Math.Abs(v[i]));
                vPrevious[i] = v[i];
            }
            AgreementTolerances.AssertWithin("p", Data(tp), parameter.Data, ep);
        }
        Assert.Contains(gradients.SelectMany(g => g), v => Math.Abs(v) > clip);
    }

    [Fact]
    public void WithoutMomentum_IsPlainGradientDescent()
    {
        var parameter = Tensor([3], [1, 2, 3]);
        var sgd = new Sgd<double>(0.5, 0);
        sgd.Step([parameter], [Tensor([3], [2, -2, 4])]);
        sgd.Step([parameter], [Tensor([3], [2, 0, 0])]);
        Assert.Equal([-1, 3, 1], parameter.Data);
    }

    [Fact]
    public void MomentumOfOne_IsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>(0.1, 1));

    [Fact]
    public void StepWithAMismatchedGradient_IsRejectedWithoutChangingAnyParameter()
    {
        var first = Tensor([2], [1, 2]);
        var second = Tensor([2], [3, 4]);
        var sgd = new Sgd<double>(0.5, 0.9);
        Assert.Throws<ArgumentException>(() => sgd.Step([first, second], [Tensor([2], [1, 1]), Tensor([3], [1, 1, 1])]));
        Assert.Equal([1, 2], first.Data);
        sgd.Step([first, second], [Tensor([2], [2, 2]), Tensor([2], [2, 2])]);
        Assert.Equal([0, 1], first.Data);
        Assert.Equal([2, 3], second.Data);
    }
}

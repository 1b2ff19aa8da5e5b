using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;
using TorchSharp;
using static ConvCompare.Tests.Training.Support.LayerCheck;

namespace ConvCompare.Tests.Training;

public class DenseTests
{
    private const int N = 4, In = 7, Out = 5;

    [Fact]
    public void ForwardAndBackwardThroughReLU_MatchTorchAutograd()
    {
        using var scope = torch.NewDisposeScope();
        double[] z0 = Values(31, N * In), w = Values(32, Out * In), b = Values(33, Out), delta = Values(34, N * Out);
        double[] a = [.. z0.Select(v => Math.Max(v, 0))];
        var z = Dense.Forward(Tensor([N, In], a), Tensor([Out, In], w), Tensor([Out], b));
        var g = Dense.Backward(Tensor([N, In], a), Tensor([Out, In], w), Tensor([N, Out], delta),
            new BackwardOptions<double> { PreviousActivation = Activation.ReLU, PreviousZ = Tensor([N, In], z0) });

        var tz0 = Torch(z0, [N, In], requiresGrad: true);
        var tw = Torch(w, [Out, In], requiresGrad: true);
        var tb = Torch(b, [Out], requiresGrad: true);
        var tz = torch.nn.functional.linear(torch.nn.functional.relu(tz0), tw, tb);
        (tz * Torch(delta, [N, Out])).sum().backward();

        // Each result is a sum of products; two evaluations in any order differ by at most 2 gamma_K times the
        // same sum over absolute values (K = In + 1 forward, N for dW and db, Out for dx; the ReLU mask is exact).
        double[] absA = [.. a.Select(Math.Abs)], absW = [.. w.Select(Math.Abs)], absB = [.. b.Select(Math.Abs)], absDelta = [.. delta.Select(Math.Abs)];
        var zScale = Dense.Forward(Tensor([N, In], absA), Tensor([Out, In], absW), Tensor([Out], absB));
        var gScale = Dense.Backward(Tensor([N, In], absA), Tensor([Out, In], absW), Tensor([N, Out], absDelta));
        AgreementTolerances.AssertWithin("z", Data(tz), z.Data, Scaled(zScale.Data, In + 1));
        AgreementTolerances.AssertWithin("dJ/dtheta", Data(tw.grad!), g.Weights.Data, Scaled(gScale.Weights.Data, N));
        AgreementTolerances.AssertWithin("dJ/db", Data(tb.grad!), g.Bias.Data, Scaled(gScale.Bias.Data, N));
        AgreementTolerances.AssertWithin("delta^(l-1)", Data(tz0.grad!), g.Input.Data, Scaled(gScale.Input.Data, Out));
    }

    [Fact]
    public void Backward_MatchesCentralDifferencesForWeightsAndInput()
    {
        double[] a = Values(35, N * In), w = Values(36, Out * In), b = Values(37, Out), r = Values(38, N * Out);
        var g = Dense.Backward(Tensor([N, In], a), Tensor([Out, In], w), Tensor([N, Out], r));
        double J(double[] input, double[] weights) => Dot(r, Dense.Forward(Tensor([N, In], input), Tensor([Out, In], weights), Tensor([Out], b)).Data);

        // J = sum r .* (theta a + b) is linear in theta and in a: no truncation error. Each J is off by at most
        // gamma_(In + 1 + N Out) sum |r| (|theta| |a| + |b|); with h = 2^-10 every value stays within 1 + h of 1.
        const double h = 1.0 / 1024;
        double rounding = Gamma(In + 1 + N * Out) * r.Sum(Math.Abs) * (In * (1 + h) * (1 + h) + 1);
        AgreementTolerances.AssertWithin("dJ/dtheta", CentralDifferences(w, v => J(a, v), h), g.Weights.Data, Constant(w.Length, rounding / h));
        AgreementTolerances.AssertWithin("dJ/da", CentralDifferences(a, v => J(v, w), h), g.Input.Data, Constant(a.Length, rounding / h));
        Assert.Equal(Enumerable.Range(0, Out).Select(o => Enumerable.Range(0, N).Sum(n => r[n * Out + o])), g.Bias.Data);
    }

    [Fact]
    public void ClipValue_ClampsOnlyTheWeightGradient()
    {
        double[] a = Values(39, N * In), w = Values(40, Out * In), delta = [.. Values(41, N * Out).Select(v => 4 * v)];
        var clipped = Dense.Backward(Tensor([N, In], a), Tensor([Out, In], w), Tensor([N, Out], delta), new BackwardOptions<double> { ClipValue = 0.25 });
        var free = Dense.Backward(Tensor([N, In], a), Tensor([Out, In], w), Tensor([N, Out], delta));
        Assert.Equal(free.Weights.Data.Select(v => Math.Clamp(v, -0.25, 0.25)), clipped.Weights.Data);
        Assert.Contains(free.Weights.Data, v => Math.Abs(v) > 0.25);
        Assert.Equal(free.Input.Data, clipped.Input.Data);
        Assert.Equal(free.Bias.Data, clipped.Bias.Data);
    }

    private static double[] Scaled(double[] magnitudes, int k) => [.. magnitudes.Select(m => 2 * Gamma(k) * m)];
}

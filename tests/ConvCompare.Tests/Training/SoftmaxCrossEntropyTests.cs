using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;
using TorchSharp;
using static ConvCompare.Tests.Training.Support.LayerCheck;

namespace ConvCompare.Tests.Training;

public class SoftmaxCrossEntropyTests
{
    private const int N = 5, C = 8;
    private static readonly int[] Labels = [3, 0, 7, 7, 2];

    /// <summary>
    /// K for one sample's loss and softmax: C exponentials and their sum, the log, the shift by the row
    /// maximum (absolute error u * range, folded in through the (1 + range) factor), the subtraction, the mean.
    /// </summary>
    private static readonly double GammaK = Gamma(2 * C + N + 8);

    [Fact]
    public void LossAndGradient_MatchTorchCrossEntropyAutograd()
    {
        using var scope = torch.NewDisposeScope();
        double[] z = [.. Values(51, N * C).Select(v => 6 * v)];
        var (loss, probabilities) = SoftmaxCrossEntropy.Forward(Tensor([N, C], z), Labels);
        var delta = SoftmaxCrossEntropy.Backward(probabilities, Labels);

        var tz = Torch(z, [N, C], requiresGrad: true);
        var tloss = torch.nn.functional.cross_entropy(tz, torch.tensor(Labels.Select(l => (long)l).ToArray()));
        tloss.backward();

        double scale = Enumerable.Range(0, N).Average(n => 1 + Range(z, n) + Math.Abs(z[n * C + Labels[n]]) + Math.Abs(Lse(z, n)));
        Assert.True(Math.Abs(tloss.item<double>() - loss) <= 2 * GammaK * scale, $"loss {loss:R} vs torch {tloss.item<double>():R}");
        double[] tolerance = [.. Enumerable.Range(0, N * C).Select(i =>
            2 * GammaK * (probabilities.Data[i] * (1 + Range(z, i / C)) + Math.Abs(delta.Data[i] * N)) / N)];
        AgreementTolerances.AssertWithin("dJ/dz", Data(tz.grad!), delta.Data, tolerance);
    }

    [Fact]
    public void HugeLogits_DoNotOverflow()
    {
        var (loss, probabilities) = SoftmaxCrossEntropy.Forward(Tensor([1, 3], [1000, 990, -1000]), [1]);
        Assert.Equal(10 + Math.Log(1 + Math.Exp(-10)), loss, 12);
        Assert.All(probabilities.Data, p => Assert.True(double.IsFinite(p)));
    }

    [Fact]
    public void Gradient_MatchesCentralDifferences()
    {
        double[] z = [.. Values(52, N * C).Select(v => 3 * v)];
        var (_, probabilities) = SoftmaxCrossEntropy.Forward(Tensor([N, C], z), Labels);
        var delta = SoftmaxCrossEntropy.Backward(probabilities, Labels);

        // Truncation: h^2/6 max|J'''|; J is a mean of log-sum-exps, whose third derivatives are at most 1
        // in magnitude, divided by N. Rounding: each J is off by at most gamma * scale (see above).
        const double h = 1e-5;
        double scale = Enumerable.Range(0, N).Average(n => 1 + Range(z, n) + Math.Abs(z[n * C + Labels[n]]) + Math.Abs(Lse(z, n))) + h;
        double tolerance = h * h / 6 / N + GammaK * scale / h;
        var numeric = CentralDifferences(z, v => SoftmaxCrossEntropy.Forward(Tensor([N, C], v), Labels).Loss, h);
        AgreementTolerances.AssertWithin("dJ/dz", numeric, delta.Data, Constant(z.Length, tolerance));
    }

    [Fact]
    public void Softmax_IsForwardsProbabilities()
    {
        double[] z = Values(53, N * C);
        Assert.Equal(SoftmaxCrossEntropy.Forward(Tensor([N, C], z), Labels).Probabilities.Data, SoftmaxCrossEntropy.Softmax(Tensor([N, C], z)).Data);
    }

    [Fact]
    public void LabelOutsideTheClasses_IsRejectedWithItsSample()
    {
        var error = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Forward(Tensor([2, 3], new double[6]), [0, 3]));
        Assert.Contains("label 3 of sample 1", error.Message);
    }

    private static double Range(double[] z, int n) => z.Skip(n * C).Take(C).Max() - z.Skip(n * C).Take(C).Min();

    private static double Lse(double[] z, int n)
    {
        double m = z.Skip(n * C).Take(C).Max();
        return m + Math.Log(z.Skip(n * C).Take(C).Sum(v => Math.Exp(v - m)));
    }
}

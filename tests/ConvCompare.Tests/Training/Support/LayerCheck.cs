using ConvCompare.Cases;
using ConvCompare.Numerics;
using ConvCompare.Training;
using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;
using TorchSharp;

namespace ConvCompare.Tests.Training.Support;

/// <summary>Shared pieces of the layer tests: seeded values, tensors in both libraries, central differences.</summary>
internal static class LayerCheck
{
    /// <summary>gamma_k of float64, the precision every layer test computes in.</summary>
    public static double Gamma(long k) => Arithmetic.Float64.Gamma(k);

    /// <summary>Values in [-1, 1) on a 2^-20 grid (exact in float32 and float64), seeded.</summary>
    public static double[] Values(ulong seed, int count)
    {
        var random = new TestRandom(seed);
        return [.. Enumerable.Range(0, count).Select(_ => random.Signed())];
    }

    /// <summary>
    /// count distinct values k/64 - 1 (k a seeded permutation of 0..count-1): no two are equal, so no
    /// pooling window has a tie and a perturbation below 1/128 never changes which value is largest.
    /// </summary>
    public static double[] DistinctValues(ulong seed, int count)
    {
        var random = new SplitMix64(seed);
        var k = Enumerable.Range(0, count).ToArray();
        random.Shuffle(k);
        return [.. k.Select(v => v / 64.0 - 1)];
    }

    public static Tensor<double> Tensor(int[] shape, double[] values) => new(shape, (double[])values.Clone());

    public static torch.Tensor Torch(double[] values, int[] shape, bool requiresGrad = false) =>
        torch.tensor(values, [.. shape.Select(d => (long)d)], torch.float64, requires_grad: requiresGrad);

    public static double[] Data(torch.Tensor t) => t.detach().data<double>().ToArray();

    public static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    /// <summary>
    /// (J(x + h e_i) - J(x - h e_i)) / 2h for every i. Each evaluation of J is off by at most
    /// roundingScale (the caller's gamma_n * sum |terms|), so rounding moves the quotient by at most
    /// roundingScale / h; the truncation error is h^2/6 max|J'''|, zero for piecewise-linear J away from kinks.
    /// </summary>
    public static double[] CentralDifferences(double[] x, Func<double[], double> loss, double h)
    {
        var gradient = new double[x.Length];
        var probe = (double[])x.Clone();
        for (int i = 0; i < x.Length; i++)
        {
            probe[i] = x[i] + h;
            double plus = loss(probe);
            probe[i] = x[i] - h;
            double minus = loss(probe);
            probe[i] = x[i];
            gradient[i] = (plus - minus) / (2 * h);
        }
        return gradient;
    }

    public static double[] Constant(int count, double value) => Enumerable.Repeat(value, count).ToArray();
}

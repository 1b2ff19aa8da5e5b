using System.Numerics;
using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef;

/// <summary>
/// The derivation's worked examples with exact integers: every z (Eq 1), dJ/dw (Eq 2/3), dJ/da (Eq 5)
/// and dJ/db (Eq 9) equals the hand-expanded sum written out in <see cref="HandExpanded"/>; integer data makes every sum
/// exact in float32 and float64, so the comparisons are exact.
/// </summary>
public class WorkedExampleTests
{
    public static TheoryData<Conv2dAlgorithm> Algorithms => [Conv2dAlgorithm.Serial, Conv2dAlgorithm.Vectorized];

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Eq1Example_SingleChannelSingleFilter_MatchesHandExpandedSums(Conv2dAlgorithm algorithm)
    {
        Eq1Example<float>(algorithm);
        Eq1Example<double>(algorithm);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Figure2Example_ThreeChannelsFourFilters_MatchesEq7Eq8AndEq9(Conv2dAlgorithm algorithm)
    {
        Figure2Example<float>(algorithm);
        Figure2Example<double>(algorithm);
    }

    private static void Eq1Example<T>(Conv2dAlgorithm algorithm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[,] a = { { 3, 1, -2 }, { 0, 4, 5 }, { -1, 2, 6 } };
        double[,] w = { { 1, -2 }, { 3, 4 } };
        double[,] delta = { { 2, -1 }, { 1, 3 } };
        var input = Tensor(a, 1, 1, 3, 3);
        var weights = Tensor(w, 1, 1, 2, 2);
        var bias = new Tensor<double>([1], [0.0]);

        var z = Conv2d.Forward(input.Cast<T>(), weights.Cast<T>(), bias.Cast<T>(), Conv2dSpec.Default, algorithm);
        Assert.Equal(Flatten(HandExpanded.Eq1(a, w)), Doubles(z));

        var grads = Conv2d.Backward(input.Cast<T>(), weights.Cast<T>(), true, Tensor(delta, 1, 1, 2, 2).Cast<T>(), Conv2dSpec.Default, null, algorithm);
        Assert.Equal(Flatten(HandExpanded.Eq2(a, delta)), Doubles(grads.Weights));
        Assert.Equal(Flatten(HandExpanded.Eq5(delta, w)), Doubles(grads.Input));
        Assert.Equal([delta[0, 0] + delta[0, 1] + delta[1, 0] + delta[1, 1]], Doubles(grads.Bias!));
    }

    private static void Figure2Example<T>(Conv2dAlgorithm algorithm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int channels = 3, filters = 4;
        var a = new double[channels][,];
        var previousZ = new double[channels][,];
        var w = new double[filters, channels][,];
        var delta = new double[filters][,];
        double[] b = [1, -2, 0, 3];
        for (int c = 0; c < channels; c++)
        {
            previousZ[c] = Grid(3, 3, (i, j) => (c * 9 + i * 3 + j) * 7 % 11 - 5);
            a[c] = Grid(3, 3, (i, j) => Math.Max(previousZ[c][i, j], 0));
        }
        for (int k = 0; k < filters; k++)
        {
            delta[k] = Grid(2, 2, (i, j) => (k * 4 + i * 2 + j) * 5 % 7 - 3);
            for (int c = 0; c < channels; c++)
                w[k, c] = Grid(2, 2, (i, j) => (k * 12 + c * 4 + i * 2 + j) * 3 % 5 - 2);
        }
        var input = Stack(channels, c => a[c]);
        var weights = Stack(filters * channels, kc => w[kc / channels, kc % channels], filters);
        var deltaTensor = Stack(filters, k => delta[k]);
        var options = new BackwardOptions<T> { PreviousActivation = Activation.ReLU, PreviousZ = Stack(channels, c => previousZ[c]).Cast<T>() };

        var z = Conv2d.Forward(input.Cast<T>(), weights.Cast<T>(), new Tensor<double>([filters], b).Cast<T>(), Conv2dSpec.Default, algorithm);
        var grads = Conv2d.Backward(input.Cast<T>(), weights.Cast<T>(), true, deltaTensor.Cast<T>(), Conv2dSpec.Default, options, algorithm);

        for (int k = 0; k < filters; k++)
        {
            var expectedZ = Grid(2, 2, (i, j) => b[k]);
            for (int c = 0; c < channels; c++)
                expectedZ = Add(expectedZ, HandExpanded.Eq1(a[c], w[k, c]));
            Assert.Equal(Flatten(expectedZ), Doubles(z).Skip(k * 4).Take(4));
            for (int c = 0; c < channels; c++)
                Assert.Equal(Flatten(HandExpanded.Eq2(a[c], delta[k])), Doubles(grads.Weights).Skip((k * channels + c) * 4).Take(4));
            Assert.Equal(Flatten(delta[k]).Sum(), double.CreateChecked(grads.Bias!.Data[k]));
        }
        for (int c = 0; c < channels; c++)
        {
            var dJda = Grid(3, 3, (i, j) => 0);
            for (int k = 0; k < filters; k++)
                dJda = Add(dJda, HandExpanded.Eq5(delta[k], w[k, c]));
            var eq8 = Grid(3, 3, (i, j) => dJda[i, j] * (previousZ[c][i, j] > 0 ? 1 : 0));
            Assert.Equal(Flatten(eq8), Doubles(grads.Input).Skip(c * 9).Take(9));
        }
    }

    private static double[,] Grid(int h, int w, Func<int, int, double> value)
    {
        var grid = new double[h, w];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
                grid[i, j] = value(i, j);
        return grid;
    }

    private static double[,] Add(double[,] x, double[,] y) => Grid(x.GetLength(0), x.GetLength(1), (i, j) => x[i, j] + y[i, j]);

    private static double[] Flatten(double[,] x) => [.. x.Cast<double>()];

    private static Tensor<double> Tensor(double[,] plane, params int[] shape) => new(shape, Flatten(plane));

    /// <summary>Planes stacked into [1, count, h, w], or [outer, count/outer, h, w] for weights.</summary>
    private static Tensor<double> Stack(int count, Func<int, double[,]> plane, int outer = 1)
    {
        var first = plane(0);
        return new Tensor<double>([outer, count / outer, first.GetLength(0), first.GetLength(1)],
            [.. Enumerable.Range(0, count).SelectMany(i => Flatten(plane(i)))]);
    }

    private static double[] Doubles<T>(Tensor<T> t) where T : unmanaged, IFloatingPointIeee754<T> => [.. t.Data.Select(double.CreateChecked)];
}

using System.Numerics;
using ConvCompare.Oracles;
using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.SecondOrder;

/// <summary>
/// The derivation's Figure 1 (3x3 input, 2x2 kernel, 2x2 error, one filter) to second order, with small
/// integers so every sum is exact: the expected gradients are the derivation's own equations typed out
/// term by term (<see cref="HandExpanded"/>) with the upstream gradients in the places the double backward
/// puts them. dL/dδ = Eq 1(gg_a, w) + gg_b + Eq 1(a, gg_w); dL/dw = Eq 2(gg_a, δ); dL/da = Eq 5(δ, gg_w).
/// </summary>
public class SecondOrderWorkedExampleTests
{
    private static readonly double[,] A = { { 1, 2, -1 }, { 0, 3, 1 }, { 2, -2, 1 } };
    private static readonly double[,] W = { { 1, -1 }, { 2, 0 } };
    private static readonly double[,] Delta = { { 1, 2 }, { -1, 3 } };
    private static readonly double[,] GgA = { { 0, 1, 2 }, { -1, 1, 0 }, { 2, 0, -2 } };
    private static readonly double[,] GgW = { { 1, 2 }, { -1, 1 } };
    private const double GgB = 3;

    public static TheoryData<Conv2dAlgorithm, bool> Entries() => new()
    {
        { Conv2dAlgorithm.Serial, false }, { Conv2dAlgorithm.Vectorized, false }, { Conv2dAlgorithm.Serial, true }, { Conv2dAlgorithm.Vectorized, true },
    };

    [Theory]
    [MemberData(nameof(Entries))]
    public void Figure1_EachGradientIsTheDerivationsEquationWithTheUpstreamGradientInPlace(Conv2dAlgorithm algorithm, bool family)
    {
        var expectedDelta = Add(Add(HandExpanded.Eq1(GgA, W), GgB), HandExpanded.Eq1(A, GgW));
        AssertExact<float>(algorithm, family, null, BackwardOptions<float>.None, expectedDelta, HandExpanded.Eq2(GgA, Delta), HandExpanded.Eq5(Delta, GgW), null);
        AssertExact<double>(algorithm, family, null, BackwardOptions<double>.None, expectedDelta, HandExpanded.Eq2(GgA, Delta), HandExpanded.Eq5(Delta, GgW), null);
    }

    /// <summary>
    /// dJ/dw = Eq 2(a, δ) = [[14, 0], [-2, 10]]: with c = 5 the clamp stops the diagonal, so gg_w counts off it
    /// only; with c = 10 it stops 14 and passes 10, which sits exactly on its edge (slope 1 there, as PyTorch's
    /// clamp takes it, whose own double backward agrees).
    /// </summary>
    [Theory]
    [InlineData(Conv2dAlgorithm.Serial, false, 5)]
    [InlineData(Conv2dAlgorithm.Vectorized, false, 5)]
    [InlineData(Conv2dAlgorithm.Serial, true, 5)]
    [InlineData(Conv2dAlgorithm.Vectorized, true, 5)]
    [InlineData(Conv2dAlgorithm.Serial, false, 10)]
    [InlineData(Conv2dAlgorithm.Vectorized, true, 10)]
    public void Figure1WithClipping_UpstreamWeightGradientCountsOnlyWhereTheClampPasses(Conv2dAlgorithm algorithm, bool family, double clip)
    {
        var dw = HandExpanded.Eq2(A, Delta);
        var passed = Map(GgW, (v, i, j) => Math.Abs(dw[i, j]) <= clip ? v : 0);
        Assert.Equal(clip == 5 ? new double[,] { { 0, 2 }, { -1, 0 } } : new double[,] { { 0, 2 }, { -1, 1 } }, passed);
        var expectedDelta = Add(Add(HandExpanded.Eq1(GgA, W), GgB), HandExpanded.Eq1(A, passed));
        var expectedInput = HandExpanded.Eq5(Delta, passed);
        AssertExact(algorithm, family, null, new BackwardOptions<double> { ClipValue = clip }, expectedDelta, HandExpanded.Eq2(GgA, Delta),
            expectedInput, null);
        var torch = TorchDoubleBackward.Compute(Convolution.Conv2d, ConvSpec.Default, Tensor(A), Tensor(W), Tensor(Delta), Tensor(GgA),
            Tensor(GgW), new Tensor<double>([1], [GgB]), clip: clip);
        Assert.Equal(Flat(expectedInput), torch.Input.Data);
        Assert.Equal(Flat(expectedDelta), torch.Delta.Data);
    }

    /// <summary>
    /// ReLU below, a = max(z, 0): gg_a reaches dJ/da only where z &gt; 0 (g' = 1 there, 0 elsewhere, 0 at z = 0),
    /// and g'' = 0, so dL/dz is zero.
    /// </summary>
    [Theory]
    [MemberData(nameof(Entries))]
    public void Figure1WithReLUBelow_UpstreamInputGradientCountsWhereZIsPositiveAndDLdzIsZero(Conv2dAlgorithm algorithm, bool family)
    {
        double[,] z = { { 1, -2, 3 }, { -1, 2, 0 }, { 1, 1, -3 } };
        var passed = Map(GgA, (v, i, j) => z[i, j] > 0 ? v : 0);
        var a = Map(z, (v, _, _) => Math.Max(v, 0));
        var expectedDelta = Add(Add(HandExpanded.Eq1(passed, W), GgB), HandExpanded.Eq1(a, GgW));
        var options = new BackwardOptions<double> { PreviousActivation = Activation.ReLU, PreviousZ = Tensor(z) };
        AssertExact(algorithm, family, a, options, expectedDelta, HandExpanded.Eq2(passed, Delta), HandExpanded.Eq5(Delta, GgW), new double[3, 3]);
    }

    private static void AssertExact<T>(Conv2dAlgorithm algorithm, bool family, double[,]? input, BackwardOptions<T> options,
        double[,] delta, double[,] weights, double[,] inputGradient, double[,]? previousZ)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var upstream = new Conv2dGradients<T>(Tensor<T>(GgA), Tensor<T>(GgW), new Tensor<T>([1], [T.CreateChecked(GgB)]));
        var a = Tensor<T>(input ?? A);
        var r = family
            ? Convolution.Conv2d.DoubleBackward(a, Tensor<T>(W), Tensor<T>(Delta), upstream, ConvSpec.Default, options, algorithm)
            : Conv2d.DoubleBackward(a, Tensor<T>(W), Tensor<T>(Delta), upstream, Conv2dSpec.Default, options, algorithm);
        Assert.Equal(Flat(delta), Wide(r.Delta));
        Assert.Equal(Flat(weights), Wide(r.Weights));
        Assert.Equal(Flat(inputGradient), Wide(r.Input));
        if (previousZ is null)
            Assert.Null(r.PreviousZ);
        else
            Assert.Equal(Flat(previousZ), Wide(r.PreviousZ!));
    }

    private static Tensor<T> Tensor<T>(double[,] plane) where T : unmanaged, IFloatingPointIeee754<T> =>
        new([1, 1, plane.GetLength(0), plane.GetLength(1)], [.. Flat(plane).Select(T.CreateChecked)]);

    private static Tensor<double> Tensor(double[,] plane) => Tensor<double>(plane);

    private static double[] Flat(double[,] plane) => [.. plane.Cast<double>()];

    private static double[] Wide<T>(Tensor<T> t) where T : unmanaged, IFloatingPointIeee754<T> => [.. t.Data.Select(double.CreateChecked)];

    private static double[,] Add(double[,] x, double b) => Map(x, (v, _, _) => v + b);

    private static double[,] Add(double[,] x, double[,] y) => Map(x, (v, i, j) => v + y[i, j]);

    private static double[,] Map(double[,] x, Func<double, int, int, double> f)
    {
        var result = new double[x.GetLength(0), x.GetLength(1)];
        for (int i = 0; i < x.GetLength(0); i++)
            for (int j = 0; j < x.GetLength(1); j++)
                result[i, j] = f(x[i, j], i, j);
        return result;
    }
}

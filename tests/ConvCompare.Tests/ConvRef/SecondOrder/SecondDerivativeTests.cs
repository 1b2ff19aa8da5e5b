using ConvCompare.Numerics;
using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.SecondOrder;

/// <summary>
/// <see cref="Activation.SecondDerivative{T}"/> against TorchSharp's autograd differentiating g twice
/// (float64), on z in [-1, 1]: within the roundings counted in <see cref="Comparison.SecondOrderMagnitudes.SecondDerivativeRoundings"/>
/// less the two products (20 for sigmoid, 11 for tanh, relative) plus PyTorch's absolute 2.25u for sigmoid's
/// 1 - 2σ, for each side; exactly zero for the piecewise linear ones, as autograd has it.
/// </summary>
public class SecondDerivativeTests
{
    [Theory]
    [InlineData(ActivationKind.Sigmoid, 20)]
    [InlineData(ActivationKind.Tanh, 11)]
    [InlineData(ActivationKind.ReLU, 0)]
    [InlineData(ActivationKind.LeakyReLU, 0)]
    [InlineData(ActivationKind.Identity, 0)]
    public void SecondDerivative_MatchesAutogradTwice(ActivationKind kind, int roundings)
    {
        var g = kind == ActivationKind.LeakyReLU ? Activation.LeakyReLU(0.01) : new Activation(kind);
        var rng = new TestRandom(17);
        double[] z = [-1, 0, 1, .. Enumerable.Range(0, 200).Select(_ => rng.Signed())];
        var (_, expected) = TorchActivation.Derivatives(g, z);
        var u = Arithmetic.Float64;
        for (int i = 0; i < z.Length; i++)
        {
            double actual = g.SecondDerivative(z[i]);
            double bound = 2 * u.Gamma(roundings) * Math.Abs(expected[i]) + (kind == ActivationKind.Sigmoid ? 2 * 2.25 * u.UnitRoundoff : 0);
            Assert.True(Math.Abs(actual - expected[i]) <= bound, FormattableString.Invariant($"{g} at z={z[i]:R}: {actual:R} against autograd's {expected[i]:R}"));
        }
    }

    [Fact]
    public void SigmoidsSecondDerivativeAtZero_IsExactlyZeroAndOddAroundIt()
    {
        Assert.Equal(0, Activation.Sigmoid.SecondDerivative(0.0));
        Assert.Equal(-Activation.Sigmoid.SecondDerivative(0.5), Activation.Sigmoid.SecondDerivative(-0.5), 15);
        Assert.True(Activation.Tanh.SecondDerivative(0.5) < 0);
    }
}

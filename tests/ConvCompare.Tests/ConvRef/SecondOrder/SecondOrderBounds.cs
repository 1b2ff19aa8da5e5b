using ConvCompare.Comparison;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using ConvCompare.Tests.ConvRef.Family;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.SecondOrder;

/// <summary>
/// Per-entry tolerances for two computations of a double backward, from Higham's bound on a sum of K
/// products in any order, |fl(s) - s| &lt;= gamma_K · Σ|x_i y_i| (see <see cref="RoundingBound"/>).
/// </summary>
/// <remarks>
/// <para><b>The magnitudes</b> are the same double backward on absolute values, computed by TorchSharp in
/// float64 (<see cref="TorchDoubleBackward"/>, with g'(z) from TorchSharp's autograd), never by ConvRef:
/// with |a|, |w|, |δ| and upstream gradients |gg_a ⊙ g'(z)|, |gg_w| (zero where the clamp stops dJ/dw) and
/// |gg_b|, every product is non-negative, so each entry is its sum of absolute terms. dL/dz^(l-1) has
/// |gg_a| ⊙ (|δ| ⊗_f Rot180(|w|)) ⊙ |g''(z)|.</para>
/// <para><b>K and the extra roundings per entry.</b> dL/dδ sums (C_in/G)·Πk products gg_a'·w and as many
/// a·gg_w (for the transposed convolution as for its forward pass), plus gg_b: K = 2(C_in/G)·Πk (+1); its
/// gg_a' = gg_a·g'(z) is itself rounded, c_g roundings (<see cref="RoundingBound.ActivationRoundings"/>,
/// which counts the product). dL/dw sums over N and the error's positions (N·Π out; for the transposed
/// convolution N·Π in) with the same c_g. dL/da sums (C_out/G)·Πk products (times the copies of a padding
/// mode), no extra. dL/dz^(l-1) is that sum for dJ/da times gg_a and g''(z): c'' roundings
/// (<see cref="SecondDerivativeRoundings"/>).</para>
/// <para><b>Sigmoid's g'' in PyTorch</b> is g'(z)·(1 - 2σ(z)): 1 - 2σ cancels near z = 0, so its error is
/// absolute, |2σ·4u| + u &lt;= 9u (σ &lt;= 1); times g' &lt;= 1/4 that is 2.25u per unit of |gg_a|·|dJ/da|,
/// doubled for dJ/da's own rounding (gamma_K &lt; 1). ConvRef writes 1 - 2σ = -tanh(z/2) and has only the
/// relative part; the bound takes the absolute part for both sides.</para>
/// <para>The clip value of a case keeps clear of every |dJ/dw| by more than its rounding bound
/// (<see cref="SecondOrderCase.ClipInAGap"/>), so both sides clamp the same entries.</para>
/// </remarks>
internal static class SecondOrderBounds
{
    /// <summary>Bounds on |x_A - x_B| per entry of each gradient.</summary>
    public sealed record Tolerances(double[] Input, double[] Weights, double[] Delta, double[]? PreviousZ);

    /// <summary>
    /// Roundings of g''(z) and the two products gg_a·dJ/da·g'', for |z| &lt;= 1. Sigmoid: σ to 4u, σ(1-σ) to
    /// (6 + 4e)u &lt;= 17u (as for g'), tanh(z/2) to 2u, one product: 20; then two products: 22 (PyTorch's
    /// g'(z)·(1-2σ) has the same relative part, 17 + 3, plus the absolute part above). Tanh: t to 2u, t² to
    /// 5u, 1 - t² to 1.38·5u + u &lt;= 8u (t²/(1-t²) &lt;= 1.38), t(1 - t²) to 11u (the factor 2 is exact);
    /// then two products: 13. ReLU, leaky ReLU and the identity have g'' = 0 exactly on both sides.
    /// </summary>
    public static int SecondDerivativeRoundings(ActivationKind kind) => kind switch
    {
        ActivationKind.Sigmoid => 22,
        ActivationKind.Tanh => 13,
        _ => 0,
    };

    /// <summary>Bounds between computations in <paramref name="first"/> and <paramref name="second"/>.</summary>
    public static Tolerances Between(SecondOrderCase s, Arithmetic first, Arithmetic second)
    {
        var c = s.Case;
        var g = c.Op.Geometry(c.InputShape, c.WeightShape, c.Spec);
        var (gPrime, gSecond) = c.PreviousZ is { } z ? TorchActivation.Derivatives(c.Activation, z) : (null, null);
        double[] ggA = [.. s.GgInput.Select((v, i) => Math.Abs(v * (gPrime?[i] ?? 1)))];
        var dw = c.Clip is { } clip ? FamilyRun.Torch(c with { Clip = null }).Weights : null;
        double[] ggW = [.. s.GgWeights.Select((v, i) => dw is null || Math.Abs(dw[i]) <= c.Clip ? Math.Abs(v) : 0)];
        var magnitude = TorchDoubleBackward.Compute(c.Op, c.Spec, Abs(c.InputTensor<double>()), Abs(c.WeightTensor<double>()),
            Abs(c.DeltaTensor<double>()), new([.. c.InputShape], ggA), new([.. c.WeightShape], ggW),
            s.GgBias is null ? null : new([s.GgBias.Length], [.. s.GgBias.Select(Math.Abs)]));

        long kernel = g.KernelSize.Aggregate(1L, (p, k) => p * k);
        long copies = g.Transposed ? 1 : Enumerable.Range(0, g.Rank).Aggregate(1L, (p, i) => p * (1 + g.PadBefore[i] + g.PadAfter[i]));
        long outputPositions = (long)g.BatchSize * g.OutputSize.Aggregate(1L, (p, x) => p * x);
        long inputPositions = (long)g.BatchSize * g.InputSize.Aggregate(1L, (p, x) => p * x);
        long inputGradientTerms = copies * g.OutChannelsPerGroup * kernel;
        int activation = c.PreviousZ is null ? 0 : RoundingBound.ActivationRoundings(c.Activation.Kind);

        double[]? previousZ = null;
        if (gSecond is not null)
        {
            var dA = TorchConvolutions.Compute(c.Op, c.Spec, Abs(c.InputTensor<double>()), Abs(c.WeightTensor<double>()), null,
                Abs(c.DeltaTensor<double>())).InputGradient.Data;
            double[] scale = [.. dA.Select((m, i) => Math.Abs(s.GgInput[i]) * m)];
            var relative = FamilyBounds.Of([.. scale.Select((m, i) => m * Math.Abs(gSecond[i]))], inputGradientTerms,
                SecondDerivativeRoundings(c.Activation.Kind), first, second);
            double cancellation = c.Activation.Kind == ActivationKind.Sigmoid ? 2 * 2.25 * (first.UnitRoundoff + second.UnitRoundoff) : 0;
            previousZ = [.. relative.Select((r, i) => r + cancellation * scale[i])];
        }
        return new Tolerances(
            FamilyBounds.Of(magnitude.Input.Data, inputGradientTerms, 0, first, second),
            FamilyBounds.Of(magnitude.Weights.Data, g.Transposed ? inputPositions : outputPositions, activation, first, second),
            FamilyBounds.Of(magnitude.Delta.Data, 2 * g.InChannelsPerGroup * kernel + (s.GgBias is null ? 0 : 1), activation, first, second),
            previousZ);
    }

    /// <summary>Bounds between a computation in T's precision and TorchSharp in float64.</summary>
    public static Tolerances AgainstFloat64<T>(SecondOrderCase s) => Between(s, Of<T>(), Arithmetic.Float64);

    /// <summary>Bounds between two computations in T's precision.</summary>
    public static Tolerances Within<T>(SecondOrderCase s) => Between(s, Of<T>(), Of<T>());

    private static Arithmetic Of<T>() => typeof(T) == typeof(float) ? Arithmetic.Float32 : Arithmetic.Float64;

    private static Tensor<double> Abs(Tensor<double> t) => new([.. t.Shape], Array.ConvertAll(t.Data, Math.Abs));
}

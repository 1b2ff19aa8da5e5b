using ConvCompare.Cases;
using ConvCompare.Oracles;
using ConvRef;

namespace ConvCompare.Comparison;

/// <summary>
/// The magnitudes and reduction lengths K of the double backward's gradients, for <see cref="RoundingBound"/>.
/// Each gradient is a sum of products, so Higham's bound |fl(s) - s| &lt;= gamma_K * sum |x_i y_i| holds for
/// it as for the first-order sums, with the magnitude summed on absolute values by the harness's own
/// <see cref="DefinitionSums"/> (ĝ_a = gg_a .* g'(z), <see cref="DoubleBackwardReference"/>). Each gradient
/// sums the products of one first-order sum with gg in the place of one factor, so its K is that sum's
/// (<see cref="ReductionLengths"/>, for every operation of the family):
/// <list type="bullet">
/// <item>dL/da (<see cref="TensorKind.D2x"/>) = dy (x)_f Rot180(gg_w): |dy| (x)_f Rot180(|gg_w|), K = K of dJ/da
/// (C_out/G * kH * kW for conv2d; for the family (C_out/G) Πk times the copies a padding mode makes of an element), no extra rounding;</item>
/// <item>dL/dw (<see cref="TensorKind.D2w"/>) = ĝ_a (x) dy: |ĝ_a| (x) |dy|, K = K of dJ/dw (N * H_out * W_out for conv2d;
/// N Π out for a convolution, N Π in for a transposed one), plus the c_g roundings of forming ĝ_a;</item>
/// <item>dL/d(dy) (<see cref="TensorKind.D2dy"/>) = ĝ_a (*) w + gg_b + a (*) gg_w: |ĝ_a| (*) |w| + |gg_b| + |a| (*) |gg_w|,
/// K = 2 (K of y without its bias term) + 1 with bias (2 C_in/G * kH * kW (+1) for conv2d; 2 (C_in/G) Πk (+1) for the family),
/// plus the c_g roundings of ĝ_a;</item>
/// <item>dL/dz^(l-1) (<see cref="TensorKind.D2z"/>, with an activation below) = gg_a .* dJ/da .* g''(z): |gg_a| .* M(dJ/da) .* |g''(z)|,
/// K = K of dJ/da, plus the c'' roundings of g'' and the two products (<see cref="SecondDerivativeRoundings"/>). For sigmoid,
/// PyTorch's (and the reference's) g'' = s(1-s)(1-2s) computes 1 - 2s with an absolute error of up to 9u (s to 4u, doubled
/// exactly, and the subtraction's u), so its error has a part 9u s(1-s) |gg_a| M(dJ/da) that does not shrink with |g''|:
/// the magnitude adds 9 s(1-s) |gg_a| M(dJ/da), which gamma_(K+c'') &gt;= u covers.</item>
/// </list>
/// c_g is <see cref="RoundingBound.ActivationRoundings"/>: evaluating g'(z) and the product with it, as for delta^(l-1).
/// An implementation that adds the two convolutions of dL/d(dy) after summing each is summing the same
/// K products in another order, which the bound covers.
/// </summary>
internal static class SecondOrderMagnitudes
{
    /// <summary>Each second-order tensor's magnitude (before inflation for its own rounding), K and extra roundings.</summary>
    public static IEnumerable<(TensorKind Kind, Func<double[]> Magnitude, long Terms, int Extra)> Of(CaseConfig config, CaseInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(inputs);
        var gg = inputs.SecondOrder ?? throw new ArgumentException($"case {CaseId.Format(config)} is not of order 2", nameof(inputs));
        int extra = RoundingBound.ActivationRoundings(config.Activation);
        var k = ReductionLengths.Of(config);
        int bias = config.Bias ? 1 : 0;
        var a = Abs(inputs.Input.Data);
        var w = Abs(inputs.Weights.Data);
        var dy = Abs(inputs.Upstream.Data);
        var ggW = Abs(gg.Weights.Data);
        var scaledGgA = Abs(DoubleBackwardReference.ScaledInputGradient(config, inputs).Data);
        yield return (TensorKind.D2x, () => DefinitionSums.InputGradient(config, dy, ggW), k.Dx, 0);
        yield return (TensorKind.D2w, () => DefinitionSums.WeightGradient(config, scaledGgA, dy), k.Dw, extra);
        yield return (TensorKind.D2dy, () =>
        {
            var fromInput = DefinitionSums.Output(config, scaledGgA, w, gg.Bias is { } b ? Abs(b.Data) : []);
            var fromWeights = DefinitionSums.Output(config, a, ggW, []);
            for (int i = 0; i < fromInput.Length; i++)
                fromInput[i] += fromWeights[i];
            return fromInput;
        }, 2 * (k.Y - bias) + bias, extra);
        if (inputs.PreviousZ is { } z)
            yield return (TensorKind.D2z, () =>
            {
                var m = DefinitionSums.InputGradient(config, dy, w);
                for (int i = 0; i < m.Length; i++)
                {
                    double factor = Math.Abs(ActivationDefinition.SecondDerivative(config.Activation, z.Data[i]))
                        + (config.Activation == ActivationKind.Sigmoid ? 9 * ActivationDefinition.Derivative(config.Activation, z.Data[i]) : 0);
                    m[i] *= Math.Abs(gg.Input.Data[i]) * factor;
                }
                return m;
            }, k.Dx, SecondDerivativeRoundings(config.Activation));
    }

    /// <summary>
    /// c'': the roundings of g''(z) and of the two products gg_a dJ/da g'', for |z| &lt;= 1 (the range the generator draws).
    /// Sigmoid: s to 4u, s(1-s) to (6 + 4e)u &lt;= 17u (as for g'), the factor 1-2s (or ConvRef's -tanh(z/2), to 2u) and its product: 20,
    /// then two products: 22 (the cancellation of 1-2s is the absolute part above). Tanh: t to 2u, t^2 to 5u, 1 - t^2 to
    /// 1.38 5u + u &lt;= 8u (t^2/(1-t^2) &lt;= 1.38), t(1 - t^2) to 11u (the factor 2 is exact), then two products: 13.
    /// ReLU, leaky ReLU and the identity have g'' = 0 exactly on every side.
    /// </summary>
    public static int SecondDerivativeRoundings(ActivationKind kind) => kind switch
    {
        ActivationKind.Sigmoid => 22,
        ActivationKind.Tanh => 13,
        _ => 0,
    };

    /// <summary>Absolute values, non-finite ones counting as zero as in <see cref="RoundingBound"/> (such elements are compared for propagation).</summary>
    private static double[] Abs(double[] values) => Array.ConvertAll(values, v => double.IsFinite(v) ? Math.Abs(v) : 0);
}

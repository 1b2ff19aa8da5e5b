using ConvCompare.Cases;
using ConvCompare.Oracles;
using ConvRef;

namespace ConvCompare.Comparison;

/// <summary>
/// The magnitudes and reduction lengths K of the double backward's gradients, for <see cref="RoundingBound"/>.
/// Each gradient is a sum of products, so Higham's bound |fl(s) - s| &lt;= gamma_K * sum |x_i y_i| holds for
/// it as for the first-order sums, with the magnitude summed on absolute values by the harness's own
/// <see cref="DefinitionSums"/> (ĝ_a = gg_a .* g'(z), <see cref="DoubleBackwardReference"/>):
/// <list type="bullet">
/// <item>dL/da (<see cref="TensorKind.D2x"/>) = dy (x)_f Rot180(gg_w): |dy| (x)_f Rot180(|gg_w|), K = C_out/G * kH * kW, no extra rounding;</item>
/// <item>dL/dw (<see cref="TensorKind.D2w"/>) = ĝ_a (x) dy: |ĝ_a| (x) |dy|, K = N * H_out * W_out, plus the c_g roundings of forming ĝ_a;</item>
/// <item>dL/d(dy) (<see cref="TensorKind.D2dy"/>) = ĝ_a (*) w + gg_b + a (*) gg_w: |ĝ_a| (*) |w| + |gg_b| + |a| (*) |gg_w|,
/// K = 2 C_in/G * kH * kW (+1 with bias), plus the c_g roundings of ĝ_a.</item>
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
        long kernel = (long)config.Shape.KH * config.Shape.KW;
        var a = Abs(inputs.Input.Data);
        var w = Abs(inputs.Weights.Data);
        var dy = Abs(inputs.Upstream.Data);
        var ggW = Abs(gg.Weights.Data);
        var scaledGgA = Abs(DoubleBackwardReference.ScaledInputGradient(config, inputs).Data);
        yield return (TensorKind.D2x, () => DefinitionSums.InputGradient(config, dy, ggW), config.Shape.Cout / config.Geometry.Groups * kernel, 0);
        yield return (TensorKind.D2w, () => DefinitionSums.WeightGradient(config, scaledGgA, dy), (long)config.Shape.N * config.OutH * config.OutW, extra);
        yield return (TensorKind.D2dy, () =>
        {
            var fromInput = DefinitionSums.Output(config, scaledGgA, w, gg.Bias is { } b ? Abs(b.Data) : []);
            var fromWeights = DefinitionSums.Output(config, a, ggW, []);
            for (int i = 0; i < fromInput.Length; i++)
                fromInput[i] += fromWeights[i];
            return fromInput;
        }, 2 * (config.Shape.Cin / config.Geometry.Groups) * kernel + (config.Bias ? 1 : 0), extra);
    }

    /// <summary>Absolute values, non-finite ones counting as zero as in <see cref="RoundingBound"/> (such elements are compared for propagation).</summary>
    private static double[] Abs(double[] values) => Array.ConvertAll(values, v => double.IsFinite(v) ? Math.Abs(v) : 0);
}

using System.Globalization;
using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using ConvRef;

namespace ConvCompare.GradCheck;

/// <summary>
/// The numeric second-order check, in the manner of PyTorch's <c>gradgradcheck</c>: central differences of
/// L = &lt;gg_a, B_a&gt; + &lt;gg_w, B_w&gt; + &lt;gg_b, B_b&gt;, where B = (dJ/da .* g'(z), dJ/dw, dJ/db) is the harness's
/// own definition-level first-order backward pass for every operation of the family (<see cref="DefinitionSums.InputGradient"/>,
/// <see cref="DefinitionSums.WeightGradient"/>, <see cref="DefinitionSums.BiasGradient"/>, g' from
/// <see cref="ActivationDefinition"/>), along random Rademacher directions v of a, w and dy, against
/// &lt;v, G&gt; for the double backward G under test (dL/da, dL/dw, dL/d(dy)), and with an activation below along z^(l-1)
/// against dL/dz^(l-1) (<see cref="PreviousZDifference"/>, which has a step and a truncation of its own). Neither side uses ConvRef or
/// TorchSharp, and every tolerance depends on the case alone, never on the gradients judged.
/// </summary>
/// <remarks>
/// <para><b>No truncation.</b> B_a = (dy (x)_f Rot180(w)) .* g'(z) is linear in dy and in w, B_w = a (x) dy
/// is linear in a and in dy, B_b = sum dy is linear in dy, and z does not move. So L is linear along a
/// direction of any one of a, w, dy: L(θ + v) - L(θ - v) = 2 &lt;dL/dθ, v&gt; exactly, and the step can be 1.
/// The only error is rounding. L is the unclipped one: a clipping case's mask would break the linearity, so the runner hands this
/// check each implementation's unclipped float64 double backward, and the clipped one is judged against the oracle and the reference.</para>
/// <para><b>Rounding of evaluating L.</b> The points θ ± v are rounded once per element, a relative
/// perturbation of u that moves each B_i by at most u M_i (B is bilinear), with M_i the same pass on
/// absolute values at |θ| + |v|. Each B_i then has |B̂_i - B_i| &lt;= gamma_(K+c) M_i, K its reduction length
/// (<see cref="RoundingBound.ReductionLength"/>) and c the c_g roundings of ĝ_a = gg_a .* g'(z)
/// (<see cref="RoundingBound.ActivationRoundings"/>). L sums the n products gg_i B̂_i with Dot2
/// (<see cref="CompensatedDot"/>, error u |L| + gamma_n^2 sum |gg_i B̂_i|). With S = sum |gg_i| M_i
/// and k = K_max + c + 1: |L̂ - L| &lt;= E = (gamma_k + (u + gamma_n^2)(1 + gamma_k)) S at each point. The
/// difference of the two evaluations rounds once and the halving is exact, so
/// |Q̂ - &lt;dL/dθ, v&gt;| &lt;= E + 2u |Q̂| for Q̂ = (L̂₊ - L̂₋)/2. S is a sum of non-negative float64 terms,
/// divided by 1 - gamma_(k+n+2) for its own rounding.</para>
/// <para><b>Rounding of the analytic side.</b> A correct float64 double backward G_j is within
/// B_j = <see cref="RoundingBound.Of"/> (the implementation's float64 bound) of the exact gradient, whose
/// modulus is at most its magnitude M_j; &lt;v, G&gt; is summed with Dot2. The tolerance adds
/// (sum |v_j| B_j + (u + gamma_n^2) sum |v_j| (M_j + B_j)) (1 + gamma_(n+1)): M + B rather than the judged
/// |G_j|, so that a wrong gradient cannot widen its own tolerance.</para>
/// <para><b>Sensitivity.</b> Rademacher directions give every element weight 1; with values of order one the
/// tolerance is about K u of the sums' magnitude, some 1e-12 relative on small cases, far below the 1e-6
/// relative error the tests plant.</para>
/// </remarks>
internal static class SecondOrderCheck
{
    /// <summary>Rademacher directions per variable.</summary>
    public const int DefaultDirections = 2;

    private static readonly Arithmetic F64 = Arithmetic.Float64;

    /// <summary>The variables of the backward pass a direction moves: a, w and dy, with the tensor of its gradient.</summary>
    private static readonly (string Name, TensorKind Gradient)[] Variables = [("a", TensorKind.D2x), ("w", TensorKind.D2w), ("dy", TensorKind.D2dy)];

    /// <summary>z^(l-1), a variable only with an activation below (<see cref="PreviousZDifference"/>).</summary>
    private static readonly (string Name, TensorKind Gradient) PreviousZ = ("z", TensorKind.D2z);

    private static IEnumerable<(string Name, TensorKind Gradient)> VariablesOf(CaseInputs x) => x.PreviousZ is null ? Variables : [.. Variables, PreviousZ];

    /// <summary>One probe: its variable, direction, central difference and the tolerance of its numeric side.</summary>
    private sealed record Probe(string Name, TensorKind Gradient, double[] Direction, double Numeric, double NumericTolerance);

    /// <summary>
    /// Checks each named double backward (float64) of a case of order 2 against central differences of the
    /// harness's definition-level backward pass; the numeric side is computed once for all of them.
    /// </summary>
    public static IReadOnlyList<GradCheckResult> Run(CaseConfig config, CaseInputs inputs, RoundingBound bound, int directions,
        IReadOnlyList<(string Name, SecondOrderOutputs Gradients)> analytic)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(bound);
        ArgumentNullException.ThrowIfNull(analytic);
        var probes = Measure(config, inputs, bound, directions);
        var analyticTolerance = VariablesOf(inputs).ToDictionary(v => v.Gradient, v => (bound.Of(v.Gradient, F64), bound.Magnitude(v.Gradient)));
        return [.. analytic.Select(a => Judge(a.Name, a.Gradients, probes, analyticTolerance))];
    }

    /// <summary>The Rademacher direction <paramref name="index"/> of a variable with <paramref name="length"/> elements, from the case's value seed alone.</summary>
    public static double[] Direction(CaseConfig config, string variable, int index, int length)
    {
        ArgumentNullException.ThrowIfNull(config);
        int which = Array.FindIndex([.. Variables, PreviousZ], v => v.Name == variable);
        var rng = new SplitMix64(SplitMix64.Derive(config.ValueSeed, 0x5EC0_0000UL + (ulong)(which * 64 + index)));
        var v = new double[length];
        for (int i = 0; i < length; i++)
            v[i] = rng.Chance(0.5) ? 1 : -1;
        return v;
    }

    private static List<Probe> Measure(CaseConfig c, CaseInputs x, RoundingBound bound, int directions)
    {
        var gg = x.SecondOrder ?? throw new ArgumentException($"case {CaseId.Format(c)} is not of order 2", nameof(x));
        var scaledGgA = DoubleBackwardReference.ScaledInputGradient(c, x).Data;
        int extra = RoundingBound.ActivationRoundings(c.Activation);
        var probes = new List<Probe>();
        foreach (var (name, gradient) in Variables)
        {
            var point = name switch { "a" => x.Input.Data, "w" => x.Weights.Data, _ => x.Upstream.Data };
            double L(double[] moved) => Evaluate(c, x, gg, scaledGgA, name, moved);
            // Every Rademacher direction has |v| = 1, so one magnitude serves them all.
            var grown = Array.ConvertAll(point, p => Math.Abs(p) + 1);
            var (s, terms, k) = Magnitude(c, x, gg, scaledGgA, bound, name, grown);
            long kk = k + extra + 1;
            double inflate = 1 / (1 - F64.Gamma(kk + terms + 2));
            double e = (F64.Gamma(kk) + (F64.UnitRoundoff + F64.Gamma(terms) * F64.Gamma(terms)) * (1 + F64.Gamma(kk))) * s * inflate
                + kk * terms * F64.UnderflowUnit;
            for (int d = 0; d < directions; d++)
            {
                var v = Direction(c, name, d, point.Length);
                double numeric = (L(Moved(point, v, 1)) - L(Moved(point, v, -1))) / 2;
                probes.Add(new Probe(name, gradient, v, numeric, e + 2 * F64.UnitRoundoff * Math.Abs(numeric)));
            }
        }
        if (x.PreviousZ is not null)
            for (int d = 0; d < directions; d++)
            {
                var v = Direction(c, PreviousZ.Name, d, x.PreviousZ.Length);
                var (numeric, tolerance) = PreviousZDifference.Measure(c, x, bound, v);
                probes.Add(new Probe(PreviousZ.Name, PreviousZ.Gradient, v, numeric, tolerance));
            }
        return probes;
    }

    /// <summary>The terms of L that depend on <paramref name="variable"/> (the others are constant along it), at <paramref name="values"/>, summed with Dot2.</summary>
    private static double Evaluate(CaseConfig c, CaseInputs x, SecondOrderUpstream gg, double[] scaledGgA, string variable, double[] values)
    {
        var l = new CompensatedDot();
        void Add(ReadOnlySpan<double> weights, ReadOnlySpan<double> b)
        {
            for (int i = 0; i < weights.Length; i++)
                l.AddProduct(weights[i], b[i]);
        }
        switch (variable)
        {
            case "a":
                Add(gg.Weights.Data, DefinitionSums.WeightGradient(c, values, x.Upstream.Data));
                break;
            case "w":
                Add(scaledGgA, DefinitionSums.InputGradient(c, x.Upstream.Data, values));
                break;
            default:
                Add(scaledGgA, DefinitionSums.InputGradient(c, values, x.Weights.Data));
                Add(gg.Weights.Data, DefinitionSums.WeightGradient(c, x.Input.Data, values));
                if (gg.Bias is { } ggB)
                    Add(ggB.Data, DefinitionSums.BiasGradient(c, values));
                break;
        }
        return l.Value;
    }

    /// <summary>S = sum |gg_i| M_i with M the evaluated passes on absolute values at |θ| + |v|; the number n of products in L; the largest K among the passes.</summary>
    private static (double S, long Terms, long K) Magnitude(CaseConfig c, CaseInputs x, SecondOrderUpstream gg, double[] scaledGgA, RoundingBound bound,
        string variable, double[] grown)
    {
        static double[] Abs(double[] values) => Array.ConvertAll(values, Math.Abs);
        static double Dot(double[] weights, double[] magnitude)
        {
            double sum = 0;
            for (int i = 0; i < weights.Length; i++)
                sum += Math.Abs(weights[i]) * magnitude[i];
            return sum;
        }
        long kDx = bound.ReductionLength(TensorKind.Dx), kDw = bound.ReductionLength(TensorKind.Dw);
        // dJ/db sums N Π out terms, more than dJ/dw's N Π in for a transposed convolution that enlarges.
        long kDb = ReductionLengths.Of(c).Db;
        var (a, w, dy) = (Abs(x.Input.Data), Abs(x.Weights.Data), Abs(x.Upstream.Data));
        return variable switch
        {
            "a" => (Dot(gg.Weights.Data, DefinitionSums.WeightGradient(c, grown, dy)), gg.Weights.Length, kDw),
            "w" => (Dot(scaledGgA, DefinitionSums.InputGradient(c, dy, grown)), scaledGgA.Length, kDx),
            _ => (Dot(scaledGgA, DefinitionSums.InputGradient(c, grown, w)) + Dot(gg.Weights.Data, DefinitionSums.WeightGradient(c, a, grown))
                    + (gg.Bias is { } ggB ? Dot(ggB.Data, DefinitionSums.BiasGradient(c, grown)) : 0),
                scaledGgA.Length + gg.Weights.Length + (gg.Bias?.Length ?? 0), Math.Max(kDx, Math.Max(kDw, gg.Bias is null ? 0 : kDb))),
        };
    }

    private static GradCheckResult Judge(string name, SecondOrderOutputs gradients, List<Probe> probes,
        Dictionary<TensorKind, (double[] Bound, IReadOnlyList<double> Magnitude)> analyticTolerance)
    {
        double worstRatio = -1, worstError = 0, worstTolerance = 0;
        string worst = "";
        bool pass = true;
        var ordinal = new Dictionary<string, int>();
        foreach (var probe in probes)
        {
            int index = ordinal[probe.Name] = ordinal.GetValueOrDefault(probe.Name, 0) + 1;
            var g = probe.Gradient switch
            {
                TensorKind.D2x => gradients.Input, TensorKind.D2w => gradients.Weights, TensorKind.D2z => gradients.PreviousZ, _ => gradients.Delta,
            };
            var (b, m) = analyticTolerance[probe.Gradient];
            var v = probe.Direction;
            double analytic = g is not null && g.Length == v.Length ? CompensatedDot.Dot(v, g.Data) : double.NaN;
            long n = v.Length;
            double weighted = 0, magnitude = 0;
            for (int j = 0; j < n; j++)
            {
                weighted += Math.Abs(v[j]) * b[j];
                magnitude += Math.Abs(v[j]) * (m[j] + b[j]);
            }
            double tolerance = probe.NumericTolerance
                + (weighted + (F64.UnitRoundoff + F64.Gamma(n) * F64.Gamma(n)) * magnitude) * (1 + F64.Gamma(n + 1));
            double error = Math.Abs(probe.Numeric - analytic);
            double ratio = double.IsFinite(error) && double.IsFinite(tolerance) ? error / tolerance : double.PositiveInfinity;
            if (!(error <= tolerance))
                pass = false;
            if (ratio > worstRatio)
                (worstRatio, worstError, worstTolerance, worst) = (ratio, double.IsNaN(error) ? double.PositiveInfinity : error, tolerance,
                    string.Create(CultureInfo.InvariantCulture, $"{probe.Name} direction {index}"));
        }
        return new GradCheckResult(name, GradCheckMode.Fast, probes.Count, worstError, worstTolerance, worst, pass);
    }

    private static double[] Moved(double[] point, double[] direction, double sign)
    {
        var moved = new double[point.Length];
        for (int i = 0; i < point.Length; i++)
            moved[i] = point[i] + sign * direction[i];
        return moved;
    }
}

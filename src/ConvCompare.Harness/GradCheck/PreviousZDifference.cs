using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using ConvRef;

namespace ConvCompare.GradCheck;

/// <summary>
/// The numeric second-order check along z^(l-1) (<see cref="SecondOrderCheck"/>'s fourth variable, with an activation below):
/// L depends on z only through its first term, L_z(z) = &lt;gg_a .* g'(z), S&gt; with S = dy (x)_f Rot180(w) the raw dJ/da
/// (Eq 5, the harness's <see cref="DefinitionSums.InputGradient"/>, computed once, g' from <see cref="ActivationDefinition"/>),
/// and the central difference (L_z(z + h v) - L_z(z - h v)) / 2h is compared with &lt;v, dL/dz&gt;.
/// </summary>
/// <remarks>
/// <para>With A = sum |gg_a,i| M_i (M the magnitude of dJ/da, |S_i| &lt;= (1 + gamma_K) M_i) and G1, G2, G4 bounds on |g'|, |g''|,
/// |g''''| (sigmoid 1/4, 1/(6√3), 2/(6√3); tanh 1, 4/(3√3), 2^5 · 2/(6√3), from tanh z = 2σ(2z) - 1; ReLU and leaky ReLU 1, 0, 0
/// on each side of the kink, which no step crosses: |z| &gt;= 1/16 and h &lt;= 1/64), the difference is within</para>
/// <list type="bullet">
/// <item>rounding of each evaluation: every term gg_a g'(z') S rounds c_g times (<see cref="RoundingBound.ActivationRoundings"/>), the
/// n terms are summed with Dot2: E = (gamma_cg + (u + gamma_n^2)(1 + gamma_cg)) G1 (1 + gamma_K) A;</item>
/// <item>rounding of the points z ± h v, at most u (|z| + h) each: P = u G2 (1 + gamma_K) sum |gg_a,i| M_i (|z_i| + h);</item>
/// <item>both divided by h (two evaluations over 2h, a power of two, so the division is exact), and the difference's own rounding 2u |Q̂|;</item>
/// <item>truncation: h^2/6 G4 (1 + gamma_K) A (Taylor's remainder of g' along v, |v| = 1);</item>
/// <item>S's own rounding, the same at both points: G2 gamma_K A.</item>
/// </list>
/// <para>The step h is the power of two at or below the minimiser (E/(2B))^(1/3) of E/h + B h^2, B = G4 (1 + gamma_K) A / 6: derived
/// from the case's bound, not tuned; for ReLU and leaky ReLU (B = 0), 1/64. Every sum of non-negative terms above is computed in
/// float64 and divided by 1 - gamma_(n+4) for its own rounding.</para>
/// </remarks>
internal static class PreviousZDifference
{
    /// <summary>The central difference along <paramref name="v"/> and the tolerance of this numeric side.</summary>
    public static (double Numeric, double Tolerance) Measure(CaseConfig c, CaseInputs x, RoundingBound bound, double[] v)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(bound);
        ArgumentNullException.ThrowIfNull(v);
        var f = Arithmetic.Float64;
        var z = x.PreviousZ ?? throw new ArgumentException($"case {CaseId.Format(c)} has no activation below", nameof(x));
        var ggA = x.SecondOrder!.Input.Data;
        var s = DefinitionSums.InputGradient(c, x.Upstream.Data, x.Weights.Data);
        var m = bound.InputGradientMagnitude;
        long k = bound.ReductionLength(TensorKind.Dx);
        int cg = RoundingBound.ActivationRoundings(c.Activation);
        long n = ggA.Length;
        var (g1, g2, g4) = Bounds(c.Activation);
        double sumRounding = 1 / (1 - f.Gamma(n + 4));
        double a = 0, az = 0;
        for (int i = 0; i < n; i++)
        {
            a += Math.Abs(ggA[i]) * m[i];
            az += Math.Abs(ggA[i]) * m[i] * Math.Abs(z.Data[i]);
        }
        a *= sumRounding * (1 + f.Gamma(k));
        az *= sumRounding * (1 + f.Gamma(k));
        double e = (f.Gamma(cg) + (f.UnitRoundoff + f.Gamma(n) * f.Gamma(n)) * (1 + f.Gamma(cg))) * g1 * a + (n + cg) * f.UnderflowUnit;
        double b = g4 * a / 6;
        double h = b > 0 && e > 0 ? Math.ScaleB(1, (int)Math.Floor(Math.Log2(Math.Cbrt((e + f.UnitRoundoff * g2 * az) / (2 * b))))) : 1.0 / 64;
        h = Math.Min(h, 1.0 / 64);

        double L(double sign)
        {
            var l = new CompensatedDot();
            for (int i = 0; i < n; i++)
                l.AddProduct(ggA[i] * ActivationDefinition.Derivative(c.Activation, z.Data[i] + sign * h * v[i]), s[i]);
            return l.Value;
        }
        double numeric = (L(1) - L(-1)) / (2 * h);
        double p = f.UnitRoundoff * g2 * (az + h * a);
        double tolerance = (e + p) / h + 2 * f.UnitRoundoff * Math.Abs(numeric) + h * h * b + g2 * f.Gamma(k) * a;
        return (numeric, tolerance);
    }

    /// <summary>sup |g'|, |g''|, |g''''| (see the remarks).</summary>
    private static (double First, double Second, double Fourth) Bounds(ActivationKind kind)
    {
        double sigmoidSecond = 1 / (6 * Math.Sqrt(3)), sigmoidFourth = 2 / (6 * Math.Sqrt(3));
        return kind switch
        {
            ActivationKind.Sigmoid => (0.25, sigmoidSecond, sigmoidFourth),
            ActivationKind.Tanh => (1, 4 / (3 * Math.Sqrt(3)), 32 * sigmoidFourth),
            _ => (1, 0, 0),
        };
    }
}

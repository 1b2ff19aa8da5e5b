using ConvCompare.Comparison;
using ConvCompare.Numerics;
using ConvCompare.Tests.ConvRef.Family;
using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.SecondOrder;

/// <summary>The inputs of the backward pass a second-order gradient is taken with respect to.</summary>
public enum BackwardInput
{
    Input,
    Weights,
    Delta,
    PreviousZ,
}

/// <summary>
/// The numeric second-order check in the manner of PyTorch's gradgradcheck: the central difference of
/// L(θ) = ⟨gg_a, B_a(θ)⟩ + ⟨gg_w, B_w(θ)⟩ + ⟨gg_b, B_b(θ)⟩, with B ConvRef's first-order backward pass in
/// float64, along a random direction v of one input, against ⟨∇L, v⟩ from the double backward under test.
/// Only the terms of L that depend on the input moved are evaluated (the rest are constant along v).
/// </summary>
/// <remarks>
/// <para><b>No truncation in a, w, δ.</b> The backward pass is linear in each of a, w and δ alone (Eq 3, 5,
/// 9), so L is linear along such a direction wherever the clamp keeps passing the same entries: the central
/// difference is exact, and the step h can be 1. With clipping, h is the largest power of 2 for which no
/// |dJ/dw_i| moves by more than half its distance from c (less its rounding bound): the change is at most
/// h·(|v| ⊗ |δ|) along a and h·(|a| ⊗ |v|) along δ (Eq 3 on absolute values), and w does not move dJ/dw.</para>
/// <para><b>Truncation in z.</b> L depends on z through Σ gg_a·dJ/da·g'(z), so the central difference errs by
/// at most h²/6 · sup|g''''| · Σ|gg_a|·|dJ/da|·|v|³. σ'''' = σ'(1-2σ)(1-12σ+12σ²), where |σ'(1-2σ)| = |σ''|
/// peaks at 1/(6√3) (σ = (1 ± 1/√3)/2) and |1-12σ+12σ²| &lt;= 2, so sup|σ''''| &lt;= 2/(6√3); tanh(z) = 2σ(2z) - 1
/// gives sup|tanh''''| &lt;= 2^5 times that; h = 2^-14.
/// ReLU and leaky ReLU: g' is constant where no z_i crosses 0; z lies on a 2^-20 grid, so h = 2^-22 with
/// |v| &lt; 1 crosses nothing (v_i = 0 where z_i = 0).</para>
/// <para><b>Exact steps.</b> θ ± h·v is computed exactly (checked with TwoSum), so the difference is taken
/// at exactly the intended points.</para>
/// <para><b>Rounding.</b> Each entry of B has |B̂_i - B_i| &lt;= gamma_(K_i + c_g)·M_i (K per entry as in
/// <see cref="RoundingBound"/>, M_i the same pass on absolute values at |θ| + h|v|, by TorchSharp, with
/// |g'| &lt;= 1 and the clamp 1-Lipschitz). The n products with gg are summed with Dot2
/// (<see cref="CompensatedDot"/>: error u|x'y| + gamma_n²·Σ|x_i y_i|), so with S = Σ|gg_i|·M_i,
/// |L̂ - L| &lt;= (gamma_(K_max + c_g) + (u + gamma_n²)(1 + gamma_(K_max + c_g)))·S = E at each point. The
/// difference adds u·|L̂₊ - L̂₋| and the division by 2h is exact: |Q̂ - ⟨∇L, v⟩| &lt;= (E₊ + E₋)/(2h) + 2u|Q̂|
/// + truncation. The analytic side's own error is Σ|v_j|·t_j (t the double backward's bound between two
/// float64 computations, <see cref="SecondOrderBounds"/>, an upper bound for one) plus Dot2's
/// (u + gamma_n²)·Σ|v_j·Ĝ_j|, both times 1 + gamma_(n+1) for the sums of the bound itself. The tolerance is
/// the sum of these.</para>
/// </remarks>
internal static class SecondOrderFiniteDifference
{
    /// <summary>The numeric and analytic directional derivatives and the bound on their difference.</summary>
    public sealed record Check(double Numeric, double Analytic, double Tolerance)
    {
        public bool Agrees => Math.Abs(Numeric - Analytic) <= Tolerance;

        public override string ToString() => FormattableString.Invariant(
            $"central difference {Numeric:R}, double backward {Analytic:R}, difference {Math.Abs(Numeric - Analytic):R}, bound {Tolerance:R}");
    }

    /// <summary>A direction on the 2^-20 grid in [-1, 1), zero where z is exactly 0 for a z direction.</summary>
    public static double[] Direction(SecondOrderCase s, BackwardInput variable, ulong seed)
    {
        var rng = new TestRandom(seed);
        var point = Point(s.Case, variable);
        return [.. point.Select(p => variable == BackwardInput.PreviousZ && p == 0 ? 0 : rng.Signed())];
    }

    /// <summary>The check along <paramref name="direction"/> with the analytic gradient <paramref name="analytic"/> (ConvRef's double backward, or a planted one).</summary>
    public static Check Along(SecondOrderCase s, BackwardInput variable, double[] direction, SecondOrderRun analytic)
    {
        var c = s.Case;
        double h = Step(s, variable, direction);
        double[] center = Point(c, variable);
        double[] plus = Moved(center, direction, h), minus = Moved(center, direction, -h);
        double lPlus = L(s, variable, plus), lMinus = L(s, variable, minus);
        double numeric = (lPlus - lMinus) / (2 * h);

        double[] gradient = variable switch
        {
            BackwardInput.Input => analytic.Input,
            BackwardInput.Weights => analytic.Weights,
            BackwardInput.Delta => analytic.Delta,
            _ => analytic.PreviousZ!,
        };
        double analyticValue = CompensatedDot.Dot(direction, gradient);

        var u = Arithmetic.Float64;
        var bounds = SecondOrderBounds.Between(s, u, u);
        double[] bound = variable switch
        {
            BackwardInput.Input => bounds.Input,
            BackwardInput.Weights => bounds.Weights,
            BackwardInput.Delta => bounds.Delta,
            _ => bounds.PreviousZ!,
        };
        long n = gradient.Length;
        double analyticError = direction.Select((v, j) => Math.Abs(v) * bound[j]).Sum() * (1 + u.Gamma(n + 1))
            + (u.UnitRoundoff + u.Gamma(n) * u.Gamma(n)) * direction.Select((v, j) => Math.Abs(v * gradient[j])).Sum() * (1 + u.Gamma(n + 1));
        double evaluation = (Rounding(s, variable, direction, h) * 2) / (2 * h) + 2 * u.UnitRoundoff * Math.Abs(numeric);
        return new Check(numeric, analyticValue, evaluation + Truncation(s, variable, direction, h) + analyticError);
    }

    /// <summary>E at θ ± hv: gamma_(K_max + c_g + n) times Σ|gg|·M with M on |θ| + h|v|.</summary>
    private static double Rounding(SecondOrderCase s, BackwardInput variable, double[] direction, double h)
    {
        var c = s.Case;
        var g = c.Op.Geometry(c.InputShape, c.WeightShape, c.Spec);
        var abs = Abs(c);
        var grown = variable == BackwardInput.PreviousZ ? abs : With(abs, variable, Moved(Point(abs, variable), [.. direction.Select(Math.Abs)], h));
        var m = FamilyRun.Torch(grown with { Activation = Activation.Identity, PreviousZ = null, Clip = null });
        long kernel = g.KernelSize.Aggregate(1L, (p, k) => p * k);
        long copies = g.Transposed ? 1 : Enumerable.Range(0, g.Rank).Aggregate(1L, (p, i) => p * (1 + g.PadBefore[i] + g.PadAfter[i]));
        long positions = (long)g.BatchSize * (g.Transposed ? g.InputSize : g.OutputSize).Aggregate(1L, (p, x) => p * x);
        long outputPositions = (long)g.BatchSize * g.OutputSize.Aggregate(1L, (p, x) => p * x);
        long inputGradientTerms = copies * g.OutChannelsPerGroup * kernel;
        long k = variable switch
        {
            BackwardInput.Input => positions,
            BackwardInput.Delta => Math.Max(inputGradientTerms, Math.Max(positions, outputPositions)),
            _ => inputGradientTerms,
        };
        int extra = c.PreviousZ is null ? 0 : RoundingBound.ActivationRoundings(c.Activation.Kind);
        long n = s.GgInput.Length + s.GgWeights.Length + (s.GgBias?.Length ?? 0);
        double sum = (variable == BackwardInput.Input ? 0 : Dot(s.GgInput, m.Input))
            + (variable is BackwardInput.Input or BackwardInput.Delta ? Dot(s.GgWeights, m.Weights) : 0)
            + (variable == BackwardInput.Delta && s.GgBias is not null ? Dot(s.GgBias, m.Bias!) : 0);
        var f = Arithmetic.Float64;
        double inflate = 1 / (1 - f.Gamma(k + extra + n + 2));
        double entries = f.Gamma(k + extra);
        return (entries + (f.UnitRoundoff + f.Gamma(n) * f.Gamma(n)) * (1 + entries)) * sum * inflate + (k + extra) * n * double.Epsilon;

        static double Dot(double[] gg, double[] magnitude) => gg.Select((v, i) => Math.Abs(v) * magnitude[i]).Sum();
    }

    /// <summary>2/(6√3), a bound on sup|σ''''| (see the remarks).</summary>
    private const double SigmoidFourth = 0.19245008972987526;

    private static double Truncation(SecondOrderCase s, BackwardInput variable, double[] direction, double h)
    {
        var c = s.Case;
        if (variable != BackwardInput.PreviousZ || c.Activation.Kind is not (ActivationKind.Sigmoid or ActivationKind.Tanh))
            return 0;
        double fourth = c.Activation.Kind == ActivationKind.Sigmoid ? SigmoidFourth : 32 * SigmoidFourth;
        var dA = FamilyRun.Torch(Abs(c) with { Activation = Activation.Identity, PreviousZ = null, Clip = null }).Input;
        double sum = 0;
        for (int i = 0; i < dA.Length; i++)
            sum += Math.Abs(s.GgInput[i]) * dA[i] * Math.Pow(Math.Abs(direction[i]), 3);
        // The sum of non-negative terms is computed to within gamma_(n+4) of itself (the product of four factors, n additions).
        return h * h / 6 * fourth * sum / (1 - Arithmetic.Float64.Gamma(dA.Length + 4));
    }

    /// <summary>1 for a, w, δ without clipping; see the remarks for clipping and z.</summary>
    private static double Step(SecondOrderCase s, BackwardInput variable, double[] direction)
    {
        var c = s.Case;
        if (variable == BackwardInput.PreviousZ)
            return c.Activation.Kind is ActivationKind.Sigmoid or ActivationKind.Tanh ? Math.ScaleB(1, -14) : Math.ScaleB(1, -22);
        if (c.Clip is not { } clip || variable == BackwardInput.Weights)
            return 1;
        var dw = FamilyRun.Torch(c with { Clip = null }).Weights;
        var bound = FamilyBounds.Within<double>(c).Weights;
        var abs = Abs(c);
        var change = FamilyRun.Torch(With(abs, variable, direction.Select(Math.Abs).ToArray()) with
            { Activation = Activation.Identity, PreviousZ = null, Clip = null }).Weights;
        double h = 1;
        for (int i = 0; i < dw.Length; i++)
        {
            double margin = Math.Abs(Math.Abs(dw[i]) - clip) - bound[i];
            Assert.True(margin > 0, $"{c}: |dJ/dw[{i}]| is within its rounding bound of the clip value");
            while (h * change[i] > margin / 2)
                h /= 2;
        }
        return h;
    }

    /// <summary>
    /// The terms of L that depend on <paramref name="variable"/> (the others are constant along it and would
    /// only add rounding): ⟨gg_a, B_a⟩ depends on w, δ and z; ⟨gg_w, B_w⟩ on a and δ; ⟨gg_b, B_b⟩ on δ.
    /// </summary>
    private static double L(SecondOrderCase s, BackwardInput variable, double[] values)
    {
        var c = With(s.Case, variable, values);
        var b = c.Op.Backward(c.InputTensor<double>(), c.WeightTensor<double>(), c.Bias is not null, c.DeltaTensor<double>(), c.Spec,
            c.Options<double>());
        var l = new CompensatedDot();
        if (variable != BackwardInput.Input)
            for (int i = 0; i < s.GgInput.Length; i++)
                l.AddProduct(s.GgInput[i], b.Input.Data[i]);
        if (variable is BackwardInput.Input or BackwardInput.Delta)
            for (int i = 0; i < s.GgWeights.Length; i++)
                l.AddProduct(s.GgWeights[i], b.Weights.Data[i]);
        if (variable == BackwardInput.Delta && s.GgBias is { } ggB)
            for (int i = 0; i < ggB.Length; i++)
                l.AddProduct(ggB[i], b.Bias!.Data[i]);
        return l.Value;
    }

    private static double[] Point(FamilyCase c, BackwardInput variable) => variable switch
    {
        BackwardInput.Input => c.Input,
        BackwardInput.Weights => c.Weights,
        BackwardInput.Delta => c.Delta,
        _ => c.PreviousZ!,
    };

    private static FamilyCase With(FamilyCase c, BackwardInput variable, double[] values) => variable switch
    {
        BackwardInput.Input => c with { Input = values },
        BackwardInput.Weights => c with { Weights = values },
        BackwardInput.Delta => c with { Delta = values },
        _ => c with { PreviousZ = values },
    };

    private static FamilyCase Abs(FamilyCase c) => c with
    {
        Input = [.. c.Input.Select(Math.Abs)], Weights = [.. c.Weights.Select(Math.Abs)], Delta = [.. c.Delta.Select(Math.Abs)],
        Bias = c.Bias is null ? null : [.. c.Bias.Select(Math.Abs)],
    };

    /// <summary>θ + step·v, asserted exact (TwoSum's error term is zero).</summary>
    private static double[] Moved(double[] point, double[] direction, double step)
    {
        var moved = new double[point.Length];
        for (int i = 0; i < point.Length; i++)
        {
            double a = point[i], b = step * direction[i], sum = a + b, bb = sum - a;
            Assert.True((a - (sum - bb)) + (b - bb) == 0 && b / step == direction[i], $"θ[{i}] + {step}·v[{i}] is not exact in float64");
            moved[i] = sum;
        }
        return moved;
    }
}

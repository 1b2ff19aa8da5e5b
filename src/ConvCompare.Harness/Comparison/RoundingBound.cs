using ConvCompare.Cases;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using ConvRef;

namespace ConvCompare.Comparison;

/// <summary>
/// Per-element bounds on rounding error, from which every tolerance of the harness follows.
/// </summary>
/// <remarks>
/// <para><b>Derivation.</b> Every element of y, dJ/da, dJ/dw and dJ/db is a sum of K products
/// s = sum x_i y_i (plus the bias for y). Computed in floating point with unit roundoff u, in any
/// order and any blocking, |fl(s) - s| &lt;= gamma_K * sum |x_i y_i|, gamma_K = K u / (1 - K u)
/// (Higham, <i>Accuracy and Stability of Numerical Algorithms</i>, 2nd ed., eq. (3.4) and §3.1;
/// FMA only tightens it). The right-hand sum, the <i>magnitude</i>, is the same expression evaluated
/// on absolute values, computed by the harness's own <see cref="DefinitionSums"/> straight from the
/// definition of conv2d in float64, never by an implementation under judgement (ConvRef or TorchSharp),
/// so a bug in one cannot move the yardstick it is measured with:</para>
/// <list type="bullet">
/// <item>y (Eq 1): |a| (x) |w| + |b|, K = C_in/G * kH * kW (+1 with bias: the bias is one more term);</item>
/// <item>dJ/da (Eq 5/8): |dy| (x)_f Rot180(|w|), K = C_out/G * kH * kW;</item>
/// <item>dJ/dw (Eq 3/7): |a| (x) |dy|, K = N * H_out * W_out;</item>
/// <item>dJ/db (Eq 9): sum |dy|, K = N * H_out * W_out.</item>
/// <item>the double backward's gradients of a second-order case: see <see cref="SecondOrderMagnitudes"/>.</item>
/// </list>
/// <para>For the rest of the convolution family (1-D, 3-D, transposed, padding modes) K per tensor is
/// derived in <see cref="ReductionLengths"/> and the magnitudes are those of <see cref="FamilySums"/>.</para>
/// <para>Padding, zero interleaving and uncovered positions only add exact zero terms, which do not
/// round, so K is an upper bound for every algorithm that sums the same products (direct, im2col+GEMM,
/// transposed convolution); algorithms that form other products (Winograd, FFT) are outside the
/// bound, and an oracle using them would be reported as out of bound.</para>
/// <para><b>Activation.</b> delta^(l-1) = dJ/da .* g'(z) (Eq 6/8) adds one rounding for the product
/// and the rounding of evaluating g'(z): none for ReLU (0 or 1), one for leaky ReLU (its slope 0.01
/// rounded to the working precision, which one side may round and the other not),
/// for sigmoid s(1-s) with s = 1/(1+e^-z) about 4 u in s, amplified by s/(1-s) = e^z &lt;= e in 1-s
/// for |z| &lt;= 1, plus one for the product: 4 + 4e + 1 &lt;= 17 roundings; for tanh 1 - t^2 with
/// t good to 2 u: t^2 to 5 u, amplified by t^2/(1-t^2) &lt;= 1.38 for |z| &lt;= 1, plus one: 8
/// roundings. So the element's error is at most gamma_(K + 1 + c_g) |g'(z)| * magnitude(dJ/da).</para>
/// <para><b>Clipping</b> clamps dJ/dw to [-c, c]; clamping is 1-Lipschitz, so bounds on the
/// unclamped values hold for the clamped ones.</para>
/// <para><b>Underflow.</b> The model above assumes no underflow; a product that underflows has an
/// absolute error of at most lambda (half the smallest subnormal), sums of subnormals are exact, so
/// each element gets (K + extra) * lambda more.</para>
/// <para><b>NaN and infinities.</b> An element whose sum has a NaN or infinite term is compared for
/// propagation, not within a bound (<see cref="TensorComparison.Propagated"/>); every other element's
/// sum has only finite terms. So the magnitudes are taken over the finite values, non-finite ones
/// counting as zero: a NaN or infinity there would spread to neighbouring elements through any
/// implementation that multiplies it by zeros it inserts (dilation, padding, junk columns).</para>
/// <para><b>Two implementations.</b> If x_A and x_B both satisfy |x - s| &lt;= e_A, e_B, then
/// |x_A - x_B| &lt;= e_A + e_B: same precision gives 2 gamma_K * magnitude. For the compensated
/// reference (Dot2) e = (u + gamma_K^2) * magnitude, see <see cref="Arithmetic.Coefficient"/>.</para>
/// <para><b>The magnitude's own rounding.</b> It is a sum of non-negative terms computed in float64,
/// so the computed value is at least (1 - gamma_(K+extra+2)) times the true one; it is divided by
/// that factor.</para>
/// </remarks>
internal sealed class RoundingBound
{
    private readonly CaseConfig _config;
    private readonly Dictionary<TensorKind, Lazy<(double[] Magnitude, long Terms, int Extra)>> _parts;
    private readonly Lazy<double[]> _inputGradient;

    private RoundingBound(CaseConfig config, CaseInputs inputs)
    {
        _config = config;
        var a = Abs(inputs.Input);
        var w = Abs(inputs.Weights);
        var dy = Abs(inputs.Upstream);
        var (kY, kDx, kDw, kDb) = ReductionLengths.Of(config);
        int extraDx = ActivationRoundings(config.Activation);
        var rawInputGradient = new Lazy<double[]>(() => DefinitionSums.InputGradient(config, dy, w));
        _inputGradient = new Lazy<double[]>(() => Inflate(rawInputGradient.Value, kDx, 0));
        _parts = new()
        {
            [TensorKind.Y] = new(() => (Inflate(DefinitionSums.Output(config, a, w, inputs.Bias is { } b ? Abs(b) : []), kY, 0), kY, 0)),
            [TensorKind.Dx] = new(() => (Inflate(TimesDerivative(config, rawInputGradient.Value, inputs.PreviousZ), kDx, extraDx), kDx, extraDx)),
            [TensorKind.Dw] = new(() => (Inflate(DefinitionSums.WeightGradient(config, a, dy), kDw, 0), kDw, 0)),
        };
        if (config.Bias)
            _parts[TensorKind.Db] = new(() => (Inflate(DefinitionSums.BiasGradient(config, dy), kDb, 0), kDb, 0));
        // Only where gg was drawn: the numeric check's bounds at inflated values have no second order.
        if (inputs.SecondOrder is not null)
            foreach (var (kind, magnitude, terms, extra) in SecondOrderMagnitudes.Of(config, inputs))
                _parts[kind] = new(() => (Inflate(magnitude(), terms, extra), terms, extra));
    }

    /// <summary>|dy| (x)_f Rot180(|w|): the magnitude of dJ/da before any g'(z) factor.</summary>
    public double[] InputGradientMagnitude => _inputGradient.Value;

    /// <summary>
    /// Roundings of evaluating g'(z) and multiplying by it (see remarks); valid for |z| &lt;= 1,
    /// the range the generator draws.
    /// </summary>
    public static int ActivationRoundings(ActivationKind kind) => kind switch
    {
        ActivationKind.Identity => 0,
        ActivationKind.ReLU => 1,
        // The slope 0.01 is not a binary fraction: rounding it to the working precision is one
        // more relative error of at most u on every negative-z element.
        ActivationKind.LeakyReLU => 2,
        ActivationKind.Sigmoid => 17,
        ActivationKind.Tanh => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown activation"),
    };

    /// <summary>
    /// The bounds of every tensor of a case, from magnitudes summed on absolute values in float64 by
    /// <see cref="DefinitionSums"/>, all computed here, so that a failure of the judge shows before any
    /// implementation runs. Their summation order is fixed by the loops alone, so every bound is the
    /// same on every machine.
    /// </summary>
    public static RoundingBound Compute(CaseConfig config, CaseInputs inputs)
    {
        var bound = Deferred(config, inputs);
        foreach (var part in bound._parts.Values)
            _ = part.Value;
        return bound;
    }

    /// <summary>As <see cref="Compute"/>, each tensor's magnitudes summed only when first asked for (the numeric check needs only y's and dJ/da's at inflated values).</summary>
    public static RoundingBound Deferred(CaseConfig config, CaseInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(inputs);
        return new RoundingBound(config, inputs);
    }

    /// <summary>The reduction length K of each element of <paramref name="kind"/>.</summary>
    public long ReductionLength(TensorKind kind) => Part(kind).Terms;

    /// <summary>The magnitude of each element (the sum of absolute products, times |g'(z)| for dx with an activation).</summary>
    public IReadOnlyList<double> Magnitude(TensorKind kind) => Part(kind).Magnitude;

    /// <summary>Per-element bound on |computed - exact| for an implementation computing in <paramref name="arithmetic"/>.</summary>
    public double[] Of(TensorKind kind, Arithmetic arithmetic)
    {
        ArgumentNullException.ThrowIfNull(arithmetic);
        var (magnitude, terms, extra) = Part(kind);
        double coefficient = arithmetic.Coefficient(terms, extra);
        double underflow = (terms + extra) * arithmetic.UnderflowUnit;
        var bound = new double[magnitude.Length];
        for (int i = 0; i < bound.Length; i++)
            bound[i] = coefficient * magnitude[i] + underflow;
        return bound;
    }

    /// <summary>Per-element bound on |x_A - x_B| for two implementations: the sum of their bounds.</summary>
    public double[] Between(TensorKind kind, Arithmetic first, Arithmetic second)
    {
        var bound = Of(kind, first);
        var other = Of(kind, second);
        for (int i = 0; i < bound.Length; i++)
            bound[i] += other[i];
        return bound;
    }

    private (double[] Magnitude, long Terms, int Extra) Part(TensorKind kind) =>
        _parts.TryGetValue(kind, out var part)
            ? part.Value
            : throw new ArgumentException($"the case {CaseId.Format(_config)} has no {kind.Name()}", nameof(kind));

    /// <summary>|dJ/da| magnitude times |g'(z)| (harness's g', <see cref="ActivationDefinition"/>): the magnitude of delta^(l-1) (Eq 6/8).</summary>
    private static double[] TimesDerivative(CaseConfig config, double[] magnitude, Tensor<double>? z)
    {
        var dx = (double[])magnitude.Clone();
        if (z is not null)
            for (int i = 0; i < dx.Length; i++)
                dx[i] *= Math.Abs(ActivationDefinition.Derivative(config.Activation, z.Data[i]));
        return dx;
    }

    private static double[] Inflate(double[] magnitude, long terms, int extra)
    {
        double factor = 1 / (1 - Arithmetic.Float64.Gamma(terms + extra + 2));
        return Array.ConvertAll(magnitude, m => m * factor);
    }

    private static double[] Abs(Tensor<double> t) => Array.ConvertAll(t.Data, v => double.IsFinite(v) ? Math.Abs(v) : 0);
}

using System.Globalization;
using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using ConvRef;

namespace ConvCompare.GradCheck;

/// <summary>
/// Numeric gradient check in float64, independent of everything it judges: central differences of
/// J = sum(y .* dy), with y the harness's own definition-level forward pass
/// (<see cref="DefinitionSums.Output"/>, g from <see cref="ActivationDefinition"/>), against the analytic
/// gradients of ConvRef's implementations and of TorchSharp, in the manner of
/// <c>torch.autograd.gradcheck</c> (full: element by element; fast: random projections). The numeric side
/// and every tolerance depend on the case alone (<see cref="Measure"/>), never on the gradients judged.
/// </summary>
/// <remarks>
/// <para><b>Variables.</b> a (or z^(l-1) through a = g(z) when the case has an activation, so the check
/// covers delta^(l-1) of Eq 6/8), w and b, each perturbed alone.</para>
/// <para><b>Why central differences are exact here.</b> J is linear in each of a, w, b separately (Eq 1
/// is bilinear in (a, w) plus b), so along a perturbation of one variable
/// J(x + d+) - J(x - d-) = grad . (d+ + d-) exactly, for any step: the only error is rounding. The
/// numeric side therefore compares (J+ - J-) with grad . (d+ + d-), where d+ = fl(x + h u) - x and
/// d- = x - fl(x - h u) are the steps actually taken. With ReLU or leaky ReLU J is piecewise linear
/// in z and stays on one piece because |z| &gt;= <see cref="CaseInputs.KinkMargin"/> &gt; h. Only sigmoid
/// and tanh make J curved: there the check uses Richardson extrapolation R = (4 D(h/2) - D(h)) / 3
/// (error O(h^4)) and adds the truncation estimate |D(h) - D(h/2)| / 3, the estimated error of
/// D(h/2) itself and so a generous one for R.</para>
/// <para><b>Rounding of evaluating J.</b> J is the definition's float64 forward followed by a Dot2 sum
/// (<see cref="CompensatedDot"/>), so |J_computed - J| &lt;= E = sum_o |dy_o| (gamma_(K+1) m_o + (u +
/// gamma_n^2) m_o (1 + gamma_K)) + sum_i |dJ/da_i|_max c_g u (|a_i| + h), with m = |a| (x) |w| + |b|
/// evaluated at |x| + h (so it bounds every perturbed point), K the forward reduction length, n the
/// number of outputs, and c_g the roundings of evaluating a = g(z)
/// (<see cref="ActivationDefinition.ApplyRoundings"/>). A central difference then errs by at most E / h
/// (two evaluations over 2h) plus 2u of its value for the subtraction and the step; Richardson's
/// combination by 3 E / h. The forward's summation order is fixed by its loops, so the numeric side is
/// the same on every machine, vector width included.</para>
/// <para><b>Rounding of the analytic side.</b> Each analytic element g_i of a correct float64
/// implementation is within B_i = <see cref="RoundingBound.Of"/> of the exact gradient, whose modulus is
/// at most its magnitude M_i; so |g_i| &lt;= M_i + B_i. The projection's tolerance adds |u| times B, Dot2's
/// own error on terms |u_i| (M_i + B_i), and the rounding of d+ + d-. It uses M + B rather than the
/// judged |g_i|, so that a wrong gradient cannot widen its own tolerance; a gradient beyond M + B is beyond
/// its rounding bound and wrong anyway.</para>
/// <para><b>Cost.</b> Each probe evaluates J twice (four times for sigmoid and tanh); b-probes reuse the
/// products a (x) w and redo only the bias addition, which the forward performs last, so the result is
/// bit for bit a full evaluation. Fast mode keeps the count at a few probes per variable whatever the
/// layer's size.</para>
/// <para><b>Sensitivity.</b> With steps of 1/32 (linear cases) and 1/4096 (smooth activations) and values
/// of order one, the tolerance of a small case is about 1e-10 of max|grad|, far below the 1e-6
/// relative change the tests plant; Rademacher directions give every element weight 1, so one
/// wrong element moves every projection by its full error.</para>
/// </remarks>
internal static class GradientCheck
{
    /// <summary>Step for identity, ReLU and leaky ReLU: large, since J is linear along it; below <see cref="CaseInputs.KinkMargin"/>.</summary>
    public const double PiecewiseLinearStep = 1.0 / 32;

    /// <summary>Step for sigmoid and tanh: truncation ~h^2 against rounding ~u/h, with Richardson on top.</summary>
    public const double SmoothStep = 1.0 / 4096;

    /// <summary>Full mode when (elements of a, w, b) x (forward cost) is at most this many multiply-adds.</summary>
    public const long FullModeBudget = 1L << 16;

    /// <summary>Rademacher directions per variable in fast mode.</summary>
    public const int DefaultDirections = 2;

    /// <summary>
    /// From this many multiply-adds on (realistic layers), fast mode uses one direction per variable:
    /// each direction costs two forward passes, and one Rademacher direction already gives every
    /// element weight 1, so a single wrong element moves it by its whole error.
    /// </summary>
    public const long OneDirectionFrom = 1_000_000;

    /// <summary>The directions per variable for <paramref name="config"/>: <paramref name="requested"/>, or one for a layer of at least <see cref="OneDirectionFrom"/> multiply-adds.</summary>
    public static int DirectionsFor(CaseConfig config, int requested)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.MultiplyAdds >= OneDirectionFrom ? Math.Min(requested, 1) : requested;
    }

    private static readonly double U = Arithmetic.Float64.UnitRoundoff;

    private static double Elements(int[] shape) => shape.Aggregate(1.0, (p, d) => p * d);

    /// <summary>Full for small cases, fast otherwise.</summary>
    public static GradCheckMode ChooseMode(CaseConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        // In double: for a large hand-written case the product would overflow a long.
        double elements = Elements(config.InputShape) + Elements(config.WeightShape) + (config.Bias ? config.Shape.Cout : 0);
        double perEvaluation = (double)config.MultiplyAdds + Elements(config.OutputShape);
        return elements * perEvaluation <= FullModeBudget ? GradCheckMode.Full : GradCheckMode.Fast;
    }

    /// <summary>
    /// Checks each set of <paramref name="analytic"/> gradients (float64, unclipped: dJ/da or delta^(l-1),
    /// dJ/dw, dJ/db) against central differences of the definition's forward pass; the numeric side is
    /// computed once for all sets.
    /// </summary>
    /// <param name="config">The case.</param>
    /// <param name="inputs">Its values (float64; exact copies of float32 values for float32 cases).</param>
    /// <param name="bound">The case's rounding bounds (<see cref="RoundingBound.Compute"/>), or null to compute them.</param>
    /// <param name="mode">Full or fast (<see cref="ChooseMode"/>).</param>
    /// <param name="directions">Rademacher directions per variable in fast mode.</param>
    /// <param name="analytic">Named gradient sets to judge.</param>
    public static IReadOnlyList<GradCheckResult> Run(CaseConfig config, CaseInputs inputs, RoundingBound? bound,
        GradCheckMode mode, int directions, IReadOnlyList<(string Name, CaseOutputs Gradients)> analytic)
    {
        ArgumentNullException.ThrowIfNull(analytic);
        var side = Measure(config, inputs, bound, mode, directions);
        return [.. analytic.Select(a => side.Judge(a.Name, a.Gradients))];
    }

    /// <summary>The numeric side of the check: every probe's central difference and tolerance, from the case alone.</summary>
    /// <param name="config">The case.</param>
    /// <param name="inputs">Its values.</param>
    /// <param name="bound">The case's rounding bounds, or null to compute them.</param>
    /// <param name="mode">Full or fast.</param>
    /// <param name="directions">Rademacher directions per variable in fast mode.</param>
    public static NumericSide Measure(CaseConfig config, CaseInputs inputs, RoundingBound? bound, GradCheckMode mode, int directions)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(inputs);
        if (!AllFinite(inputs))
        {
            // J = sum(y .* dy) is NaN or infinite at every point, so central differences say nothing;
            // such a case is judged by the propagation of its NaN and infinities (TensorComparison).
            return new NumericSide(mode, [], "none: the inputs hold NaN or infinities");
        }
        var problem = new Problem(config, inputs, bound ?? RoundingBound.Compute(config, inputs));
        var probes = new List<Probe>();
        foreach (var variable in problem.Variables)
        {
            var elementBound = problem.Bound.Of(variable.Kind, Arithmetic.Float64);
            var magnitude = problem.Bound.Magnitude(variable.Kind);
            var largest = new double[elementBound.Length];
            for (int i = 0; i < largest.Length; i++)
                largest[i] = magnitude[i] + elementBound[i];
            var directionsOf = mode == GradCheckMode.Full
                ? Enumerable.Range(0, variable.Values.Length).Select(i => (Label: TensorComparison.ElementName(variable.Name, variable.Values.Shape, i), Direction: Unit(variable.Values.Length, i)))
                : Enumerable.Range(0, directions).Select(d => (Label: variable.Name + " direction " + (d + 1).ToString(CultureInfo.InvariantCulture), Direction: Rademacher(config.ValueSeed, variable.Name, d, variable.Values.Length)));
            foreach (var (label, direction) in directionsOf)
                probes.Add(problem.Measure(variable, label, direction, elementBound, largest));
        }
        return new NumericSide(mode, probes);
    }

    private static bool AllFinite(CaseInputs inputs) =>
        new[] { inputs.Input, inputs.Weights, inputs.Bias, inputs.Upstream, inputs.PreviousZ }
            .All(t => t is null || Array.TrueForAll(t.Data, double.IsFinite));

    private static double[] Unit(int length, int index)
    {
        var u = new double[length];
        u[index] = 1;
        return u;
    }

    private static double[] Rademacher(ulong valueSeed, string variable, int direction, int length)
    {
        var rng = new SplitMix64(SplitMix64.Derive(valueSeed, 0x6772616463686B00UL + (ulong)variable[0] * 64 + (ulong)direction));
        var u = new double[length];
        for (int i = 0; i < length; i++)
            u[i] = rng.Chance(0.5) ? 1 : -1;
        return u;
    }

    /// <summary>A variable the check perturbs: a or z (judged against dx), w (dw), b (db).</summary>
    internal sealed record Variable(string Name, TensorKind Kind, Tensor<double> Values);

    /// <summary>One probe's numeric side: the direction's weights on the analytic gradient, the central difference and the tolerance.</summary>
    /// <param name="Variable">Which variable it perturbs.</param>
    /// <param name="Label"><c>w[0,1,2,0]</c> in full mode, <c>w direction 1</c> in fast mode.</param>
    /// <param name="Weights">The analytic side is Dot2(gradient, Weights).</param>
    /// <param name="Numeric">The central difference (Richardson-extrapolated for smooth activations).</param>
    /// <param name="Tolerance">The bound on |numeric - analytic| for any gradient within its rounding bound (see remarks).</param>
    internal sealed record Probe(Variable Variable, string Label, double[] Weights, double Numeric, double Tolerance)
    {
        /// <summary>|numeric - analytic| for gradient <paramref name="g"/> of this probe's variable (infinite for NaN).</summary>
        public double Error(double[] g)
        {
            double error = Math.Abs(Numeric - CompensatedDot.Dot(g, Weights));
            return double.IsNaN(error) ? double.PositiveInfinity : error;
        }
    }

    /// <summary>Every probe of a case, ready to judge any analytic gradient.</summary>
    /// <param name="Mode">Full or fast.</param>
    /// <param name="Probes">The probes, variable by variable.</param>
    /// <param name="NotMeasured">Why the numeric side could not be measured (every check then passes as not measured), or null.</param>
    internal sealed record NumericSide(GradCheckMode Mode, IReadOnlyList<Probe> Probes, string? NotMeasured = null)
    {
        /// <summary>Judges one set of gradients: the probe furthest beyond (or closest to) its tolerance.</summary>
        public GradCheckResult Judge(string name, CaseOutputs gradients)
        {
            ArgumentNullException.ThrowIfNull(gradients);
            if (NotMeasured is not null)
                return new GradCheckResult(name, Mode, 0, 0, 0, NotMeasured, true);
            double worstRatio = -1, worstError = 0, worstTolerance = 0;
            string worst = "";
            foreach (var probe in Probes)
            {
                double error = probe.Error(gradients[probe.Variable.Kind]!.Data);
                double ratio = double.IsFinite(error) ? error / probe.Tolerance : double.PositiveInfinity;
                if (ratio > worstRatio)
                    (worstRatio, worstError, worstTolerance, worst) = (ratio, error, probe.Tolerance, probe.Label);
            }
            return new GradCheckResult(name, Mode, Probes.Count, worstError, worstTolerance, worst, worstRatio <= 1);
        }
    }

    private sealed class Problem
    {
        private readonly CaseConfig _config;
        private readonly CaseInputs _inputs;
        private readonly bool _smooth;
        private readonly double _step;
        private readonly double _evaluationError;
        private readonly Lazy<double[]> _products;

        public Problem(CaseConfig config, CaseInputs inputs, RoundingBound bound)
        {
            _config = config;
            _inputs = inputs;
            _smooth = config.Activation is ActivationKind.Sigmoid or ActivationKind.Tanh;
            _step = _smooth ? SmoothStep : PiecewiseLinearStep;
            _products = new(() => DefinitionSums.Output(config, inputs.Input.Data, inputs.Weights.Data, []));
            Bound = bound;
            var list = new List<Variable>
            {
                inputs.PreviousZ is { } z ? new Variable("z", TensorKind.Dx, z) : new Variable("a", TensorKind.Dx, inputs.Input),
                new("w", TensorKind.Dw, inputs.Weights),
            };
            if (inputs.Bias is { } b)
                list.Add(new Variable("b", TensorKind.Db, b));
            Variables = list;
            _evaluationError = EvaluationError();
        }

        public RoundingBound Bound { get; }

        public IReadOnlyList<Variable> Variables { get; }

        /// <param name="variable">The variable perturbed.</param>
        /// <param name="label">The probe's name.</param>
        /// <param name="direction">u: a unit vector (full) or a Rademacher vector (fast).</param>
        /// <param name="elementBound">B: the float64 rounding bound of each analytic element.</param>
        /// <param name="largest">M + B: the largest modulus of each analytic element of a correct implementation.</param>
        public Probe Measure(Variable variable, string label, double[] direction, double[] elementBound, double[] largest)
        {
            var (plus, minus, actualSum) = Differences(variable, direction, _step);
            double numeric, numericError, stepRounding;
            double[] weights;
            if (!_smooth)
            {
                // Linear along the probe: (J+ - J-) / 2h equals grad . (d+ + d-) / 2h exactly.
                numeric = (plus - minus) / (2 * _step);
                weights = Array.ConvertAll(actualSum, d => d / (2 * _step));
                numericError = _evaluationError / _step + 2 * U * Math.Abs(numeric);
                stepRounding = 0;
            }
            else
            {
                var (plusHalf, minusHalf, _) = Differences(variable, direction, _step / 2);
                double d1 = (plus - minus) / (2 * _step);
                double d2 = (plusHalf - minusHalf) / _step;
                numeric = (4 * d2 - d1) / 3;
                numericError = 3 * _evaluationError / _step + 3 * U * (Math.Abs(d1) + Math.Abs(d2)) + Math.Abs(d1 - d2) / 3;
                // The nominal direction is compared; steps actually taken differ from h u by at most u (|x| + h) per element.
                weights = direction;
                stepRounding = 3 * U / _step;
            }
            double weighted = 0, terms = 0, stepError = 0;
            var x = variable.Values.Data;
            for (int i = 0; i < weights.Length; i++)
            {
                double wi = Math.Abs(weights[i]);
                weighted += wi * elementBound[i];
                terms += wi * largest[i];
                stepError += largest[i] * stepRounding * (Math.Abs(x[i]) + SmoothStep);
            }
            long n = weights.Length;
            double dotError = (3 * U + Arithmetic.Float64.Gamma(n) * Arithmetic.Float64.Gamma(n)) * terms;
            return new Probe(variable, label, weights, numeric, numericError + weighted + dotError + stepError);
        }

        private (double Plus, double Minus, double[] ActualSum) Differences(Variable variable, double[] direction, double step)
        {
            var x = variable.Values.Data;
            var up = new double[x.Length];
            var down = new double[x.Length];
            var actual = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                up[i] = x[i] + step * direction[i];
                down[i] = x[i] - step * direction[i];
                actual[i] = (up[i] - x[i]) + (x[i] - down[i]);
            }
            return (Evaluate(variable, up), Evaluate(variable, down), actual);
        }

        /// <summary>J = Dot2(y, dy) with <paramref name="values"/> in place of the variable's.</summary>
        private double Evaluate(Variable variable, double[] values)
        {
            double[] y;
            switch (variable.Name)
            {
                case "z":
                    var kind = _config.Activation;
                    y = DefinitionSums.Output(_config, Array.ConvertAll(values, v => ActivationDefinition.Apply(kind, v)), _inputs.Weights.Data, BiasOf(_inputs));
                    break;
                case "a":
                    y = DefinitionSums.Output(_config, values, _inputs.Weights.Data, BiasOf(_inputs));
                    break;
                case "w":
                    y = DefinitionSums.Output(_config, _inputs.Input.Data, values, BiasOf(_inputs));
                    break;
                default:
                    y = (double[])_products.Value.Clone();
                    DefinitionSums.AddBias(_config, y, values);
                    break;
            }
            return CompensatedDot.Dot(y, _inputs.Upstream.Data);
        }

        private static double[] BiasOf(CaseInputs inputs) => inputs.Bias?.Data ?? [];

        /// <summary>E: the bound on |J_computed - J| at any perturbed point (see the class remarks).</summary>
        private double EvaluationError()
        {
            double h = _step;
            Tensor<double> Inflated(Tensor<double> t) => new([.. t.Shape], Array.ConvertAll(t.Data, v => Math.Abs(v) + h));
            var inflatedConfig = _config with { Activation = ActivationKind.Identity, Clip = null };
            var inflated = new CaseInputs(Inflated(_inputs.Input), Inflated(_inputs.Weights),
                _inputs.Bias is null ? null : Inflated(_inputs.Bias), _inputs.Upstream, null);
            var bound = RoundingBound.Deferred(inflatedConfig, inflated);
            var magnitude = bound.Magnitude(TensorKind.Y);
            var outputBound = bound.Of(TensorKind.Y, Arithmetic.Float64);
            long n = magnitude.Count;
            double sumCoefficient = (U + Arithmetic.Float64.Gamma(n) * Arithmetic.Float64.Gamma(n)) * (1 + Arithmetic.Float64.Gamma(bound.ReductionLength(TensorKind.Y)));
            double e = 0;
            var dy = _inputs.Upstream.Data;
            for (int o = 0; o < dy.Length; o++)
                e += Math.Abs(dy[o]) * (outputBound[o] + sumCoefficient * magnitude[o]);
            int applyRoundings = ActivationDefinition.ApplyRoundings(_config.Activation);
            if (applyRoundings > 0)
            {
                var dJda = bound.InputGradientMagnitude;
                var a = _inputs.Input.Data;
                for (int i = 0; i < a.Length; i++)
                    e += dJda[i] * applyRoundings * U * (Math.Abs(a[i]) + h);
            }
            return e;
        }
    }
}

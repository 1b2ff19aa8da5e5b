using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Implementations;
using ConvCompare.Numerics;
using ConvRef;

namespace ConvCompare.Snapshots;

/// <summary>One result tensor of ConvRef with the largest move two correct runs may show per element.</summary>
/// <param name="Kind"><c>y</c>, <c>dx</c> (dJ/da, or delta^(l-1) with an activation), <c>dw</c> or <c>db</c>; at second order also <c>d2x</c>, <c>d2w</c>, <c>d2dy</c>.</param>
/// <param name="Shape">Its shape.</param>
/// <param name="Values">Its values, converted exactly to float64.</param>
/// <param name="Bounds">Per element, the tolerance (zero for exact values).</param>
/// <param name="ReductionLength">K, the number of products each element sums.</param>
internal sealed record SnapshotTensor(TensorKind Kind, IReadOnlyList<int> Shape, double[] Values, double[] Bounds, long ReductionLength)
{
    /// <summary>The report name: y, dx, dw, db.</summary>
    public string Name => Kind.Name();
}

/// <summary>ConvRef's results for a case, each element with its snapshot tolerance.</summary>
/// <remarks>
/// <para>Element tolerance: the stored value and the value now each come from a correct run, on any
/// x64 machine, SIMD width or thread count; each lies within the harness's rounding bound of the
/// exact result (<see cref="RoundingBound"/>: gamma_(K+extra) times the magnitude, the same sum over
/// absolute values, summed by the harness from the conv2d definition), so they differ by at most the sum of two such bounds,
/// <c>RoundingBound.Between(kind, dtype, dtype)</c> = 2 gamma_(K+extra) m_i. An element with zero
/// magnitude (an uncovered input row, a zero-padded corner) must stay exactly zero.</para>
/// <para>One input is not bit-identical across machines: with sigmoid or tanh, a = g(z) goes through
/// the C library's exp/tanh (<see cref="CaseInputs.Create"/>). Two C libraries within 2 ulps of the
/// true value differ by at most 4 ulps, i.e. 4u relative (for float32, the rounding of such values to
/// float32 differs by at most one float32 ulp, 2u); perturbing every a_i by a relative epsilon moves
/// the exact y and dJ/dw by at most epsilon times their magnitude, so y and dJ/dw get 4u m_i more.
/// dJ/da does not read a, and the libm part of g'(z) is inside the harness's bound already. At second
/// order dL/d(dy) reads a (through a (*) gg_w) and gets the same 4u m_i; dL/da and dL/dw do not read it.</para>
/// </remarks>
internal static class SnapshotResults
{
    /// <summary>Relative move of a = g(z) between C libraries, in units of u (sigmoid, tanh).</summary>
    public const int LibmInputUlps = 4;

    /// <summary>The registered implementation whose results are stored: ConvRef's fast path, the one refactors touch.</summary>
    public static IConv2dImplementation Stored => BuiltInImplementations.Fast;

    /// <summary>
    /// ConvRef's y, dx, dw and db for <paramref name="config"/> on <paramref name="inputs"/>, with
    /// tolerances; with <paramref name="exact"/> every tolerance is zero, which this method checks is
    /// right (integer inputs, every magnitude below 2^53, so no operation rounds).
    /// </summary>
    /// <exception cref="InvalidOperationException">Exact results were asked for values that can round.</exception>
    public static IReadOnlyList<SnapshotTensor> Compute(CaseConfig config, CaseInputs inputs, bool exact)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(inputs);
        var outputs = new ImplementationEngine(Stored).Compute(config, inputs, config.Dtype);
        var bound = RoundingBound.Compute(config, inputs);
        var arithmetic = Arithmetic.For(config.Dtype);
        if (exact)
            CheckExact(config, inputs, bound);
        bool libmInput = config.Activation is ActivationKind.Sigmoid or ActivationKind.Tanh;

        var tensors = new List<SnapshotTensor>();
        foreach (var kind in TensorKinds.All.Concat(TensorKinds.SecondOrder))
        {
            if (outputs[kind] is not { } tensor)
                continue;
            double[] bounds;
            if (exact)
                bounds = new double[tensor.Length];
            else
            {
                bounds = bound.Between(kind, arithmetic, arithmetic);
                if (libmInput && kind is TensorKind.Y or TensorKind.Dw or TensorKind.D2dy)
                {
                    var magnitude = bound.Magnitude(kind);
                    for (int i = 0; i < bounds.Length; i++)
                        bounds[i] += LibmInputUlps * arithmetic.UnitRoundoff * magnitude[i];
                }
            }
            tensors.Add(new SnapshotTensor(kind, tensor.Shape, (double[])tensor.Data.Clone(), bounds, bound.ReductionLength(kind)));
        }
        return tensors;
    }

    private static void CheckExact(CaseConfig config, CaseInputs inputs, RoundingBound bound)
    {
        const double limit = 1L << 53;
        bool integers = new[] { inputs.Input, inputs.Weights, inputs.Bias, inputs.Upstream }
            .All(t => t is null || t.Data.All(v => Math.Abs(v) < limit && v == Math.Round(v)));
        bool small = TensorKinds.All.Where(k => k != TensorKind.Db || config.Bias)
            .All(k => bound.Magnitude(k).All(m => m < limit));
        if (!integers || !small || config.Activation != ActivationKind.Identity || config.Dtype != CaseDtype.F64)
            throw new InvalidOperationException(
                "exact snapshots need float64 integer inputs, no activation and magnitudes below 2^53");
    }
}

using System.Globalization;
using ConvCompare.Cases;
using ConvCompare.GradCheck;
using ConvCompare.Oracles;

namespace ConvCompare.Limits;

/// <summary>What runs on a case, for <see cref="CaseCost.Of"/>.</summary>
/// <param name="Serial">ConvRef's serial algorithm is checked.</param>
/// <param name="Vectorized">ConvRef's vectorized algorithm is checked.</param>
/// <param name="OracleRuns">How many times TorchSharp computes forward and backward in the case's dtype (0 without it); with the gradient check it runs once more in float64 unless the case is float64 and unclipped.</param>
/// <param name="GradientCheck">The numeric gradient check runs (it evaluates the harness's definition-level forward pass many times).</param>
/// <param name="Name">How messages name the implementations asked for, e.g. "--impl vectorized".</param>
internal sealed record CostPlan(bool Serial, bool Vectorized, int OracleRuns, bool GradientCheck, string Name);

/// <summary>
/// The cost of one case, counted from its shapes alone. Work is multiply-adds of every pass that will
/// run: each requested ConvRef algorithm (forward and backward; again in float64 unclipped when the
/// gradient check needs it), the rounding bound's magnitudes (the harness's definition sums on absolute
/// values: y, dJ/da and dJ/dw), the compensated reference (in the worst case every tensor),
/// TorchSharp, and the gradient check's forward passes (the same definition sums). The serial
/// algorithm is counted as it computes: over the dilated kernel and the error interleaved with
/// stride - 1 zeros, with its padded and interleaved planes; the definition sums sweep, per tap, their
/// padded and phased plane. So padding and dilation cost what they really cost there.
/// </summary>
internal static class CaseCost
{
    /// <summary>Copies of the case's tensors the harness holds at once (inputs in both dtypes, each engine's outputs, the reference, the bounds), counted generously.</summary>
    public const int TensorCopies = 16;

    /// <summary>The cost of running <paramref name="config"/> as <paramref name="plan"/> says (no report output).</summary>
    public static Cost Of(CaseConfig config, CostPlan plan)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(plan);
        var s = new Sizes(config);
        bool twice = plan.GradientCheck && !(config.Dtype == CaseDtype.F64 && config.Clip is null);
        double implementation = (plan.Serial ? s.SerialForward + s.SerialBackward : 0) + (plan.Vectorized ? s.Vectorized : 0);
        // A case of real-layer size runs the vectorized algorithm once more on one thread (counted even when --threads 1 skips it).
        bool oneThreadAgain = plan.Vectorized && EdgeClasses.Of(config).HasFlag(EdgeClass.RealLayerSize);
        double work = implementation * (twice ? 2 : 1)
            + (oneThreadAgain ? s.Vectorized : 0)
            + 3 * s.Definition
            + s.Reference
            + plan.OracleRuns * 3 * s.MultiplyAdds * (twice ? 2 : 1)
            + (plan.GradientCheck ? GradientCheckEvaluations(config) * s.Definition : 0)
            + (config.Order == 2 ? SecondOrderWork(s, implementation * (twice ? 2 : 1), plan) : 0);
        double memory = 8 * (TensorCopies * s.TensorElements + 2 * s.DefinitionPlane
                             + (plan.Serial ? s.SerialPlanes : 0) + (plan.Vectorized ? s.VectorizedWorkspace : 0));
        return new Cost(work, memory, 0);
    }

    /// <summary>
    /// Null when the case can be run as <paramref name="plan"/> asks, otherwise why not. The harness's
    /// definition sums, which give every rounding bound and the numeric gradient check whatever
    /// implementation is asked for, hold a padded, phased input of at most
    /// <see cref="DefinitionSums.MaxPaddedElements"/> numbers; ConvRef's serial algorithm, when asked
    /// for, materializes the padded input plane, and ConvRef refuses any buffer over
    /// <see cref="ConvRef.Conv2dLimits.MaxTensorBytes"/>. No option raises either.
    /// </summary>
    public static string? Unrunnable(CaseConfig config, CostPlan plan)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(plan);
        double definition = DefinitionSums.PaddedElements(config);
        if (definition > DefinitionSums.MaxPaddedElements)
            return string.Create(CultureInfo.InvariantCulture,
                $"the harness's definition sums, which give its rounding bounds and numeric gradient check whatever {plan.Name} says, would need a padded input of {definition:0} numbers ({ResourceLimits.Bytes(definition * sizeof(double))}), more than the {DefinitionSums.MaxPaddedElements} they allow");
        double paddedH = (double)config.Shape.H + config.Geometry.PadTop + config.Geometry.PadBottom, paddedW = (double)config.Shape.W + config.Geometry.PadLeft + config.Geometry.PadRight;
        double bytes = paddedH * paddedW * sizeof(double);
        long limit = ConvRef.Conv2dLimits.Default.MaxTensorBytes;
        return !plan.Serial || bytes <= limit ? null : string.Create(CultureInfo.InvariantCulture,
            $"ConvRef's serial algorithm would need a padded input plane of {paddedH}x{paddedW} elements ({ResourceLimits.Bytes(bytes)}), more than the {ResourceLimits.Bytes(limit)} ConvRef allows one buffer");
    }

    /// <summary>The gradient check's forward evaluations: two per probe, four with Richardson extrapolation.</summary>
    /// <summary>
    /// What order 2 adds: the double backward, two forward and two backward passes of each algorithm and of
    /// TorchSharp's autograd; the second-order magnitudes (four definition sums) and reference (twice the
    /// first-order one); and the numeric second-order check, per variable a magnitude and two evaluations per
    /// direction of up to three definition sums each.
    /// </summary>
    private static double SecondOrderWork(Sizes s, double implementation, CostPlan plan) =>
        2 * implementation + plan.OracleRuns * 6 * s.MultiplyAdds + 4 * s.Definition + 2 * s.Reference
        + (plan.GradientCheck ? 3 * (3 + SecondOrderCheck.DefaultDirections * 2 * 3) * s.Definition : 0);

    private static double GradientCheckEvaluations(CaseConfig config)
    {
        const int variables = 3, perProbe = 4;
        if (GradientCheck.ChooseMode(config) == GradCheckMode.Fast)
            return (double)variables * GradientCheck.DefaultDirections * perProbe;
        double elements = config.InputShape.Aggregate(1.0, (p, d) => p * d) + config.WeightShape.Aggregate(1.0, (p, d) => p * d) + config.Shape.Cout;
        return perProbe * elements;
    }

    /// <summary>The sizes that the counts are made of, in double so a hand-written case cannot overflow them.</summary>
    private readonly struct Sizes
    {
        public Sizes(CaseConfig c)
        {
            double n = c.Shape.N, cin = c.Shape.Cin, cout = c.Shape.Cout, inPerGroup = c.Shape.Cin / c.Geometry.Groups, outPerGroup = c.Shape.Cout / c.Geometry.Groups;
            double outH = c.OutH, outW = c.OutW;
            double spanH = (double)c.Geometry.DilationH * (c.Shape.KH - 1) + 1, spanW = (double)c.Geometry.DilationW * (c.Shape.KW - 1) + 1;
            double interleavedH = (outH - 1) * c.Geometry.StrideH + 1, interleavedW = (outW - 1) * c.Geometry.StrideW + 1;
            double coveredH = interleavedH + spanH - 1, coveredW = interleavedW + spanW - 1;
            double paddedH = (double)c.Shape.H + c.Geometry.PadTop + c.Geometry.PadBottom, paddedW = (double)c.Shape.W + c.Geometry.PadLeft + c.Geometry.PadRight;
            double pairs = n * cout * inPerGroup;
            double paddedPlanes = n * cin * paddedH * paddedW;
            double taps = inPerGroup * c.Shape.KH * c.Shape.KW;

            MultiplyAdds = n * cout * outH * outW * taps;
            // Eq 1: each output of each (sample, filter, channel) pair sums over the whole dilated kernel.
            SerialForward = pairs * (outH * outW * spanH * spanW + spanH * spanW) + paddedPlanes;
            // Eq 3/7: the covered input against the interleaved error; Eq 5/8: the full convolution of the
            // interleaved error, padded by the dilated kernel's span, with the rotated dilated kernel.
            SerialBackward = pairs * (spanH * spanW * interleavedH * interleavedW
                                      + coveredH * coveredW * spanH * spanW
                                      + (interleavedH + 2 * (spanH - 1)) * (interleavedW + 2 * (spanW - 1)))
                             + paddedPlanes + n * cin * coveredH * coveredW;
            Vectorized = 3 * MultiplyAdds + 2 * paddedPlanes;
            // The definition sums sweep, per sample, filter and tap, one stride phase of their padded input.
            DefinitionPlane = DefinitionSums.PaddedElements(c);
            Definition = n * cout * taps * DefinitionPlane / (n * Math.Max(cin, cout) * c.Geometry.StrideH * c.Geometry.StrideW);
            Reference = 2 * MultiplyAdds + n * cin * c.Shape.H * c.Shape.W * outPerGroup * c.Shape.KH * c.Shape.KW + n * cout * outH * outW;

            double input = n * cin * c.Shape.H * c.Shape.W, weights = cout * taps, output = n * cout * outH * outW;
            TensorElements = 3 * input + 2 * weights + 2 * output + 2 * cout;
            SerialPlanes = cin * paddedH * paddedW + cin * coveredH * coveredW
                           + (interleavedH + 2 * (spanH - 1)) * (interleavedW + 2 * (spanW - 1)) + interleavedH * interleavedW + 2 * spanH * spanW;
            VectorizedWorkspace = 2 * inPerGroup * (paddedH + c.Geometry.StrideH) * (paddedW + c.Geometry.StrideW) + taps * outW * 16;
        }

        public double MultiplyAdds { get; }
        public double SerialForward { get; }
        public double SerialBackward { get; }
        public double Vectorized { get; }
        public double Reference { get; }
        public double Definition { get; }
        public double DefinitionPlane { get; }
        public double TensorElements { get; }
        public double SerialPlanes { get; }
        public double VectorizedWorkspace { get; }
    }
}

using System.Numerics;
using ConvRef;

namespace ConvCompare.Snapshots;

/// <summary>One result tensor of ConvRef with the largest move two correct runs may show per element.</summary>
/// <param name="Name"><c>y</c>, <c>dx</c> (dJ/da, or delta^(l-1) with an activation), <c>dw</c> or <c>db</c>.</param>
/// <param name="Shape">Its shape.</param>
/// <param name="Values">Its values, converted exactly to float64.</param>
/// <param name="Bounds">Per element, the tolerance (zero for exact values).</param>
/// <param name="ReductionLength">K, the number of products each element sums (before extra roundings).</param>
internal sealed record SnapshotTensor(string Name, IReadOnlyList<int> Shape, double[] Values, double[] Bounds, long ReductionLength);

/// <summary>
/// Runs ConvRef's forward and backward pass for one layer and attaches to every element its
/// rounding tolerance, from ConvRef run again on absolute values.
/// </summary>
/// <remarks>
/// Element bound t_i = 2 gamma_(K+e) m_i (Higham ch. 3): m_i is the same sum over absolute values
/// (|a| (x) |w| + |b| for y, |delta| with |w| for dJ/da, |delta| with |a| for dJ/dw, sum |delta| for
/// dJ/db), computed in float64; K is the reduction length (C_in/G kH kW, plus 1 for the bias, for y;
/// C_out/G kH kW for dJ/da; N OutH OutW for dJ/dw and dJ/db); e counts relative roundings of the
/// inputs that may differ between machines: a = g(z) through the C library's exp/tanh (at most 4 u
/// relative for sigmoid and tanh, so e = 4 for y and dJ/dw; basic IEEE operations are the same
/// everywhere). With an activation, delta^(l-1) = dJ/da .* g'(z) adds one rounding (gamma_(K+1)) and
/// the libm part of g': sigmoid' = s(1-s) and tanh' = 1 - t^2 move by at most |1-2s| 4u s &lt;= 4u and
/// 2 t^2 4u &lt;= 8u in absolute terms when s or t move by 4u relative, so
/// t_i = 2 (gamma_(K+1) g'(z_i) + 8u) m_i with m_i the magnitude of dJ/da. Clipping to [-c, c] cannot
/// increase a difference, so dJ/dw keeps its bound.
/// </remarks>
internal static class ConvRefResults
{
    /// <summary>Relative roundings of the C library's exp/tanh counted for a = g(z) (sigmoid, tanh).</summary>
    public const int LibmActivationRoundings = 4;

    /// <summary>Largest absolute move of g'(z) between C libraries, in units of u (sigmoid 4u, tanh 8u).</summary>
    public const int LibmDerivativeUlps = 8;

    /// <summary>
    /// y, dx, dw and (when <paramref name="bias"/> is given) db from ConvRef, with tolerances; all
    /// tolerances zero when <paramref name="exact"/> (integer worked examples).
    /// </summary>
    public static IReadOnlyList<SnapshotTensor> Compute<T>(Tensor<T> input, Tensor<T> weights, Tensor<T>? bias,
        Tensor<T> delta, Conv2dSpec spec, Activation activation, Tensor<T>? previousZ, T? clip,
        Conv2dAlgorithm algorithm, bool exact)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(delta);
        ArgumentNullException.ThrowIfNull(spec);
        var options = new BackwardOptions<T> { PreviousActivation = activation, PreviousZ = previousZ, ClipValue = clip };
        var y = Conv2d.Forward(input, weights, bias, spec, algorithm);
        var gradients = Conv2d.Backward(input, weights, bias is not null, delta, spec, options, algorithm);

        var geometry = Conv2dGeometry.Create([.. input.Shape], [.. weights.Shape], spec);
        long kForward = (long)geometry.InChannelsPerGroup * geometry.KernelH * geometry.KernelW + (bias is null ? 0 : 1);
        long kInput = (long)geometry.OutChannelsPerGroup * geometry.KernelH * geometry.KernelW;
        long kWeights = (long)geometry.BatchSize * geometry.OutH * geometry.OutW;

        var absInput = Absolute(input);
        var absWeights = Absolute(weights);
        var absDelta = Absolute(delta);
        var forwardMagnitude = Conv2d.Forward(absInput, absWeights, bias is null ? null : Absolute(bias), spec, Conv2dAlgorithm.Serial);
        var backwardMagnitude = Conv2d.Backward(absInput, absWeights, bias is not null, absDelta, spec, null, Conv2dAlgorithm.Serial);

        double u = typeof(T) == typeof(float) ? Rounding.UnitRoundoffSingle : Rounding.UnitRoundoffDouble;
        bool libmInput = activation.Kind is ActivationKind.Sigmoid or ActivationKind.Tanh;
        int e = libmInput ? LibmActivationRoundings : 0;
        double[] Bounds(Tensor<double> magnitude, long k) =>
            [.. magnitude.Data.Select(m => exact ? 0 : 2 * Rounding.Gamma(k, u) * m)];

        double[] inputBounds = Bounds(backwardMagnitude.Input, kInput);
        if (!exact && activation.Kind != ActivationKind.Identity && previousZ is not null)
        {
            double gamma = Rounding.Gamma(kInput + 1, u);
            double libm = libmInput ? LibmDerivativeUlps * u : 0;
            for (int i = 0; i < inputBounds.Length; i++)
            {
                double slope = activation.Derivative(double.CreateChecked(previousZ.Data[i]));
                inputBounds[i] = 2 * (gamma * slope + libm) * backwardMagnitude.Input.Data[i];
            }
        }

        var results = new List<SnapshotTensor>
        {
            new("y", y.Shape, Values(y), Bounds(forwardMagnitude, kForward + e), kForward),
            new("dx", gradients.Input.Shape, Values(gradients.Input), inputBounds, kInput),
            new("dw", gradients.Weights.Shape, Values(gradients.Weights), Bounds(backwardMagnitude.Weights, kWeights + e), kWeights),
        };
        if (gradients.Bias is { } db)
            results.Add(new("db", db.Shape, Values(db), Bounds(backwardMagnitude.Bias!, kWeights), kWeights));
        return results;
    }

    private static Tensor<double> Absolute<T>(Tensor<T> tensor) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var cast = tensor.Cast<double>();
        for (int i = 0; i < cast.Data.Length; i++)
            cast.Data[i] = Math.Abs(cast.Data[i]);
        return cast;
    }

    private static double[] Values<T>(Tensor<T> tensor) where T : unmanaged, IFloatingPointIeee754<T> =>
        [.. tensor.Data.Select(double.CreateChecked)];
}

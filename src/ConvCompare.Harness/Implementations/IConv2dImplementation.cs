using System.Numerics;

namespace ConvCompare.Implementations;

/// <summary>
/// A conv2d implementation the harness can judge: forward (Eq 1) and backward (Eq 5 to 9) of one layer
/// into tensors the caller owns. Register it in an <see cref="ImplementationRegistry"/>, and every check
/// of the harness (the seeded sweep, a single case, golden files, snapshots) runs on it, judged under
/// rounding-error bounds against the oracle and, where they disagree, the independent reference.
/// </summary>
/// <remarks>
/// <para>All tensors are dense, row-major NCHW spans whose lengths are the ones
/// <see cref="Conv2dProblem"/> gives. The harness fills every output span with NaN before the call, so an
/// element the implementation leaves unwritten fails the comparison. Methods are called only for a
/// dtype in <see cref="Dtypes"/> and a problem whose <see cref="Conv2dProblem.Requires"/> is within
/// <see cref="Features"/>; that is how an implementation says it does not support something.</para>
/// <para>An exception thrown by either method is reported as this implementation's failure on the case,
/// with its type and first line, and as no other implementation's.</para>
/// </remarks>
public interface IConv2dImplementation
{
    /// <summary>
    /// The name reports and <c>--impl</c> use: lower-case letters, digits and '-', unique in a registry.
    /// </summary>
    string Name { get; }

    /// <summary>The dtypes it computes in; cases in other dtypes are not given to it.</summary>
    IReadOnlyCollection<Conv2dDtype> Dtypes { get; }

    /// <summary>The layer features it handles; cases that need others are not given to it.</summary>
    Conv2dFeatures Features { get; }

    /// <summary>Computes y = a (x) w + b (Eq 1) into <paramref name="output"/>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, one of <see cref="Dtypes"/>.</typeparam>
    /// <param name="problem">The layer's shapes, geometry and options.</param>
    /// <param name="input">a^(l-1), <see cref="Conv2dProblem.InputLength"/> elements.</param>
    /// <param name="weights">w, <see cref="Conv2dProblem.WeightLength"/> elements.</param>
    /// <param name="bias">b, C_out elements; empty when the layer has no bias.</param>
    /// <param name="output">y, <see cref="Conv2dProblem.OutputLength"/> elements, to be overwritten entirely.</param>
    void Forward<T>(Conv2dProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// Computes the layer's gradients for J = sum(y .* dy): dJ/dw (Eq 7/9, clamped to [-c, c] when
    /// <see cref="Conv2dProblem.Clip"/> is set), dJ/db (the sum of dy over N, H_out and W_out), and the
    /// gradient at the layer's input: dJ/da^(l-1) = dy (x) rot180(w) (Eq 5/8) without activation, or
    /// delta^(l-1) = dJ/da^(l-1) .* g'(z^(l-1)) (Eq 6/8) with <see cref="Conv2dProblem.Activation"/> g.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, one of <see cref="Dtypes"/>.</typeparam>
    /// <param name="problem">The layer's shapes, geometry and options.</param>
    /// <param name="input">a^(l-1), <see cref="Conv2dProblem.InputLength"/> elements.</param>
    /// <param name="weights">w, <see cref="Conv2dProblem.WeightLength"/> elements.</param>
    /// <param name="upstream">dy = delta^(l), <see cref="Conv2dProblem.OutputLength"/> elements.</param>
    /// <param name="previousZ">z^(l-1), shaped like a, when the layer has an activation; empty otherwise.</param>
    /// <param name="inputGradient">dJ/da^(l-1) or delta^(l-1), shaped like a, to be overwritten entirely.</param>
    /// <param name="weightGradient">dJ/dw, shaped like w, to be overwritten entirely.</param>
    /// <param name="biasGradient">dJ/db, C_out elements; empty when the layer has no bias.</param>
    void Backward<T>(Conv2dProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> upstream, ReadOnlySpan<T> previousZ,
        Span<T> inputGradient, Span<T> weightGradient, Span<T> biasGradient)
        where T : unmanaged, IFloatingPointIeee754<T>;
}

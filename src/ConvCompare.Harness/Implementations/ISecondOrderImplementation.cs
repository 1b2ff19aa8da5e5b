using System.Numerics;

namespace ConvCompare.Implementations;

/// <summary>
/// An implementation that computes the double backward (the backward of its backward) of some operations
/// of the convolution family. It declares which, and the harness gives it the second-order cases of
/// those (<c>--order 2</c>): the first-order outputs as usual, and the gradients of
/// L = &lt;gg_a, dJ/da&gt; + &lt;gg_w, dJ/dw&gt; + &lt;gg_b, dJ/db&gt; with respect to a, w and dy (and z^(l-1) below an activation), each judged
/// under its rounding bound against the oracle and the harness's own double-backward reference, and
/// against central differences of the harness's first-order sums.
/// </summary>
public interface ISecondOrderImplementation : IConv2dImplementation
{
    /// <summary>The operations whose double backward it computes; second-order cases of others are not given to it.</summary>
    IReadOnlyCollection<ConvOperation> SecondOrderOperations { get; }

    /// <summary>
    /// Computes dL/da, dL/dw and dL/d(dy) for L = &lt;gg_a, dJ/da&gt; + &lt;gg_w, dJ/dw&gt; + &lt;gg_b, dJ/db&gt;,
    /// with dJ/da, dJ/dw and dJ/db the first-order gradients of <paramref name="problem"/> as
    /// <see cref="IConv2dImplementation.Backward{T}"/> computes them (the activation's g' and g'' enter when
    /// <see cref="ConvolutionProblem.Activation"/> is set).
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, one of <see cref="IConv2dImplementation.Dtypes"/>.</typeparam>
    /// <param name="problem">The layer; its operation is one of <see cref="SecondOrderOperations"/>.</param>
    /// <param name="input">a^(l-1), <see cref="ConvolutionProblem.InputLength"/> elements.</param>
    /// <param name="weights">w, <see cref="ConvolutionProblem.WeightLength"/> elements.</param>
    /// <param name="upstream">dy, <see cref="ConvolutionProblem.OutputLength"/> elements.</param>
    /// <param name="previousZ">z^(l-1), shaped like a, when the layer has an activation; empty otherwise.</param>
    /// <param name="inputUpstream">gg_a, shaped like a.</param>
    /// <param name="weightUpstream">gg_w, shaped like w.</param>
    /// <param name="biasUpstream">gg_b, C_out elements; empty when the layer has no bias.</param>
    /// <param name="inputResult">dL/da, shaped like a, to be overwritten entirely.</param>
    /// <param name="weightResult">dL/dw, shaped like w, to be overwritten entirely.</param>
    /// <param name="upstreamResult">dL/d(dy), shaped like dy, to be overwritten entirely.</param>
    /// <param name="previousZResult">dL/dz^(l-1), shaped like a, to be overwritten entirely when the layer has an activation
    /// (dJ/da depends on z^(l-1) through g', Eq 6, so L does too); empty otherwise.</param>
    void DoubleBackward<T>(ConvolutionProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> upstream, ReadOnlySpan<T> previousZ,
        ReadOnlySpan<T> inputUpstream, ReadOnlySpan<T> weightUpstream, ReadOnlySpan<T> biasUpstream,
        Span<T> inputResult, Span<T> weightResult, Span<T> upstreamResult, Span<T> previousZResult)
        where T : unmanaged, IFloatingPointIeee754<T>;
}

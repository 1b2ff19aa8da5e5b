using System.Numerics;

namespace ConvCompare.Implementations;

/// <summary>
/// An implementation that computes operations of the convolution family beyond the plain conv2d of
/// <see cref="IConv2dImplementation"/>: 1-D and 3-D convolutions, transposed convolutions, padding modes
/// other than zeros, unbatched inputs. It declares the operations and padding modes it computes, and the
/// harness gives it every generated case of those (within its <see cref="IConv2dImplementation.Dtypes"/>
/// and <see cref="IConv2dImplementation.Features"/>), judged as conv2d is: under rounding-error bounds
/// against the oracle, the independent reference arbitrating, with the numeric gradient check.
/// </summary>
/// <remarks>
/// A plain conv2d case (zero padding, batched) still goes to <see cref="IConv2dImplementation.Forward{T}"/>
/// and <see cref="IConv2dImplementation.Backward{T}"/>; every other case of the family comes here, a conv2d
/// with reflect padding included. As there, every output span is filled with NaN before the call, and an
/// exception is this implementation's failure on the case alone.
/// </remarks>
public interface IConvolutionFamilyImplementation : IConv2dImplementation
{
    /// <summary>The operations it computes here; cases of others are not given to it.</summary>
    IReadOnlyCollection<ConvOperation> Operations { get; }

    /// <summary>The padding modes it computes; cases with others are not given to it.</summary>
    IReadOnlyCollection<ConvolutionPaddingMode> PaddingModes { get; }

    /// <summary>
    /// Computes the layer's output into <paramref name="output"/>: y = a (x) w + b (Eq 1) along every
    /// spatial axis for a convolution; for a transposed one, the scatter of each input position through the
    /// kernel (Eq 8's full convolution), cropped by the padding and extended by the output padding.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, one of <see cref="IConv2dImplementation.Dtypes"/>.</typeparam>
    /// <param name="problem">The layer.</param>
    /// <param name="input">a^(l-1), <see cref="ConvolutionProblem.InputLength"/> elements.</param>
    /// <param name="weights">w, <see cref="ConvolutionProblem.WeightLength"/> elements.</param>
    /// <param name="bias">b, C_out elements; empty when the layer has no bias.</param>
    /// <param name="output">y, <see cref="ConvolutionProblem.OutputLength"/> elements, to be overwritten entirely.</param>
    void Forward<T>(ConvolutionProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// Computes the layer's gradients for J = sum(y .* dy): dJ/dw (clamped to [-c, c] when
    /// <see cref="ConvolutionProblem.Clip"/> is set), dJ/db, and the gradient at the layer's input,
    /// times g'(z^(l-1)) when <see cref="ConvolutionProblem.Activation"/> is set (Eq 6/8). A padded border's
    /// gradient folds back onto the input elements it copies (<see cref="ConvolutionPaddingMode"/>).
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, one of <see cref="IConv2dImplementation.Dtypes"/>.</typeparam>
    /// <param name="problem">The layer.</param>
    /// <param name="input">a^(l-1), <see cref="ConvolutionProblem.InputLength"/> elements.</param>
    /// <param name="weights">w, <see cref="ConvolutionProblem.WeightLength"/> elements.</param>
    /// <param name="upstream">dy, <see cref="ConvolutionProblem.OutputLength"/> elements.</param>
    /// <param name="previousZ">z^(l-1), shaped like a, when the layer has an activation; empty otherwise.</param>
    /// <param name="inputGradient">The input gradient, shaped like a, to be overwritten entirely.</param>
    /// <param name="weightGradient">dJ/dw, shaped like w, to be overwritten entirely.</param>
    /// <param name="biasGradient">dJ/db, C_out elements; empty when the layer has no bias.</param>
    void Backward<T>(ConvolutionProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> upstream, ReadOnlySpan<T> previousZ,
        Span<T> inputGradient, Span<T> weightGradient, Span<T> biasGradient)
        where T : unmanaged, IFloatingPointIeee754<T>;
}

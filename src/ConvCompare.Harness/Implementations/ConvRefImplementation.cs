using System.Numerics;
using ConvCompare.Cases;
using ConvRef;

namespace ConvCompare.Implementations;

/// <summary>
/// ConvRef, registered like any other implementation, with one of its algorithms, called through the
/// public entry points a user calls: for a case with an even <see cref="Conv2dProblem.ValueSeed"/> the
/// allocating <see cref="Conv2d.Forward{T}"/> and <see cref="Conv2d.Backward{T}"/>, for an odd one
/// <see cref="Conv2d.ForwardInto{T}"/> and <see cref="Conv2d.BackwardInto{T}"/> into the caller's
/// NaN-filled tensors, so a result the entry point failed to overwrite cannot pass. Every sweep judges
/// both kinds, and a rerun of a case repeats the kind it had. The family's operations go through
/// <see cref="Convolution.Forward{T}"/> and <see cref="Convolution.Backward{T}"/>
/// (<see cref="IConvolutionFamilyImplementation"/>), the double backward through
/// <see cref="Conv2d.DoubleBackward{T}"/> and <see cref="Convolution.DoubleBackward{T}"/> (<see cref="ISecondOrderImplementation"/>): the public
/// declarations any implementation uses.
/// </summary>
public sealed class ConvRefImplementation : IMultithreadedConv2dImplementation, IConvolutionFamilyImplementation, ISecondOrderImplementation
{
    private readonly int? _threads;

    /// <summary>ConvRef with <paramref name="algorithm"/>.</summary>
    /// <param name="algorithm">The algorithm it runs.</param>
    /// <param name="threads">Most threads the vectorized algorithm uses; null for every processor. The serial algorithm runs on one.</param>
    public ConvRefImplementation(Conv2dAlgorithm algorithm, int? threads = null)
    {
        Algorithm = algorithm;
        _threads = threads;
    }

    /// <summary>The algorithm it runs.</summary>
    public Conv2dAlgorithm Algorithm { get; }

    /// <inheritdoc />
    /// <remarks>The algorithm's name in lower case: <c>serial</c>, <c>vectorized</c>.</remarks>
    public string Name => Algorithm.ToString().ToLowerInvariant();

    /// <inheritdoc />
    public IReadOnlyCollection<Conv2dDtype> Dtypes { get; } = [Conv2dDtype.Float32, Conv2dDtype.Float64];

    /// <inheritdoc />
    public Conv2dFeatures Features => Conv2dFeatures.All;

    /// <inheritdoc />
    /// <remarks>Every operation of the family.</remarks>
    public IReadOnlyCollection<ConvOperation> Operations { get; } = Enum.GetValues<ConvOperation>();

    /// <inheritdoc />
    /// <remarks>Every padding mode.</remarks>
    public IReadOnlyCollection<ConvolutionPaddingMode> PaddingModes { get; } = Enum.GetValues<ConvolutionPaddingMode>();

    /// <inheritdoc />
    /// <remarks>conv2d's, with zero padding.</remarks>
    public IReadOnlyCollection<ConvOperation> SecondOrderOperations { get; } = Enum.GetValues<ConvOperation>();

    /// <inheritdoc />
    /// <remarks>Never more than the machine has: the vectorized algorithm runs no more threads than processors.</remarks>
    public int Threads => Algorithm == Conv2dAlgorithm.Serial ? 1 : Math.Min(_threads ?? Environment.ProcessorCount, Environment.ProcessorCount);

    /// <inheritdoc />
    public IConv2dImplementation WithThreads(int threads) => new ConvRefImplementation(Algorithm, threads);

    /// <summary>Whether a case with <paramref name="valueSeed"/> goes through the caller-owned-output entry points.</summary>
    /// <param name="valueSeed">The case's value seed.</param>
    public static bool UsesInto(ulong valueSeed) => (valueSeed & 1) == 1;

    /// <inheritdoc />
    public void Forward<T>(Conv2dProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(problem);
        var a = Copy(input, InputShape(problem));
        var w = Copy(weights, WeightShape(problem));
        var b = problem.HasBias ? Copy(bias, [problem.OutputChannels]) : null;
        Tensor<T> y;
        if (UsesInto(problem.ValueSeed))
        {
            y = Copy<T>(output, OutputShape(problem));
            Conv2d.ForwardInto(a, w, b, Spec(problem), y, Algorithm, Limits);
        }
        else
            y = Conv2d.Forward(a, w, b, Spec(problem), Algorithm, Limits);
        y.Data.CopyTo(output);
    }

    /// <inheritdoc />
    public void Backward<T>(Conv2dProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> upstream, ReadOnlySpan<T> previousZ,
        Span<T> inputGradient, Span<T> weightGradient, Span<T> biasGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(problem);
        var a = Copy(input, InputShape(problem));
        var w = Copy(weights, WeightShape(problem));
        var delta = Copy(upstream, OutputShape(problem));
        var options = new BackwardOptions<T>
        {
            PreviousActivation = new Activation(Kind(problem.Activation), problem.LeakySlope),
            PreviousZ = problem.Activation == Conv2dActivation.Identity ? null : Copy(previousZ, InputShape(problem)),
            ClipValue = problem.Clip is { } c ? T.CreateChecked(c) : null,
        };
        Conv2dGradients<T> grads;
        if (UsesInto(problem.ValueSeed))
        {
            grads = new Conv2dGradients<T>(Copy<T>(inputGradient, InputShape(problem)), Copy<T>(weightGradient, WeightShape(problem)),
                problem.HasBias ? Copy<T>(biasGradient, [problem.OutputChannels]) : null);
            Conv2d.BackwardInto(a, w, delta, Spec(problem), grads, options, Algorithm, Limits);
        }
        else
            grads = Conv2d.Backward(a, w, problem.HasBias, delta, Spec(problem), options, Algorithm, Limits);
        grads.Input.Data.CopyTo(inputGradient);
        grads.Weights.Data.CopyTo(weightGradient);
        grads.Bias?.Data.CopyTo(biasGradient);
    }

    /// <inheritdoc />
    public void Forward<T>(ConvolutionProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(problem);
        var y = Operation(problem).Forward(Copy(input, [.. problem.InputShape]), Copy(weights, [.. problem.WeightShape]),
            problem.HasBias ? Copy(bias, [problem.OutputChannels]) : null, Spec(problem), Algorithm, Limits);
        y.Data.CopyTo(output);
    }

    /// <inheritdoc />
    public void Backward<T>(ConvolutionProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> upstream, ReadOnlySpan<T> previousZ,
        Span<T> inputGradient, Span<T> weightGradient, Span<T> biasGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(problem);
        var grads = Operation(problem).Backward(Copy(input, [.. problem.InputShape]), Copy(weights, [.. problem.WeightShape]), problem.HasBias,
            Copy(upstream, [.. problem.OutputShape]), Spec(problem), Options(problem, previousZ, input), Algorithm, Limits);
        grads.Input.Data.CopyTo(inputGradient);
        grads.Weights.Data.CopyTo(weightGradient);
        grads.Bias?.Data.CopyTo(biasGradient);
    }

    /// <inheritdoc />
    public void DoubleBackward<T>(ConvolutionProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> upstream, ReadOnlySpan<T> previousZ,
        ReadOnlySpan<T> inputUpstream, ReadOnlySpan<T> weightUpstream, ReadOnlySpan<T> biasUpstream,
        Span<T> inputResult, Span<T> weightResult, Span<T> upstreamResult, Span<T> previousZResult)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(problem);
        int[] inputShape = [.. problem.InputShape], weightShape = [.. problem.WeightShape];
        var (a, w, delta) = (Copy(input, inputShape), Copy(weights, weightShape), Copy(upstream, [.. problem.OutputShape]));
        var gg = new Conv2dGradients<T>(Copy(inputUpstream, inputShape), Copy(weightUpstream, weightShape),
            problem.HasBias ? Copy(biasUpstream, [problem.OutputChannels]) : null);
        var result = IsConv2dLayer(problem)
            ? Conv2d.DoubleBackward(a, w, delta, gg, Conv2dSpecOf(problem), Options(problem, previousZ, input), Algorithm, Limits)
            : Operation(problem).DoubleBackward(a, w, delta, gg, Spec(problem), Options(problem, previousZ, input), Algorithm, Limits);
        result.Input.Data.CopyTo(inputResult);
        result.Weights.Data.CopyTo(weightResult);
        result.Delta.Data.CopyTo(upstreamResult);
        // Below the identity, the z^(l-1) = a^(l-1) that Options hands over is ConvRef's own; dL/dz is not asked for.
        if (problem.Activation != Conv2dActivation.Identity)
            result.PreviousZ?.Data.CopyTo(previousZResult);
    }

    /// <summary>Whether a problem is the batched, zero-padded conv2d that <see cref="Conv2d"/> itself takes, rather than one of the family's.</summary>
    private static bool IsConv2dLayer(ConvolutionProblem p) =>
        p is { Operation: ConvOperation.Conv2d, PaddingMode: ConvolutionPaddingMode.Zeros, PaddingKind: ConvolutionPaddingKind.Explicit, Batched: true };

    private static Conv2dSpec Conv2dSpecOf(ConvolutionProblem p) => new()
    {
        StrideH = p.Stride[0], StrideW = p.Stride[1],
        PadTop = p.PadBefore[0], PadBottom = p.PadAfter[0], PadLeft = p.PadBefore[1], PadRight = p.PadAfter[1],
        DilationH = p.Dilation[0], DilationW = p.Dilation[1], Groups = p.Groups,
    };

    private static Convolution Operation(ConvolutionProblem problem) => Convolution.All[(int)problem.Operation];

    /// <summary>
    /// The backward options of a problem of the family or of second order: the activation of the layer below
    /// with its z^(l-1), and the clip value of dJ/dw. With the identity, z^(l-1) is a^(l-1) itself; handing it
    /// over on every other value seed drives the engines' path that is given z and multiplies by g'(z) = 1,
    /// which changes no bit.
    /// </summary>
    internal static BackwardOptions<T> Options<T>(ConvolutionProblem problem, ReadOnlySpan<T> previousZ, ReadOnlySpan<T> input)
        where T : unmanaged, IFloatingPointIeee754<T> => new()
    {
        PreviousActivation = new Activation(Kind(problem.Activation), problem.LeakySlope),
        PreviousZ = problem.Activation != Conv2dActivation.Identity ? Copy(previousZ, [.. problem.InputShape])
            : (problem.ValueSeed & 2) != 0 ? Copy(input, [.. problem.InputShape]) : null,
        ClipValue = problem.Clip is { } c ? T.CreateChecked(c) : null,
    };

    private static ConvSpec Spec(ConvolutionProblem p) => new()
    {
        Stride = p.Stride,
        Dilation = p.Dilation,
        Padding = p.PaddingKind switch
        {
            ConvolutionPaddingKind.Same => ConvPadding.Same,
            ConvolutionPaddingKind.Valid => ConvPadding.Valid,
            _ => ConvPadding.PerSide([.. p.PadBefore], [.. p.PadAfter]),
        },
        Groups = p.Groups,
        PaddingMode = p.PaddingMode switch
        {
            ConvolutionPaddingMode.Reflect => PaddingMode.Reflect,
            ConvolutionPaddingMode.Replicate => PaddingMode.Replicate,
            ConvolutionPaddingMode.Circular => PaddingMode.Circular,
            _ => PaddingMode.Zeros,
        },
        OutputPadding = p.OutputPadding,
    };

    private Conv2dLimits Limits => new() { MaxThreads = Threads };

    private static Conv2dSpec Spec(Conv2dProblem p) => new()
    {
        StrideH = p.StrideH, StrideW = p.StrideW,
        PadTop = p.PadTop, PadBottom = p.PadBottom, PadLeft = p.PadLeft, PadRight = p.PadRight,
        DilationH = p.DilationH, DilationW = p.DilationW, Groups = p.Groups,
    };

    private static ActivationKind Kind(Conv2dActivation activation) => activation switch
    {
        Conv2dActivation.ReLU => ActivationKind.ReLU,
        Conv2dActivation.LeakyReLU => ActivationKind.LeakyReLU,
        Conv2dActivation.Sigmoid => ActivationKind.Sigmoid,
        Conv2dActivation.Tanh => ActivationKind.Tanh,
        _ => ActivationKind.Identity,
    };

    private static int[] InputShape(Conv2dProblem p) => [p.Batch, p.InputChannels, p.Height, p.Width];

    private static int[] WeightShape(Conv2dProblem p) => [p.OutputChannels, p.InputChannels / p.Groups, p.KernelHeight, p.KernelWidth];

    private static int[] OutputShape(Conv2dProblem p) => [p.Batch, p.OutputChannels, p.OutputHeight, p.OutputWidth];

    /// <summary>ConvRef's tensors own arrays: a copy of the span's values (NaN for outputs the caller prepared).</summary>
    private static Tensor<T> Copy<T>(ReadOnlySpan<T> values, int[] shape) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(shape, values.ToArray());
}

using ConvCompare.Cases;

namespace ConvCompare.Implementations;

/// <summary>
/// One layer of the convolution family as an implementation receives it: the operation, its shapes and
/// per-axis hyperparameters in PyTorch's terms, the padding mode, and the options of the backward pass.
/// The spatial lists hold one entry per axis in the input's order: width (1-D); height, width (2-D);
/// depth, height, width (3-D).
/// </summary>
/// <remarks>
/// Tensors are dense and row-major: the input N x C_in x spatial (C_in x spatial when
/// <see cref="Batched"/> is false), the output N x C_out x <see cref="OutputSize"/>, the weights
/// C_out x C_in/G x kernel for a convolution and C_in x C_out/G x kernel for a transposed one (PyTorch's
/// layouts). <see cref="Requires"/> says which <see cref="Conv2dFeatures"/> the layer needs, as for conv2d.
/// </remarks>
public sealed record ConvolutionProblem
{
    /// <summary>The operation.</summary>
    public required ConvOperation Operation { get; init; }

    /// <summary>Batch size N; 1 when the input is unbatched.</summary>
    public int Batch { get; init; } = 1;

    /// <summary>Whether the input has a batch axis; an unbatched input is C_in x spatial, laid out as a batch of one.</summary>
    public bool Batched { get; init; } = true;

    /// <summary>Input channels C_in.</summary>
    public required int InputChannels { get; init; }

    /// <summary>Output channels C_out.</summary>
    public required int OutputChannels { get; init; }

    /// <summary>Groups G: C_in and C_out are split into G groups convolved separately.</summary>
    public int Groups { get; init; } = 1;

    /// <summary>The input's size along each spatial axis.</summary>
    public required IReadOnlyList<int> InputSize { get; init; }

    /// <summary>The kernel's size along each spatial axis.</summary>
    public required IReadOnlyList<int> KernelSize { get; init; }

    /// <summary>The stride along each spatial axis.</summary>
    public required IReadOnlyList<int> Stride { get; init; }

    /// <summary>The kernel dilation along each spatial axis.</summary>
    public required IReadOnlyList<int> Dilation { get; init; }

    /// <summary>Padding before each spatial axis (a transposed convolution crops it from the output's start).</summary>
    public required IReadOnlyList<int> PadBefore { get; init; }

    /// <summary>Padding after each spatial axis (a transposed convolution crops it from the output's end).</summary>
    public required IReadOnlyList<int> PadAfter { get; init; }

    /// <summary>Transposed only: elements added to the output's end along each spatial axis; zeros otherwise.</summary>
    public required IReadOnlyList<int> OutputPadding { get; init; }

    /// <summary>How the padding was spelled; the pads above are what it means in every case.</summary>
    public ConvolutionPaddingKind PaddingKind { get; init; } = ConvolutionPaddingKind.Explicit;

    /// <summary>What the padding holds; transposed convolutions pad with zeros only.</summary>
    public ConvolutionPaddingMode PaddingMode { get; init; } = ConvolutionPaddingMode.Zeros;

    /// <summary>Whether the layer adds a bias b (C_out elements) to every output of a channel.</summary>
    public bool HasBias { get; init; }

    /// <summary>The activation g of the layer below, whose derivative the input gradient carries (Eq 6/8).</summary>
    public Conv2dActivation Activation { get; init; } = Conv2dActivation.Identity;

    /// <summary>The slope of <see cref="Conv2dActivation.LeakyReLU"/> for z &lt;= 0.</summary>
    public double LeakySlope { get; init; } = 0.01;

    /// <summary>When set, dJ/dw is clamped to [-Clip, Clip] after it is computed.</summary>
    public double? Clip { get; init; }

    /// <summary>The seed of the case's values: implementations may ignore it; reruns of a case repeat it.</summary>
    public ulong ValueSeed { get; init; }

    /// <summary>Spatial axes: 1, 2 or 3.</summary>
    public int Rank => (int)Operation % 3 + 1;

    /// <summary>Whether the operation is a transposed convolution.</summary>
    public bool Transposed => Operation >= ConvOperation.ConvTranspose1d;

    /// <summary>
    /// The output's size along each spatial axis: floor((in + before + after - dilation (k - 1) - 1) / stride) + 1
    /// for a convolution; (in - 1) stride - before - after + dilation (k - 1) + output_padding + 1 for a transposed one.
    /// </summary>
    public IReadOnlyList<int> OutputSize => [.. Enumerable.Range(0, Rank).Select(i => Transposed
        ? (InputSize[i] - 1) * Stride[i] - PadBefore[i] - PadAfter[i] + Dilation[i] * (KernelSize[i] - 1) + OutputPadding[i] + 1
        : (InputSize[i] + PadBefore[i] + PadAfter[i] - Dilation[i] * (KernelSize[i] - 1) - 1) / Stride[i] + 1)];

    /// <summary>The input's shape: N x C_in x spatial, or C_in x spatial unbatched.</summary>
    public IReadOnlyList<int> InputShape => Batched ? [Batch, InputChannels, .. InputSize] : [InputChannels, .. InputSize];

    /// <summary>The weights' shape: C_out x C_in/G x kernel, or C_in x C_out/G x kernel for a transposed convolution.</summary>
    public IReadOnlyList<int> WeightShape => Transposed
        ? [InputChannels, OutputChannels / Groups, .. KernelSize]
        : [OutputChannels, InputChannels / Groups, .. KernelSize];

    /// <summary>The output's shape: N x C_out x <see cref="OutputSize"/>, or C_out x <see cref="OutputSize"/> unbatched.</summary>
    public IReadOnlyList<int> OutputShape => Batched ? [Batch, OutputChannels, .. OutputSize] : [OutputChannels, .. OutputSize];

    /// <summary>Elements of the input (and of z^(l-1) and the input gradient).</summary>
    public int InputLength => Product(InputShape);

    /// <summary>Elements of the weights (and of dJ/dw).</summary>
    public int WeightLength => Product(WeightShape);

    /// <summary>Elements of the output (and of the upstream gradient dy).</summary>
    public int OutputLength => Product(OutputShape);

    /// <summary>The features the layer needs; output padding counts as <see cref="Conv2dFeatures.Padding"/>.</summary>
    public Conv2dFeatures Requires =>
        (HasBias ? Conv2dFeatures.Bias : 0)
        | (Stride.Any(s => s > 1) ? Conv2dFeatures.Stride : 0)
        | (PadBefore.Concat(PadAfter).Concat(OutputPadding).Any(p => p > 0) ? Conv2dFeatures.Padding : 0)
        | (PadBefore.Zip(PadAfter).Any(p => p.First != p.Second) ? Conv2dFeatures.AsymmetricPadding : 0)
        | (Dilation.Any(d => d > 1) ? Conv2dFeatures.Dilation : 0)
        | (Groups > 1 ? Conv2dFeatures.Groups : 0)
        | (Activation != Conv2dActivation.Identity ? Conv2dFeatures.PreviousActivation : 0)
        | (Clip is not null ? Conv2dFeatures.GradientClip : 0);

    private static int Product(IEnumerable<int> values) => values.Aggregate(1, (p, v) => p * v);

    /// <summary>The problem of a generated case, of the family or a plain conv2d.</summary>
    internal static ConvolutionProblem Of(CaseConfig config)
    {
        var family = config.Family ?? new CaseFamily();
        var axes = config.Axes;
        return new ConvolutionProblem
        {
            Operation = (ConvOperation)config.Op,
            Batch = config.Shape.N,
            Batched = family.Batched,
            InputChannels = config.Shape.Cin,
            OutputChannels = config.Shape.Cout,
            Groups = config.Geometry.Groups,
            InputSize = [.. axes.Select(a => (int)a.Input)],
            KernelSize = [.. axes.Select(a => (int)a.Kernel)],
            Stride = [.. axes.Select(a => (int)a.Stride)],
            Dilation = [.. axes.Select(a => (int)a.Dilation)],
            PadBefore = [.. axes.Select(a => (int)a.PadBefore)],
            PadAfter = [.. axes.Select(a => (int)a.PadAfter)],
            OutputPadding = [.. axes.Select(a => (int)a.OutputPadding)],
            PaddingKind = (ConvolutionPaddingKind)family.Padding,
            PaddingMode = (ConvolutionPaddingMode)family.Mode,
            HasBias = config.Bias,
            Activation = Conv2dProblem.ActivationOf(config.Activation),
            LeakySlope = CaseConfig.LeakySlope,
            Clip = config.Clip,
            ValueSeed = config.ValueSeed,
        };
    }
}

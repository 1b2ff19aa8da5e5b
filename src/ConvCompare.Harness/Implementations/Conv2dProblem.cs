using ConvCompare.Cases;
using ConvRef;

namespace ConvCompare.Implementations;

/// <summary>
/// One conv2d layer as an implementation receives it: y = a (x) w + b (Eq 1), every tensor dense and
/// row-major in NCHW order: a is N x C_in x H x W, w is C_out x C_in/G x kH x kW, b has C_out entries,
/// y and dy are N x C_out x H_out x W_out. The output size per axis is
/// H_out = floor((H + padTop + padBottom - dilationH (kH - 1) - 1) / strideH) + 1 (likewise W_out).
/// </summary>
/// <remarks>
/// Only the shapes, the geometry and the options travel here; the values come as spans in
/// <see cref="IConv2dImplementation.Forward{T}"/> and <see cref="IConv2dImplementation.Backward{T}"/>.
/// <see cref="Requires"/> says which <see cref="Conv2dFeatures"/> the layer needs.
/// </remarks>
public sealed record Conv2dProblem
{
    /// <summary>Batch size N.</summary>
    public required int Batch { get; init; }

    /// <summary>Input channels C_in.</summary>
    public required int InputChannels { get; init; }

    /// <summary>Input height H.</summary>
    public required int Height { get; init; }

    /// <summary>Input width W.</summary>
    public required int Width { get; init; }

    /// <summary>Output channels C_out (filters).</summary>
    public required int OutputChannels { get; init; }

    /// <summary>Kernel height kH.</summary>
    public required int KernelHeight { get; init; }

    /// <summary>Kernel width kW.</summary>
    public required int KernelWidth { get; init; }

    /// <summary>Vertical stride.</summary>
    public int StrideH { get; init; } = 1;

    /// <summary>Horizontal stride.</summary>
    public int StrideW { get; init; } = 1;

    /// <summary>Zero rows added above the input.</summary>
    public int PadTop { get; init; }

    /// <summary>Zero rows added below the input.</summary>
    public int PadBottom { get; init; }

    /// <summary>Zero columns added left of the input.</summary>
    public int PadLeft { get; init; }

    /// <summary>Zero columns added right of the input.</summary>
    public int PadRight { get; init; }

    /// <summary>Vertical kernel dilation (1: taps are adjacent rows).</summary>
    public int DilationH { get; init; } = 1;

    /// <summary>Horizontal kernel dilation.</summary>
    public int DilationW { get; init; } = 1;

    /// <summary>Groups G: input and output channels are split into G groups convolved separately; G divides C_in and C_out.</summary>
    public int Groups { get; init; } = 1;

    /// <summary>Whether the layer has a bias b (and so a dJ/db).</summary>
    public bool HasBias { get; init; }

    /// <summary>The activation g of the layer below, whose g'(z^(l-1)) multiplies the input gradient (Eq 6/8).</summary>
    public Conv2dActivation Activation { get; init; } = Conv2dActivation.Identity;

    /// <summary>Leaky ReLU's slope for z &lt;= 0 (PyTorch's default).</summary>
    public double LeakySlope { get; init; } = 0.01;

    /// <summary>The clip value c: dJ/dw is clamped to [-c, c]; null for no clipping.</summary>
    public double? Clip { get; init; }

    /// <summary>
    /// The seed the case's values were drawn from. An implementation with several entry points may use
    /// it to choose among them deterministically, so a sweep exercises each and a rerun repeats the choice.
    /// </summary>
    public ulong ValueSeed { get; init; }

    /// <summary>Output height H_out.</summary>
    public int OutputHeight => OutputSize(Height, PadTop + PadBottom, KernelHeight, StrideH, DilationH);

    /// <summary>Output width W_out.</summary>
    public int OutputWidth => OutputSize(Width, PadLeft + PadRight, KernelWidth, StrideW, DilationW);

    /// <summary>Elements of a: N C_in H W.</summary>
    public int InputLength => Batch * InputChannels * Height * Width;

    /// <summary>Elements of w: C_out (C_in / G) kH kW.</summary>
    public int WeightLength => OutputChannels * (InputChannels / Groups) * KernelHeight * KernelWidth;

    /// <summary>Elements of y and of dy: N C_out H_out W_out.</summary>
    public int OutputLength => Batch * OutputChannels * OutputHeight * OutputWidth;

    /// <summary>The features this layer needs of an implementation.</summary>
    public Conv2dFeatures Requires =>
        (HasBias ? Conv2dFeatures.Bias : 0)
        | (StrideH > 1 || StrideW > 1 ? Conv2dFeatures.Stride : 0)
        | (PadTop + PadBottom + PadLeft + PadRight > 0 ? Conv2dFeatures.Padding : 0)
        | (PadTop != PadBottom || PadLeft != PadRight ? Conv2dFeatures.AsymmetricPadding : 0)
        | (DilationH > 1 || DilationW > 1 ? Conv2dFeatures.Dilation : 0)
        | (Groups > 1 ? Conv2dFeatures.Groups : 0)
        | (Activation != Conv2dActivation.Identity ? Conv2dFeatures.PreviousActivation : 0)
        | (Clip is not null ? Conv2dFeatures.GradientClip : 0);

    private static int OutputSize(int size, int padding, int kernel, int stride, int dilation) =>
        (size + padding - dilation * (kernel - 1) - 1) / stride + 1;

    /// <summary>The layer of a harness case.</summary>
    internal static Conv2dProblem Of(CaseConfig config) => new()
    {
        Batch = config.Shape.N,
        InputChannels = config.Shape.Cin,
        Height = config.Shape.H,
        Width = config.Shape.W,
        OutputChannels = config.Shape.Cout,
        KernelHeight = config.Shape.KH,
        KernelWidth = config.Shape.KW,
        StrideH = config.Geometry.StrideH,
        StrideW = config.Geometry.StrideW,
        PadTop = config.Geometry.PadTop,
        PadBottom = config.Geometry.PadBottom,
        PadLeft = config.Geometry.PadLeft,
        PadRight = config.Geometry.PadRight,
        DilationH = config.Geometry.DilationH,
        DilationW = config.Geometry.DilationW,
        Groups = config.Geometry.Groups,
        HasBias = config.Bias,
        Activation = ActivationOf(config.Activation),
        LeakySlope = CaseConfig.LeakySlope,
        Clip = config.Clip,
        ValueSeed = config.ValueSeed,
    };

    /// <summary>The public name of a case's activation.</summary>
    internal static Conv2dActivation ActivationOf(ActivationKind kind) => kind switch
    {
        ActivationKind.ReLU => Conv2dActivation.ReLU,
        ActivationKind.LeakyReLU => Conv2dActivation.LeakyReLU,
        ActivationKind.Sigmoid => Conv2dActivation.Sigmoid,
        ActivationKind.Tanh => Conv2dActivation.Tanh,
        _ => Conv2dActivation.Identity,
    };
}

using ConvRef;
using TorchSharp;
using static TorchSharp.torch;

namespace ConvCompare.Oracles;

/// <summary>
/// The convolution family through TorchSharp's own functions, the oracle for every <see cref="Convolution"/>:
/// <c>conv1d</c>/<c>conv2d</c>/<c>conv3d</c> (with their <c>'same'</c>/<c>'valid'</c> variants),
/// <c>conv_transpose1d/2d/3d</c>, and <c>pad</c> in each mode, with autograd for the gradients. It reads a
/// <see cref="ConvSpec"/> as plain data and derives everything else (per-axis expansion, the padding of
/// <c>'same'</c> in a padding mode, cropping) itself, as PyTorch's modules do, sharing no code with ConvRef.
/// </summary>
/// <remarks>
/// How each spelling reaches libtorch: symmetric zero padding goes to the convolution itself; <c>'same'</c>
/// and <c>'valid'</c> with zeros to its <c>_padding</c> variant; asymmetric padding, and any padding in
/// another mode, through <c>F.pad</c> (as <c>nn.Conv*d</c> does for <c>padding_mode</c>, 'same' split
/// as total // 2 before and the rest after) and then the convolution without padding. A transposed
/// convolution with asymmetric padding is computed without padding and cropped (<c>narrow</c>), which is what
/// its padding means. Gradients are those of J = Σ y ⊙ δ; with an activation, δ^(l-1) is autograd's
/// product of g'(z) with dJ/dx; with clipping, dJ/dw is clamped.
/// </remarks>
internal static class TorchConvolutions
{
    /// <summary>y and, for the backward pass, the gradients, as ConvRef tensors.</summary>
    public sealed record Result(Tensor<double> Output, Tensor<double> InputGradient, Tensor<double> WeightGradient, Tensor<double>? BiasGradient);

    /// <summary>
    /// The 2-D layer's hyperparameters as the family's: padding per side (top and left before, bottom
    /// and right after), stride and dilation per axis (height, width).
    /// </summary>
    public static ConvSpec FamilySpec(Conv2dSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new ConvSpec
        {
            Stride = [spec.StrideH, spec.StrideW], Dilation = [spec.DilationH, spec.DilationW], Groups = spec.Groups,
            Padding = ConvPadding.PerSide([spec.PadTop, spec.PadLeft], [spec.PadBottom, spec.PadRight]),
        };
    }

    /// <summary>The forward pass only.</summary>
    public static Tensor<double> Forward(Convolution op, ConvSpec spec, Tensor<double> input, Tensor<double> weights, Tensor<double>? bias,
        ScalarType type = ScalarType.Float64)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(spec);
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return ToTensor(Apply(op, spec, Leaf(input, type, false), Leaf(weights, type, false), bias is null ? null : Leaf(bias, type, false)));
    }

    /// <summary>
    /// Forward pass and the gradients of J = Σ y ⊙ <paramref name="delta"/>: dJ/dx (δ^(l-1) = g'(z) ⊙ dJ/dx
    /// when <paramref name="previousZ"/> is given, g's derivative taken by autograd), dJ/dw (clamped to
    /// ±<paramref name="clip"/> when given) and dJ/db.
    /// </summary>
    public static Result Compute(Convolution op, ConvSpec spec, Tensor<double> input, Tensor<double> weights, Tensor<double>? bias,
        Tensor<double> delta, Activation activation = default, Tensor<double>? previousZ = null, double? clip = null,
        ScalarType type = ScalarType.Float64)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(delta);
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var a = Leaf(input, type, true);
        var w = Leaf(weights, type, true);
        var b = bias is null ? null : Leaf(bias, type, true);
        var y = Apply(op, spec, a, w, b);
        (y * Leaf(delta, type, false)).sum().backward();
        var dx = a.grad!;
        if (previousZ is not null)
        {
            var z = Leaf(previousZ, type, true);
            (Activate(activation, z) * dx.detach()).sum().backward();
            dx = z.grad!;
        }
        var dw = clip is { } c ? w.grad!.clamp(-c, c) : w.grad!;
        return new Result(ToTensor(y), ToTensor(dx), ToTensor(dw), b is null ? null : ToTensor(b.grad!));
    }

    /// <summary>y = op(x, w, b) as PyTorch computes it for the spec.</summary>
    public static Tensor Apply(Convolution op, ConvSpec spec, Tensor x, Tensor w, Tensor? b)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(w);
        int rank = op.Rank;
        long[] stride = PerAxis(spec.Stride, rank), dilation = PerAxis(spec.Dilation, rank);
        var padding = spec.Padding;
        bool explicitPadding = padding.Kind == ConvPaddingKind.Explicit;
        long[] before = explicitPadding ? PerAxis(padding.Before, rank) : new long[rank];
        long[] after = explicitPadding ? PerAxis(padding.After, rank) : new long[rank];
        bool symmetric = before.SequenceEqual(after);
        if (op.Transposed)
        {
            long[] outputPadding = PerAxis(spec.OutputPadding, rank);
            var y = ConvTranspose(rank, x, w, b, stride, symmetric ? before : new long[rank], outputPadding, dilation, spec.Groups);
            return symmetric ? y : Crop(y, before, after);
        }
        if (spec.PaddingMode == PaddingMode.Zeros && padding.Kind != ConvPaddingKind.Explicit)
            return ConvWithPadding(rank, x, w, b, stride, padding.Kind == ConvPaddingKind.Same ? Padding.Same : Padding.Valid, dilation, spec.Groups);
        if (spec.PaddingMode == PaddingMode.Zeros && symmetric)
            return Conv(rank, x, w, b, stride, before, dilation, spec.Groups);
        if (padding.Kind == ConvPaddingKind.Same)
            for (int i = 0; i < rank; i++)
            {
                long total = dilation[i] * (w.shape[2 + i] - 1);
                before[i] = total / 2;
                after[i] = total - total / 2;
            }
        return Conv(rank, Pad(x, before, after, spec.PaddingMode), w, b, stride, new long[rank], dilation, spec.Groups);
    }

    /// <summary><c>F.pad</c> with per-axis amounts (axes in the input's order), given as PyTorch wants them: last axis first, before then after.</summary>
    public static Tensor Pad(Tensor x, long[] before, long[] after, PaddingMode mode)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var pads = Enumerable.Range(0, before.Length).Reverse().SelectMany(i => new[] { before[i], after[i] }).ToArray();
        var torchMode = mode switch
        {
            PaddingMode.Reflect => PaddingModes.Reflect,
            PaddingMode.Replicate => PaddingModes.Replicate,
            PaddingMode.Circular => PaddingModes.Circular,
            _ => PaddingModes.Constant,
        };
        return nn.functional.pad(x, pads, torchMode);
    }

    /// <summary>A ConvRef tensor as a TorchSharp leaf of <paramref name="type"/>.</summary>
    public static Tensor Leaf(Tensor<double> values, ScalarType type, bool requiresGrad)
    {
        ArgumentNullException.ThrowIfNull(values);
        var t = tensor(values.Data, [.. values.Shape.Select(d => (long)d)], ScalarType.Float64).to_type(type).detach();
        return requiresGrad ? t.requires_grad_(true) : t;
    }

    /// <summary>A TorchSharp tensor as a float64 ConvRef tensor.</summary>
    public static Tensor<double> ToTensor(Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new Tensor<double>([.. t.shape.Select(d => (int)d)], t.detach().to_type(ScalarType.Float64).contiguous().data<double>().ToArray());
    }

    private static Tensor Conv(int rank, Tensor x, Tensor w, Tensor? b, long[] stride, long[] padding, long[] dilation, int groups) => rank switch
    {
        1 => nn.functional.conv1d(x, w, b, stride[0], padding[0], dilation[0], groups),
        2 => nn.functional.conv2d(x, w, b, strides: stride, padding: padding, dilation: dilation, groups: groups),
        _ => nn.functional.conv3d(x, w, b, strides: stride, padding: padding, dilation: dilation, groups: groups),
    };

    private static Tensor ConvWithPadding(int rank, Tensor x, Tensor w, Tensor? b, long[] stride, Padding padding, long[] dilation, int groups) => rank switch
    {
        1 => nn.functional.conv1d_padding(x, w, b, stride[0], padding, dilation[0], groups),
        2 => nn.functional.conv2d_padding(x, w, b, stride, padding, dilation, groups),
        _ => nn.functional.conv3d_padding(x, w, b, stride, padding, dilation, groups),
    };

    private static Tensor ConvTranspose(int rank, Tensor x, Tensor w, Tensor? b, long[] stride, long[] padding, long[] outputPadding,
        long[] dilation, int groups) => rank switch
    {
        1 => nn.functional.conv_transpose1d(x, w, b, stride[0], padding[0], outputPadding[0], dilation[0], groups),
        2 => nn.functional.conv_transpose2d(x, w, b, stride, padding, outputPadding, dilation, groups),
        _ => nn.functional.conv_transpose3d(x, w, b, stride, padding, outputPadding, dilation, groups),
    };

    /// <summary>The transposed convolution's padding: <paramref name="before"/> elements cropped from each axis's start, <paramref name="after"/> from its end.</summary>
    private static Tensor Crop(Tensor y, long[] before, long[] after)
    {
        int first = (int)y.dim() - before.Length;
        for (int i = 0; i < before.Length; i++)
            y = y.narrow(first + i, before[i], y.shape[first + i] - before[i] - after[i]);
        return y;
    }

    /// <summary>g(z) as PyTorch computes it, so that autograd supplies g' (and g'').</summary>
    internal static Tensor Activate(Activation g, Tensor z) => g.Kind switch
    {
        ActivationKind.ReLU => nn.functional.relu(z),
        ActivationKind.LeakyReLU => nn.functional.leaky_relu(z, g.NegativeSlope),
        ActivationKind.Sigmoid => sigmoid(z),
        ActivationKind.Tanh => tanh(z),
        _ => z,
    };

    /// <summary>PyTorch's int-or-tuple: one value repeated for every axis, or one per axis.</summary>
    private static long[] PerAxis(IReadOnlyList<int> values, int rank) =>
        [.. Enumerable.Range(0, rank).Select(i => (long)values[values.Count == 1 ? 0 : i])];
}

using ConvCompare.Cases;
using System.Globalization;
using ConvRef;

namespace ConvCompare.Golden;

/// <summary>
/// The names of the golden safetensors format (README, "Golden cases"): tensor names, metadata keys,
/// and how the metadata spells hyperparameters. One place, so reader, writer and docs cannot drift.
/// </summary>
internal static class GoldenFormat
{
    public const string X = "x", W = "w", B = "b", Dy = "dy", Y = "y", Dx = "dx", Dw = "dw", Db = "db";

    /// <summary>
    /// Optional second-order entries, all or none (ggb and no other only with bias): the upstream gradients gg_a,
    /// gg_w, gg_b of the backward pass's outputs, and the double backward's expected gradients of
    /// L = &lt;gga, dx&gt; + &lt;ggw, dw&gt; + &lt;ggb, db&gt; with respect to x, w and dy.
    /// </summary>
    public const string GgX = "ggx", GgW = "ggw", GgB = "ggb", D2x = "d2x", D2w = "d2w", D2dy = "d2dy";

    /// <summary>The second-order entries a file with (<paramref name="hasBias"/>) or without bias must hold when it holds any.</summary>
    public static IReadOnlyList<string> SecondOrderTensors(bool hasBias) =>
        hasBias ? [GgX, GgW, GgB, D2x, D2w, D2dy] : [GgX, GgW, D2x, D2w, D2dy];

    public const string Op = "op", Stride = "stride", Padding = "padding", Dilation = "dilation",
        Groups = "groups", Bias = "bias", DType = "dtype", Source = "source";

    /// <summary>
    /// Optional metadata key: <c>"true"</c> declares that the file tests how NaN and Inf in the inputs
    /// propagate; without it (or with <c>"false"</c>) a non-finite input makes the file unusable.
    /// </summary>
    public const string NonFinite = "nonfinite";

    /// <summary>The only operation of version 1 of the format, and of a version-2 file without <see cref="PaddingMode"/>.</summary>
    public const string Conv2dOp = "conv2d";

    /// <summary>
    /// Version 2: the metadata keys of a case of the convolution family (<see cref="GoldenCaseMetadata"/>). A file with
    /// <c>padding_mode</c>, or with an <c>op</c> other than conv2d, is a family file: its <c>stride</c>, <c>padding</c> and
    /// <c>dilation</c> hold one value (padding: two) per spatial axis, and a transposed operation's <c>output_padding</c> one per axis.
    /// </summary>
    public const string PaddingMode = "padding_mode", OutputPadding = "output_padding";

    /// <summary>Version 2: the <c>padding</c> of a family convolution as PyTorch's strings (the pads they imply).</summary>
    public const string SamePadding = "same", ValidPadding = "valid";

    /// <summary>Every metadata key a golden file must have.</summary>
    public static IReadOnlyList<string> RequiredMetadata { get; } = [Op, Stride, Padding, Dilation, Groups, Bias, DType, Source];

    /// <summary>File extension of golden files.</summary>
    public const string Extension = ".safetensors";

    public static string DTypeText(CaseDtype dtype) => dtype == CaseDtype.F32 ? "float32" : "float64";

    /// <summary>The hyperparameter metadata of <paramref name="spec"/>, in the format's spelling.</summary>
    public static Dictionary<string, string> SpecMetadata(Conv2dSpec spec, bool hasBias, CaseDtype dtype) => new(StringComparer.Ordinal)
    {
        [Op] = Conv2dOp,
        [Stride] = Join(spec.StrideH, spec.StrideW),
        [Padding] = Join(spec.PadTop, spec.PadBottom, spec.PadLeft, spec.PadRight),
        [Dilation] = Join(spec.DilationH, spec.DilationW),
        [Groups] = Join(spec.Groups),
        [Bias] = hasBias ? "true" : "false",
        [DType] = DTypeText(dtype),
    };

    private static string Join(params int[] values) =>
        string.Join(",", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
}

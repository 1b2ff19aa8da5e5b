namespace ConvRef;

/// <summary>
/// The shape arithmetic of one convolution, shared by the serial and the vectorized implementation:
/// input N x C_in x H x W, weights C_out x (C_in/G) x kH x kW, output N x C_out x OutH x OutW with
/// OutH = floor((PadTop + H + PadBottom - SpanH) / StrideH) + 1 and SpanH = (kH - 1) * DilationH + 1
/// (likewise for the width).
/// </summary>
/// <remarks>
/// The forward pass reads only the first <see cref="CoveredH"/> x <see cref="CoveredW"/> of the padded
/// input; when the stride does not divide what is left, the rest (rows at the bottom, columns at the
/// right) never reaches the output and gets exactly zero gradient.
/// </remarks>
public sealed class Conv2dGeometry
{
    private Conv2dGeometry(int[] input, int[] weights, Conv2dSpec spec, int paddedH, int paddedW, int outH, int outW)
    {
        Spec = spec;
        BatchSize = input[0];
        InChannels = input[1];
        InH = input[2];
        InW = input[3];
        OutChannels = weights[0];
        KernelH = weights[2];
        KernelW = weights[3];
        PaddedH = paddedH;
        PaddedW = paddedW;
        OutH = outH;
        OutW = outW;
    }

    /// <summary>The hyperparameters.</summary>
    public Conv2dSpec Spec { get; }

    /// <summary>N.</summary>
    public int BatchSize { get; }

    /// <summary>C_in.</summary>
    public int InChannels { get; }

    /// <summary>H, the input height.</summary>
    public int InH { get; }

    /// <summary>W, the input width.</summary>
    public int InW { get; }

    /// <summary>C_out, the number of filters.</summary>
    public int OutChannels { get; }

    /// <summary>kH.</summary>
    public int KernelH { get; }

    /// <summary>kW.</summary>
    public int KernelW { get; }

    /// <summary>G.</summary>
    public int Groups => Spec.Groups;

    /// <summary>C_in / G: the channels each filter sees.</summary>
    public int InChannelsPerGroup => InChannels / Groups;

    /// <summary>C_out / G: the filters per group.</summary>
    public int OutChannelsPerGroup => OutChannels / Groups;

    /// <summary>PadTop + H + PadBottom.</summary>
    public int PaddedH { get; }

    /// <summary>PadLeft + W + PadRight.</summary>
    public int PaddedW { get; }

    /// <summary>(kH - 1) * DilationH + 1: the rows the dilated kernel Interleave(w, dH-1, dW-1) spans.</summary>
    public int SpanH => (KernelH - 1) * Spec.DilationH + 1;

    /// <summary>(kW - 1) * DilationW + 1.</summary>
    public int SpanW => (KernelW - 1) * Spec.DilationW + 1;

    /// <summary>Output height.</summary>
    public int OutH { get; }

    /// <summary>Output width.</summary>
    public int OutW { get; }

    /// <summary>(OutH - 1) * StrideH + SpanH: the rows of the padded input the forward pass reads.</summary>
    public int CoveredH => (OutH - 1) * Spec.StrideH + SpanH;

    /// <summary>(OutW - 1) * StrideW + SpanW.</summary>
    public int CoveredW => (OutW - 1) * Spec.StrideW + SpanW;

    /// <summary>[N, C_in, H, W].</summary>
    public int[] InputShape => [BatchSize, InChannels, InH, InW];

    /// <summary>[C_out, C_in/G, kH, kW].</summary>
    public int[] WeightShape => [OutChannels, InChannelsPerGroup, KernelH, KernelW];

    /// <summary>[N, C_out, OutH, OutW].</summary>
    public int[] OutputShape => [BatchSize, OutChannels, OutH, OutW];

    /// <summary>Multiply-adds of the forward pass: N * C_out * OutH * OutW * (C_in/G) * kH * kW.</summary>
    public long MultiplyAdds => (long)BatchSize * OutChannels * OutH * OutW * InChannelsPerGroup * KernelH * KernelW;

    /// <summary>
    /// Checks the hyperparameters and the two shapes against each other and computes the output size.
    /// </summary>
    /// <exception cref="Conv2dArgumentException">A rule is broken; the message names the parameter and the rule.</exception>
    public static Conv2dGeometry Create(IReadOnlyList<int> inputShape, IReadOnlyList<int> weightShape, Conv2dSpec spec)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(weightShape);
        ArgumentNullException.ThrowIfNull(spec);
        CheckSpec(spec);
        int[] input = CheckRank(inputShape, "input", "N x C_in x H x W");
        int[] weights = CheckRank(weightShape, "weights", "C_out x C_in/groups x kH x kW");

        int g = spec.Groups;
        if (input[1] % g != 0)
            throw Fail($"groups={g} does not divide in_channels={input[1]}", "spec");
        if (weights[0] % g != 0)
            throw Fail($"groups={g} does not divide out_channels={weights[0]}", "spec");
        if (weights[1] != input[1] / g)
            throw Fail($"weights have shape {Tensor<float>.Format(weights)} but in_channels/groups = {input[1]}/{g} = {input[1] / g} must be its dimension 1", "weights");

        int paddedH = Padded(input[2], spec.PadTop, spec.PadBottom, "rows");
        int paddedW = Padded(input[3], spec.PadLeft, spec.PadRight, "columns");
        long spanH = Span(weights[2], weights[3], spec.DilationH, spec.DilationW, paddedH, "rows");
        long spanW = Span(weights[2], weights[3], spec.DilationH, spec.DilationW, paddedW, "columns", useWidth: true);
        int outH = (int)((paddedH - spanH) / spec.StrideH + 1);
        int outW = (int)((paddedW - spanW) / spec.StrideW + 1);
        return new Conv2dGeometry(input, weights, spec, paddedH, paddedW, outH, outW);
    }

    internal static Conv2dArgumentException Fail(string message, string paramName) => new(message, paramName);

    private static void CheckSpec(Conv2dSpec spec)
    {
        AtLeast(spec.StrideH, 1, "stride_h", nameof(spec.StrideH));
        AtLeast(spec.StrideW, 1, "stride_w", nameof(spec.StrideW));
        AtLeast(spec.DilationH, 1, "dilation_h", nameof(spec.DilationH));
        AtLeast(spec.DilationW, 1, "dilation_w", nameof(spec.DilationW));
        AtLeast(spec.PadTop, 0, "pad_top", nameof(spec.PadTop));
        AtLeast(spec.PadBottom, 0, "pad_bottom", nameof(spec.PadBottom));
        AtLeast(spec.PadLeft, 0, "pad_left", nameof(spec.PadLeft));
        AtLeast(spec.PadRight, 0, "pad_right", nameof(spec.PadRight));
        AtLeast(spec.Groups, 1, "groups", nameof(spec.Groups));
    }

    /// <summary>The message names the hyperparameter as the examples and PyTorch do (stride_w, in_channels); the parameter name is the spec property.</summary>
    private static void AtLeast(int value, int minimum, string name, string property)
    {
        if (value < minimum)
            throw Fail($"{name} must be >= {minimum} (got {value})", "spec." + property);
    }

    private static int[] CheckRank(IReadOnlyList<int> shape, string what, string layout)
    {
        int[] dims = [.. shape];
        if (dims.Length != 4)
            throw Fail($"{what} must have rank 4 ({layout}) but has shape {Tensor<float>.Format(dims)}", what);
        if (dims.Any(d => d <= 0))
            throw Fail($"{what} has shape {Tensor<float>.Format(dims)} with a zero-size dimension, which would make the output empty", what);
        return dims;
    }

    private static int Padded(int size, int before, int after, string axis)
    {
        long padded = (long)size + before + after;
        if (padded > Array.MaxLength)
            throw Fail($"padding {before}+{after} around {size} {axis} gives {padded} {axis}, more than any tensor can hold", "spec");
        return (int)padded;
    }

    private static long Span(int kH, int kW, int dH, int dW, int padded, string axis, bool useWidth = false)
    {
        int k = useWidth ? kW : kH;
        int d = useWidth ? dW : dH;
        long span = (long)(k - 1) * d + 1;
        if (span > padded)
            throw Fail($"kernel {kH}x{kW} with dilation {d} spans {span} {axis} but padded input has {padded}", "weights");
        return span;
    }
}

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
/// right) never reaches the output and gets exactly zero gradient. This is the 2-D view of
/// <see cref="ConvGeometry"/> for <see cref="Conv2dSpec"/>, whose checks and arithmetic it shares.
/// </remarks>
public sealed class Conv2dGeometry
{
    private Conv2dGeometry(ConvGeometry geometry, Conv2dSpec spec)
    {
        Geometry = geometry;
        Spec = spec;
    }

    /// <summary>The hyperparameters.</summary>
    public Conv2dSpec Spec { get; }

    /// <summary>N.</summary>
    public int BatchSize => Geometry.BatchSize;

    /// <summary>C_in.</summary>
    public int InChannels => Geometry.InChannels;

    /// <summary>H, the input height.</summary>
    public int InH => Geometry.InputSize[0];

    /// <summary>W, the input width.</summary>
    public int InW => Geometry.InputSize[1];

    /// <summary>C_out, the number of filters.</summary>
    public int OutChannels => Geometry.OutChannels;

    /// <summary>kH.</summary>
    public int KernelH => Geometry.KernelSize[0];

    /// <summary>kW.</summary>
    public int KernelW => Geometry.KernelSize[1];

    /// <summary>G.</summary>
    public int Groups => Spec.Groups;

    /// <summary>C_in / G: the channels each filter sees.</summary>
    public int InChannelsPerGroup => InChannels / Groups;

    /// <summary>C_out / G: the filters per group.</summary>
    public int OutChannelsPerGroup => OutChannels / Groups;

    /// <summary>PadTop + H + PadBottom.</summary>
    public int PaddedH => Spec.PadTop + InH + Spec.PadBottom;

    /// <summary>PadLeft + W + PadRight.</summary>
    public int PaddedW => Spec.PadLeft + InW + Spec.PadRight;

    /// <summary>(kH - 1) * DilationH + 1: the rows the dilated kernel Interleave(w, dH-1, dW-1) spans.</summary>
    public int SpanH => Geometry.Span(0);

    /// <summary>(kW - 1) * DilationW + 1.</summary>
    public int SpanW => Geometry.Span(1);

    /// <summary>Output height.</summary>
    public int OutH => Geometry.OutputSize[0];

    /// <summary>Output width.</summary>
    public int OutW => Geometry.OutputSize[1];

    /// <summary>(OutH - 1) * StrideH + SpanH: the rows of the padded input the forward pass reads.</summary>
    public int CoveredH => (OutH - 1) * Spec.StrideH + SpanH;

    /// <summary>(OutW - 1) * StrideW + SpanW.</summary>
    public int CoveredW => (OutW - 1) * Spec.StrideW + SpanW;

    /// <summary>[N, C_in, H, W].</summary>
    public int[] InputShape => Geometry.InputShape;

    /// <summary>[C_out, C_in/G, kH, kW].</summary>
    public int[] WeightShape => Geometry.WeightShape;

    /// <summary>[N, C_out, OutH, OutW].</summary>
    public int[] OutputShape => Geometry.OutputShape;

    /// <summary>Multiply-adds of the forward pass: N * C_out * OutH * OutW * (C_in/G) * kH * kW.</summary>
    public long MultiplyAdds => Geometry.MultiplyAdds;

    /// <summary>The N-dimensional geometry this is the view of.</summary>
    internal ConvGeometry Geometry { get; }

    /// <summary>
    /// Checks the hyperparameters and the two shapes against each other and computes the output size.
    /// </summary>
    /// <exception cref="Conv2dArgumentException">A rule is broken; the message names the parameter and the rule.</exception>
    public static Conv2dGeometry Create(IReadOnlyList<int> inputShape, IReadOnlyList<int> weightShape, Conv2dSpec spec)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(weightShape);
        ArgumentNullException.ThrowIfNull(spec);
        return new Conv2dGeometry(ConvGeometry.Create(inputShape, weightShape, spec), spec);
    }
}

namespace ConvRef;

/// <summary>
/// The hyperparameters of a 2-D convolution, as <c>torch.nn.functional.conv2d</c> has them, plus
/// asymmetric padding: stride (sH, sW), zero padding (top, bottom, left, right), dilation (dH, dW)
/// and groups G.
/// </summary>
public sealed record Conv2dSpec
{
    /// <summary>Vertical stride sH (rows the window moves per output row).</summary>
    public int StrideH { get; init; } = 1;

    /// <summary>Horizontal stride sW.</summary>
    public int StrideW { get; init; } = 1;

    /// <summary>Zero rows added above the input.</summary>
    public int PadTop { get; init; }

    /// <summary>Zero rows added below the input.</summary>
    public int PadBottom { get; init; }

    /// <summary>Zero columns added left of the input.</summary>
    public int PadLeft { get; init; }

    /// <summary>Zero columns added right of the input.</summary>
    public int PadRight { get; init; }

    /// <summary>Vertical dilation dH (distance between kernel taps).</summary>
    public int DilationH { get; init; } = 1;

    /// <summary>Horizontal dilation dW.</summary>
    public int DilationW { get; init; } = 1;

    /// <summary>Number of groups G; C_in and C_out must both be divisible by it. Depthwise when G = C_in.</summary>
    public int Groups { get; init; } = 1;

    /// <summary>Stride 1, no padding, dilation 1, one group: the derivation's setting.</summary>
    public static Conv2dSpec Default { get; } = new();
}

using ConvRef;

namespace ConvCompare.Cases;

/// <summary>The floating-point type a case computes in.</summary>
internal enum CaseDtype
{
    /// <summary>IEEE binary32, unit roundoff 2^-24.</summary>
    F32,
    /// <summary>IEEE binary64, unit roundoff 2^-53.</summary>
    F64,
}

/// <summary>
/// One comparison case: the whole layer configuration (shapes, stride, asymmetric padding, dilation,
/// groups, bias), the dtype, the activation g of the layer below (whose g'(z^(l-1)) enters Eq 6/8),
/// the clip value of dJ/dw, and the seed of its values. <see cref="CaseId"/> writes it as text.
/// </summary>
/// <param name="N">Batch size.</param>
/// <param name="Cin">Input channels C_in.</param>
/// <param name="H">Input height.</param>
/// <param name="W">Input width.</param>
/// <param name="Cout">Output channels C_out (filters).</param>
/// <param name="KH">Kernel height.</param>
/// <param name="KW">Kernel width.</param>
/// <param name="StrideH">Vertical stride.</param>
/// <param name="StrideW">Horizontal stride.</param>
/// <param name="PadTop">Zero rows above.</param>
/// <param name="PadBottom">Zero rows below.</param>
/// <param name="PadLeft">Zero columns left.</param>
/// <param name="PadRight">Zero columns right.</param>
/// <param name="DilationH">Vertical dilation.</param>
/// <param name="DilationW">Horizontal dilation.</param>
/// <param name="Groups">Groups G (depthwise when G = C_in).</param>
/// <param name="Bias">Whether the layer has a bias.</param>
/// <param name="Dtype">The dtype ConvRef and the oracle compute in.</param>
/// <param name="Activation">g of the layer below; Identity means dJ/da is compared, otherwise delta^(l-1).</param>
/// <param name="Clip">Clip value c of dJ/dw (clamped to [-c, c]), or null.</param>
/// <param name="ValueSeed">Seed of the values of a, w, b, dy and z^(l-1).</param>
/// <remarks>What the values look like (<see cref="Values"/>) is an init property: uniform unless the case is one of the special-value tier.</remarks>
internal sealed record CaseConfig(
    int N, int Cin, int H, int W, int Cout, int KH, int KW,
    int StrideH, int StrideW, int PadTop, int PadBottom, int PadLeft, int PadRight,
    int DilationH, int DilationW, int Groups, bool Bias, CaseDtype Dtype,
    ActivationKind Activation, double? Clip, ulong ValueSeed)
{
    /// <summary>Leaky ReLU's slope: PyTorch's default, used by both sides.</summary>
    public const double LeakySlope = 0.01;

    /// <summary>What the values of a, w, b and dy look like; <see cref="ValueKind.Uniform"/> except in the special-value tier.</summary>
    public ValueKind Values { get; init; } = ValueKind.Uniform;

    /// <summary>Largest element count of any one tensor a case may have, so a hand-written id cannot exhaust memory.</summary>
    public const long MaxTensorElements = 1L << 24;

    /// <summary>Height of the padded input minus the dilated kernel's extent, divided by the stride, plus one.</summary>
    public int OutH => (H + PadTop + PadBottom - (DilationH * (KH - 1) + 1)) / StrideH + 1;

    /// <summary>Output width, as <see cref="OutH"/>.</summary>
    public int OutW => (W + PadLeft + PadRight - (DilationW * (KW - 1) + 1)) / StrideW + 1;

    /// <summary>The ConvRef spec of this layer.</summary>
    public Conv2dSpec Spec => new()
    {
        StrideH = StrideH, StrideW = StrideW,
        PadTop = PadTop, PadBottom = PadBottom, PadLeft = PadLeft, PadRight = PadRight,
        DilationH = DilationH, DilationW = DilationW, Groups = Groups,
    };

    /// <summary>The activation of the layer below, as ConvRef takes it.</summary>
    public Activation PreviousActivation => new(Activation, LeakySlope);

    /// <summary>Shape of a (and z^(l-1), dJ/da): N x C_in x H x W.</summary>
    public int[] InputShape => [N, Cin, H, W];

    /// <summary>Shape of w: C_out x C_in/G x kH x kW.</summary>
    public int[] WeightShape => [Cout, Cin / Groups, KH, KW];

    /// <summary>Shape of y and dy: N x C_out x H_out x W_out.</summary>
    public int[] OutputShape => [N, Cout, OutH, OutW];

    /// <summary>Multiply-adds of one forward pass: the unit of a case's cost.</summary>
    public long MultiplyAdds => (long)N * Cout * OutH * OutW * (Cin / Groups) * KH * KW;

    /// <summary>Null when the configuration is a valid layer, otherwise one sentence naming the broken rule.</summary>
    public string? Problem
    {
        get
        {
            if (N < 1 || Cin < 1 || H < 1 || W < 1 || Cout < 1 || KH < 1 || KW < 1)
                return "batch, channels, image and kernel sizes must be at least 1";
            if (StrideH < 1 || StrideW < 1 || DilationH < 1 || DilationW < 1 || Groups < 1)
                return "stride, dilation and groups must be at least 1";
            if (PadTop < 0 || PadBottom < 0 || PadLeft < 0 || PadRight < 0)
                return "padding must not be negative";
            if (Cin % Groups != 0 || Cout % Groups != 0)
                return $"groups {Groups} must divide both C_in {Cin} and C_out {Cout}";
            if (H + PadTop + PadBottom < DilationH * (KH - 1) + 1)
                return $"the dilated kernel height {DilationH * (KH - 1) + 1} exceeds the padded input height {H + PadTop + PadBottom}";
            if (W + PadLeft + PadRight < DilationW * (KW - 1) + 1)
                return $"the dilated kernel width {DilationW * (KW - 1) + 1} exceeds the padded input width {W + PadLeft + PadRight}";
            if (Clip is { } c && !(c > 0 && double.IsFinite(c)))
                return "the clip value must be positive and finite";
            if (Values != ValueKind.Uniform && (Activation != ActivationKind.Identity || Clip is not null))
                return $"special values ({ValueKinds.Token(Values)}) are drawn for a itself, so the case can have no activation and no clipping";
            long largest = Math.Max(Math.Max((long)N * Cin * H * W, (long)N * Cout * OutH * OutW), (long)Cout * (Cin / Groups) * KH * KW);
            if (largest > MaxTensorElements)
                return $"a tensor of {largest} elements exceeds the limit of {MaxTensorElements}";
            return null;
        }
    }
}

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
/// One comparison case: the layer's shape, its geometry (stride, asymmetric padding, dilation, groups),
/// bias, the dtype, the activation g of the layer below (whose g'(z^(l-1)) enters Eq 6/8), the clip
/// value of dJ/dw, and the seed of its values. <see cref="CaseId"/> writes it as text.
/// </summary>
/// <param name="Shape">Batch, channel, image and kernel sizes.</param>
/// <param name="Geometry">Stride, padding, dilation and groups.</param>
/// <param name="Bias">Whether the layer has a bias.</param>
/// <param name="Dtype">The dtype ConvRef and the oracle compute in.</param>
/// <param name="Activation">g of the layer below; Identity means dJ/da is compared, otherwise delta^(l-1).</param>
/// <param name="Clip">Clip value c of dJ/dw (clamped to [-c, c]), or null.</param>
/// <param name="ValueSeed">Seed of the values of a, w, b, dy and z^(l-1).</param>
/// <remarks>What the values look like (<see cref="Values"/>) is an init property: uniform unless the case is one of the special-value tier.</remarks>
internal sealed record CaseConfig(
    CaseShape Shape, CaseGeometry Geometry, bool Bias, CaseDtype Dtype,
    ActivationKind Activation, double? Clip, ulong ValueSeed)
{
    /// <summary>Leaky ReLU's slope: PyTorch's default, used by both sides.</summary>
    public const double LeakySlope = 0.01;

    /// <summary>What the values of a, w, b and dy look like; <see cref="ValueKind.Uniform"/> except in the special-value tier.</summary>
    public ValueKind Values { get; init; } = ValueKind.Uniform;

    /// <summary>Largest element count of any one tensor a case may have, so a hand-written id cannot exhaust memory.</summary>
    public const long MaxTensorElements = 1L << 24;

    /// <summary>The rows: input height, top and bottom padding, kernel height, vertical stride and dilation.</summary>
    public ConvAxis Rows => new(Shape.H, Geometry.PadTop, Geometry.PadBottom, Shape.KH, Geometry.StrideH, Geometry.DilationH);

    /// <summary>The columns: input width, left and right padding, kernel width, horizontal stride and dilation.</summary>
    public ConvAxis Columns => new(Shape.W, Geometry.PadLeft, Geometry.PadRight, Shape.KW, Geometry.StrideW, Geometry.DilationW);

    /// <summary>Output height, <see cref="ConvAxis.Output"/> of <see cref="Rows"/>.</summary>
    public int OutH => (int)Rows.Output;

    /// <summary>Output width, <see cref="ConvAxis.Output"/> of <see cref="Columns"/>.</summary>
    public int OutW => (int)Columns.Output;

    /// <summary>The ConvRef spec of this layer.</summary>
    public Conv2dSpec Spec => Geometry.Spec;

    /// <summary><see cref="Activation"/> as the value ConvRef and the oracle take: the kind with <see cref="LeakySlope"/>.</summary>
    public Activation ConvRefActivation => new(Activation, LeakySlope);

    /// <summary>Shape of a (and z^(l-1), dJ/da): N x C_in x H x W.</summary>
    public int[] InputShape => [Shape.N, Shape.Cin, Shape.H, Shape.W];

    /// <summary>Shape of w: C_out x C_in/G x kH x kW.</summary>
    public int[] WeightShape => [Shape.Cout, Shape.Cin / Geometry.Groups, Shape.KH, Shape.KW];

    /// <summary>Shape of y and dy: N x C_out x H_out x W_out.</summary>
    public int[] OutputShape => [Shape.N, Shape.Cout, OutH, OutW];

    /// <summary>Multiply-adds of one forward pass: the unit of a case's cost.</summary>
    public long MultiplyAdds => (long)Shape.N * Shape.Cout * OutH * OutW * (Shape.Cin / Geometry.Groups) * Shape.KH * Shape.KW;

    /// <summary>Null when the configuration is a valid layer, otherwise one sentence naming the broken rule.</summary>
    public string? Problem
    {
        get
        {
            var (n, cin, h, w, cout, kh, kw) = Shape;
            var g = Geometry;
            if (n < 1 || cin < 1 || h < 1 || w < 1 || cout < 1 || kh < 1 || kw < 1)
                return "batch, channels, image and kernel sizes must be at least 1";
            if (g.StrideH < 1 || g.StrideW < 1 || g.DilationH < 1 || g.DilationW < 1 || g.Groups < 1)
                return "stride, dilation and groups must be at least 1";
            if (g.PadTop < 0 || g.PadBottom < 0 || g.PadLeft < 0 || g.PadRight < 0)
                return "padding must not be negative";
            if (cin % g.Groups != 0 || cout % g.Groups != 0)
                return $"groups {g.Groups} must divide both C_in {cin} and C_out {cout}";
            if (Rows is { Fits: false } rows)
                return $"the dilated kernel height {rows.Extent} exceeds the padded input height {rows.Padded}";
            if (Columns is { Fits: false } columns)
                return $"the dilated kernel width {columns.Extent} exceeds the padded input width {columns.Padded}";
            if (Clip is { } c && !(c > 0 && double.IsFinite(c)))
                return "the clip value must be positive and finite";
            if (Values != ValueKind.Uniform && (Activation != ActivationKind.Identity || Clip is not null))
                return $"special values ({ValueKinds.Token(Values)}) are drawn for a itself, so the case can have no activation and no clipping";
            long largest = Math.Max(Math.Max((long)n * cin * h * w, (long)n * cout * OutH * OutW), (long)cout * (cin / g.Groups) * kh * kw);
            if (largest > MaxTensorElements)
                return $"a tensor of {largest} elements exceeds the limit of {MaxTensorElements}";
            return null;
        }
    }
}

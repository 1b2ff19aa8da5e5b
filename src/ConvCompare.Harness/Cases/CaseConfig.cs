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
/// <param name="Clip">Clip value c of dJ/dw (clamped to [-c, c]), or null; at second order only in a gap of |dJ/dw| (<see cref="ClipGap"/>).</param>
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

    /// <summary>
    /// 1: y and the first-order gradients (Eq 1-9); 2: also the double backward, the gradients of
    /// L = &lt;gg_a, dJ/da&gt; + &lt;gg_w, dJ/dw&gt; + &lt;gg_b, dJ/db&gt; with respect to a, w and delta
    /// (<see cref="TensorKinds.SecondOrder"/>). An init property, so that every first-order case keeps its id.
    /// </summary>
    public int Order { get; init; } = 1;

    /// <summary>Largest element count of any one tensor a case may have, so a hand-written id cannot exhaust memory.</summary>
    public const long MaxTensorElements = 1L << 24;

    /// <summary>The rows: input height, top and bottom padding, kernel height, vertical stride and dilation.</summary>
    public ConvAxis Rows => new(Shape.H, Geometry.PadTop, Geometry.PadBottom, Shape.KH, Geometry.StrideH, Geometry.DilationH);

    /// <summary>The columns: input width, left and right padding, kernel width, horizontal stride and dilation.</summary>
    public ConvAxis Columns => new(Shape.W, Geometry.PadLeft, Geometry.PadRight, Shape.KW, Geometry.StrideW, Geometry.DilationW);

    /// <summary>Output height, <see cref="ConvAxis.Output"/> of <see cref="Rows"/> (for a family case its height axis's, 1 in 1-D).</summary>
    public int OutH => Family is null ? (int)Rows.Output : Op.Rank() == 1 ? 1 : (int)Axes[^2].Output;

    /// <summary>Output width, <see cref="ConvAxis.Output"/> of <see cref="Columns"/> (for a family case its width axis's).</summary>
    public int OutW => Family is null ? (int)Columns.Output : (int)Axes[^1].Output;

    /// <summary>
    /// The family part: operation, padding mode and spelling, unbatched input, output padding, depth axis.
    /// Null for a case of the original grammar, a batched zero-padded conv2d; never <see cref="CaseFamily.IsPlain"/>.
    /// </summary>
    public CaseFamily? Family { get; init; }

    /// <summary>The operation: <see cref="CaseOp.Conv2d"/> unless the family part says otherwise.</summary>
    public CaseOp Op => Family?.Op ?? CaseOp.Conv2d;

    /// <summary>What the padding holds: zeros unless the family part says otherwise.</summary>
    public CasePaddingMode PaddingMode => Family?.Mode ?? CasePaddingMode.Zeros;

    /// <summary>The spatial axes in the input's order (height and width for the original grammar).</summary>
    public IReadOnlyList<FamilyAxis> Axes => (Family ?? Plain).Axes(Shape, Geometry);

    /// <summary>Output size of each spatial axis.</summary>
    public int[] OutputSpatial => [.. Axes.Select(a => (int)a.Output)];

    private static readonly CaseFamily Plain = new();

    /// <summary>The ConvRef spec of this layer.</summary>
    public Conv2dSpec Spec => Geometry.Spec;

    /// <summary><see cref="Activation"/> as the value ConvRef and the oracle take: the kind with <see cref="LeakySlope"/>.</summary>
    public Activation ConvRefActivation => new(Activation, LeakySlope);

    /// <summary>Shape of a (and z^(l-1), dJ/da): N x C_in x H x W; for a family case N x C_in x spatial, or C_in x spatial unbatched.</summary>
    public int[] InputShape => Family is null ? [Shape.N, Shape.Cin, Shape.H, Shape.W] : Batch([.. Axes.Select(a => (int)a.Input)], Shape.Cin);

    /// <summary>Shape of w: C_out x C_in/G x kH x kW; for a family case C_out x C_in/G x k..., transposed C_in x C_out/G x k....</summary>
    public int[] WeightShape => Family is null ? [Shape.Cout, Shape.Cin / Geometry.Groups, Shape.KH, Shape.KW]
        : Op.Transposed() ? [Shape.Cin, Shape.Cout / Geometry.Groups, .. Kernel] : [Shape.Cout, Shape.Cin / Geometry.Groups, .. Kernel];

    /// <summary>Shape of y and dy: N x C_out x H_out x W_out; for a family case N x C_out x spatial output, or unbatched.</summary>
    public int[] OutputShape => Family is null ? [Shape.N, Shape.Cout, OutH, OutW] : Batch(OutputSpatial, Shape.Cout);

    /// <summary>Multiply-adds of one forward pass: the unit of a case's cost. A transposed convolution forms one product per input position, tap and output channel of its group.</summary>
    public long MultiplyAdds => Family is null
        ? (long)Shape.N * Shape.Cout * OutH * OutW * (Shape.Cin / Geometry.Groups) * Shape.KH * Shape.KW
        : Op.Transposed()
            ? (long)Shape.N * Shape.Cin * Product(Axes.Select(a => a.Input)) * (Shape.Cout / Geometry.Groups) * Product(Axes.Select(a => a.Kernel))
            : (long)Shape.N * Shape.Cout * Product(Axes.Select(a => a.Output)) * (Shape.Cin / Geometry.Groups) * Product(Axes.Select(a => a.Kernel));

    private int[] Kernel => [.. Axes.Select(a => (int)a.Kernel)];

    private int[] Batch(int[] spatial, int channels) => Family is { Batched: false } ? [channels, .. spatial] : [Shape.N, channels, .. spatial];

    private static long Product(IEnumerable<long> values) => values.Aggregate(1L, (p, v) => p * v);

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
            if (Family is { IsPlain: true })
                return "a batched, zero-padded conv2d with explicit padding is written without its family part";
            if (Family?.Problem(Shape, g) is { } familyProblem)
                return familyProblem;
            if (Family is null && Rows is { Fits: false } rows)
                return $"the dilated kernel height {rows.Extent} exceeds the padded input height {rows.Padded}";
            if (Family is null && Columns is { Fits: false } columns)
                return $"the dilated kernel width {columns.Extent} exceeds the padded input width {columns.Padded}";
            if (Clip is { } c && !(c > 0 && double.IsFinite(c)))
                return "the clip value must be positive and finite";
            if (Values != ValueKind.Uniform && (Activation != ActivationKind.Identity || Clip is not null))
                return $"special values ({ValueKinds.Token(Values)}) are drawn for a itself, so the case can have no activation and no clipping";
            if (Order is not (1 or 2))
                return $"the order {Order} must be 1 or 2";
            if (Order == 2 && Values != ValueKind.Uniform)
                return "a second-order case has uniform values";
            long largest = Math.Max(Math.Max(Product(InputShape.Select(d => (long)d)), Product(OutputShape.Select(d => (long)d))), Product(WeightShape.Select(d => (long)d)));
            if (largest > MaxTensorElements)
                return $"a tensor of {largest} elements exceeds the limit of {MaxTensorElements}";
            // Last, as it computes: the clamp's mask at second order must not rest on rounding.
            if (Order == 2 && Clip is not null && ClipGap.Problem(this) is { } clipProblem)
                return clipProblem;
            return null;
        }
    }
}

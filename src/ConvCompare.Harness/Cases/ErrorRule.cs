namespace ConvCompare.Cases;

/// <summary>
/// One rule of validity that an error-input case breaks on purpose, as PyTorch states it: every
/// implementation must refuse such a configuration with an argument error naming the parameter.
/// </summary>
/// <param name="Token">The rule's name in ids and reports, e.g. <c>stride0</c>.</param>
/// <param name="Statement">
/// The rule that refuses the configuration: PyTorch's (its error message or documented constraint), or for
/// ConvRef's own API (caller-owned outputs, backward options, limits, the double backward's upstream gradients) ConvRef's.
/// </param>
/// <param name="Parameter">
/// The parameter the refusal must name (<see cref="ArgumentException.ParamName"/>) when the convolution
/// family's <c>ConvSpec</c> carries the hyperparameters, e.g. <c>spec.Stride</c>; see <see cref="LayerParameter"/>.
/// </param>
/// <param name="Ops">Which operations the rule applies to.</param>
/// <param name="TorchExpresses">
/// Whether TorchSharp's functional API can be given the configuration at all. A rule PyTorch enforces in
/// its modules or through its argument types (a transposed convolution's padding mode, <c>'same'</c> for a
/// transposed convolution) is judged on ConvRef alone.
/// </param>
/// <param name="Passes">
/// Which passes the rule makes invalid: both, except for a wrongly shaped upstream gradient (the backward
/// pass alone) and a wrong bias (the forward pass alone: the backward pass is told only whether there is a bias).
/// </param>
internal sealed record ErrorRule(string Token, string Statement, string Parameter, ErrorOps Ops, bool TorchExpresses = true,
    ErrorPasses Passes = ErrorPasses.Both)
{
    /// <summary>
    /// The parameter the refusal must name when the 2-D layer's <c>Conv2dSpec</c> carries the
    /// hyperparameters, which has one property per axis and side: <c>spec.StrideH</c> is named by the prefix
    /// <c>spec.Stride</c>, the padding sides by <c>spec.Pad</c>.
    /// </summary>
    public string LayerParameter => Parameter == "spec.Padding" ? "spec.Pad" : Parameter;

    /// <summary>Whether the rule applies to <paramref name="op"/> (the 2-D layer or an operation of the family).</summary>
    public bool AppliesTo(ErrorOp op) =>
        (op.Layer ? Ops.HasFlag(ErrorOps.Layer) : op.Op.Transposed() ? Ops.HasFlag(ErrorOps.Transposed) : Ops.HasFlag(ErrorOps.Convolution));

    /// <summary>
    /// Whether <paramref name="paramName"/> names the parameter <paramref name="expected"/>: the parameter
    /// itself or one of its per-axis properties (<c>spec.StrideH</c> for <c>spec.Stride</c>), or the
    /// argument that holds it (<c>spec</c> for <c>spec.Groups</c>, for a rule about several of its values together).
    /// </summary>
    public static bool Names(string? paramName, string expected) =>
        paramName is { Length: > 0 } name
        && (name.StartsWith(expected, StringComparison.Ordinal) || expected.StartsWith(name + ".", StringComparison.Ordinal));
}

/// <summary>Which operations an <see cref="ErrorRule"/> applies to.</summary>
[Flags]
internal enum ErrorOps
{
    /// <summary>The 2-D layer with its own spec (<c>Conv2d</c>, <c>Conv2dSpec</c>: zero padding, batched input).</summary>
    Layer = 1,
    /// <summary>conv1d, conv2d and conv3d of the family (<c>ConvSpec</c>).</summary>
    Convolution = 2,
    /// <summary>conv_transpose1d, 2d and 3d.</summary>
    Transposed = 4,
    /// <summary>The layer and every operation of the family.</summary>
    All = Layer | Convolution | Transposed,
    /// <summary>The layer and the family's convolutions.</summary>
    NotTransposed = Layer | Convolution,
}

/// <summary>Which passes of an error-input case are attempted.</summary>
[Flags]
internal enum ErrorPasses
{
    /// <summary>The forward pass.</summary>
    Forward = 1,
    /// <summary>The backward pass.</summary>
    Backward = 2,
    /// <summary>Both.</summary>
    Both = Forward | Backward,
    /// <summary>The double backward (ConvRef's API only).</summary>
    DoubleBackward = 4,
}

/// <summary>The operation an error-input case calls: the 2-D layer through its own spec, or one of the family.</summary>
/// <param name="Op">The operation (<see cref="CaseOp.Conv2d"/> for the layer).</param>
/// <param name="Layer">Whether it is the 2-D layer's entry point with <c>Conv2dSpec</c>.</param>
internal readonly record struct ErrorOp(CaseOp Op, bool Layer)
{
    /// <summary>The layer, then the family's operations in <see cref="CaseOp"/> order.</summary>
    public static IReadOnlyList<ErrorOp> All { get; } = [new(CaseOp.Conv2d, true), .. CaseOps.All.Select(op => new ErrorOp(op, false))];

    /// <summary>The token in ids: <c>layer</c>, or PyTorch's name of the operation.</summary>
    public string Token => Layer ? "layer" : Op.Name();

    /// <summary>The operation whose token is <paramref name="token"/>, or null.</summary>
    public static ErrorOp? Parse(string token) => All.Where(o => o.Token == token).Select(o => (ErrorOp?)o).FirstOrDefault();
}

/// <summary>Every rule the error-input tier breaks.</summary>
internal static class ErrorRules
{
    /// <summary>The rules, in the order the tier draws them.</summary>
    public static IReadOnlyList<ErrorRule> All { get; } =
    [
        new("stride0", "non-positive stride is not supported", "spec.Stride", ErrorOps.All),
        new("dilation0", "dilation should be greater than zero", "spec.Dilation", ErrorOps.All),
        new("negative-padding", "negative padding is not supported", "spec.Padding", ErrorOps.All),
        new("groups0", "non-positive groups is not supported", "spec.Groups", ErrorOps.All),
        new("groups-input", "the input's channels must be groups times the weights' input channels (groups must divide in_channels)", "spec.Groups", ErrorOps.All),
        new("groups-output", "expected weight to be divisible by groups at dimension 0 (groups must divide out_channels)", "spec.Groups", ErrorOps.NotTransposed),
        new("weight-channels", "expected input to have weight.size(1) * groups channels (transposed: weight.size(0) == in_channels)", "weights", ErrorOps.All),
        new("kernel-too-large", "Kernel size can't be greater than actual input size (the dilated kernel must fit the padded input)", "weights", ErrorOps.NotTransposed),
        new("input-rank", "Expected (rank+1)-D (unbatched) or (rank+2)-D (batched) input", "input", ErrorOps.All),
        new("weight-rank", "weight must have rank+2 dimensions", "weights", ErrorOps.All),
        new("bias-length", "expected bias to be 1-dimensional with out_channels elements", "bias", ErrorOps.All, Passes: ErrorPasses.Forward),
        new("delta-shape", "the upstream gradient must have the forward output's shape (Mismatch in shape: grad_output)", "delta", ErrorOps.All, Passes: ErrorPasses.Backward),
        new("output-padding", "output padding must be smaller than either stride or dilation", "spec.OutputPadding", ErrorOps.Transposed),
        new("transposed-empty", "the transposed convolution's output size (in - 1) * stride - 2 * padding + span + output_padding must be at least 1", "spec.Padding", ErrorOps.Transposed),
        new("reflect-too-wide", "reflect padding: Padding size should be less than the corresponding input dimension", "spec.Padding", ErrorOps.Convolution),
        new("circular-too-wide", "circular padding: Padding value causes wrapping around more than once", "spec.Padding", ErrorOps.Convolution),
        new("same-strided", "padding='same' is not supported for strided convolutions", "spec.Padding", ErrorOps.Convolution),
        new("transposed-padding-mode", "Only \"zeros\" padding mode is supported for ConvTranspose (nn.ConvTranspose*d)", "spec.PaddingMode", ErrorOps.Transposed, TorchExpresses: false),
        new("transposed-same", "conv_transpose*d takes integer padding only, never 'same'", "spec.Padding", ErrorOps.Transposed, TorchExpresses: false),
        new("output-padding-plain", "output_padding exists for transposed convolutions only (conv*d has no such parameter)", "spec.OutputPadding", ErrorOps.Convolution, TorchExpresses: false),
        new("axis-count", "expected stride to be a single integer value or a list of rank values", "spec.Stride", ErrorOps.Convolution | ErrorOps.Transposed, TorchExpresses: false),
        new("null-stride", "stride must be given (ConvSpec.Stride null)", "spec.Stride", ErrorOps.Convolution | ErrorOps.Transposed, TorchExpresses: false),
        new("padding-overflow", "the padded input must fit in a tensor", "spec.Padding", ErrorOps.NotTransposed, TorchExpresses: false),
        new("unknown-padding-mode", "padding_mode must be zeros, reflect, replicate or circular", "spec.PaddingMode", ErrorOps.Convolution, TorchExpresses: false),
        new("output-shape", "ConvRef: ForwardInto's output must have the forward output's shape", "output", ErrorOps.Layer, false, ErrorPasses.Forward),
        new("gradient-shape", "ConvRef: BackwardInto's gradients.Input must have the input's shape", "gradients.Input", ErrorOps.Layer, false, ErrorPasses.Backward),
        new("shared-storage", "ConvRef: BackwardInto's gradients must not share storage with an argument", "gradients.Input", ErrorOps.Layer, false, ErrorPasses.Backward),
        new("unknown-algorithm", "ConvRef: algorithm must be Serial or Vectorized", "algorithm", ErrorOps.All, false),
        new("max-tensor-bytes", "ConvRef: Conv2dLimits.MaxTensorBytes must be > 0", "limits", ErrorOps.All, false),
        new("tensor-too-large", "ConvRef: no result or workspace may exceed Conv2dLimits.MaxTensorBytes", "limits", ErrorOps.All, false),
        new("max-threads", "ConvRef: Conv2dLimits.MaxThreads must be >= 1", "limits", ErrorOps.All, false),
        new("non-finite-input", "ConvRef: with Conv2dLimits.RejectNonFinite, a NaN or Inf input is refused", "input", ErrorOps.All, false),
        new("non-finite-weights", "ConvRef: with Conv2dLimits.RejectNonFinite, NaN or Inf weights are refused", "weights", ErrorOps.All, false),
        new("non-finite-bias", "ConvRef: with Conv2dLimits.RejectNonFinite, a NaN or Inf bias is refused", "bias", ErrorOps.All, false, ErrorPasses.Forward),
        new("non-finite-delta", "ConvRef: with Conv2dLimits.RejectNonFinite, a NaN or Inf upstream gradient is refused", "delta", ErrorOps.All, false, ErrorPasses.Backward),
        new("non-finite-upstream", "ConvRef: with Conv2dLimits.RejectNonFinite, a NaN or Inf gg_a, gg_w or gg_b is refused", "upstream", ErrorOps.All, false, ErrorPasses.DoubleBackward),
        new("non-finite-z", "ConvRef: with Conv2dLimits.RejectNonFinite, a NaN or Inf PreviousZ (z^(l-1)) is refused", "options", ErrorOps.All, false, ErrorPasses.Backward),
        new("transposed-overflow", "the transposed convolution's output must fit in a tensor", "input", ErrorOps.Transposed, TorchExpresses: false),
        new("activation-needs-z", "ConvRef: a PreviousActivation needs PreviousZ (z^(l-1)) for g'(z^(l-1)) in Eq 6", "options", ErrorOps.All, false, ErrorPasses.Backward),
        new("z-shape", "ConvRef: PreviousZ must have the input's shape", "options", ErrorOps.All, false, ErrorPasses.Backward),
        new("leaky-slope", "ConvRef: LeakyReLU's NegativeSlope must be finite", "options", ErrorOps.All, false, ErrorPasses.Backward),
        new("clip-value", "ConvRef: ClipValue must be > 0 and finite", "options", ErrorOps.All, false, ErrorPasses.Backward),
        new("unknown-activation", "ConvRef: PreviousActivation must be a known activation", "options", ErrorOps.All, false, ErrorPasses.Backward),
        new("upstream-shape", "ConvRef: the double backward's gg_a, gg_w and gg_b must have the shapes of the input, the weights and the bias", "upstream", ErrorOps.All, false, ErrorPasses.DoubleBackward),
        new("zero-size", "ConvRef: every dimension of the input must be at least 1 (an empty output is refused, where PyTorch returns one)", "input", ErrorOps.All, false),
    ];

    /// <summary>
    /// Every (rule, operation) pair that exists, in rounds: each rule's first operation, then each rule's second, ...,
    /// so a short sweep meets every rule and a sweep of this many cases meets every pair once.
    /// </summary>
    public static IReadOnlyList<(ErrorRule Rule, ErrorOp Op)> Pairs { get; } =
        [.. All.SelectMany((rule, r) => ErrorOp.All.Where(rule.AppliesTo).Select((op, round) => (rule, op, r, round)))
            .OrderBy(p => p.round).ThenBy(p => p.r).Select(p => (p.rule, p.op))];

    /// <summary>The rule called <paramref name="token"/>, or null.</summary>
    public static ErrorRule? Parse(string token) => All.FirstOrDefault(r => r.Token == token);
}

namespace ConvRef;

/// <summary>
/// The shape arithmetic of one convolution of any rank (1, 2 or 3 spatial axes), plain or transposed,
/// checked once for every entry point: input N x C_in x spatial (or C_in x spatial unbatched), weights
/// C_out x C_in/G x k... (transposed: C_in x C_out/G x k..., PyTorch's layouts), output N x C_out x spatial.
/// Per axis, with span = (k - 1)·dilation + 1:
/// convolution: out = floor((before + in + after - span) / stride) + 1;
/// transposed: out = (in - 1)·stride - before - after + span + output_padding.
/// </summary>
/// <remarks>
/// The two are adjoint: a transposed convolution maps the output of the convolution with the same
/// hyperparameters back onto its input, its forward pass being that convolution's dJ/da (Eq 5/8).
/// <see cref="Conv2dGeometry"/> is the 2-D view of this class for <see cref="Conv2dSpec"/>.
/// </remarks>
public sealed class ConvGeometry
{
    private readonly int[] _input;
    private readonly int[] _kernel;
    private readonly int[] _output;
    private readonly int[] _stride;
    private readonly int[] _dilation;
    private readonly int[] _before;
    private readonly int[] _after;
    private readonly int[] _outputPadding;

    private ConvGeometry(Axes axes, int[] input, int[] weights, bool batched, bool transposed, int[] output)
    {
        int channelAxis = batched ? 1 : 0;
        Transposed = transposed;
        Batched = batched;
        BatchSize = batched ? input[0] : 1;
        InChannels = input[channelAxis];
        OutChannels = transposed ? weights[1] * axes.Groups : weights[0];
        Groups = axes.Groups;
        PaddingMode = axes.Mode;
        _input = input[(channelAxis + 1)..];
        _kernel = weights[2..];
        _output = output;
        _stride = axes.Stride;
        _dilation = axes.Dilation;
        _before = axes.Before;
        _after = axes.After;
        _outputPadding = axes.OutputPadding;
    }

    /// <summary>Spatial axes: 1, 2 or 3.</summary>
    public int Rank => _input.Length;

    /// <summary>Whether this is a transposed convolution.</summary>
    public bool Transposed { get; }

    /// <summary>Whether the input has a batch axis; unbatched inputs (C_in x spatial) compute as a batch of one.</summary>
    public bool Batched { get; }

    /// <summary>N (1 when unbatched).</summary>
    public int BatchSize { get; }

    /// <summary>C_in, the input's channels.</summary>
    public int InChannels { get; }

    /// <summary>C_out, the output's channels.</summary>
    public int OutChannels { get; }

    /// <summary>G.</summary>
    public int Groups { get; }

    /// <summary>C_in / G.</summary>
    public int InChannelsPerGroup => InChannels / Groups;

    /// <summary>C_out / G.</summary>
    public int OutChannelsPerGroup => OutChannels / Groups;

    /// <summary>What the padding holds.</summary>
    public PaddingMode PaddingMode { get; }

    /// <summary>The input's spatial size, per axis.</summary>
    public IReadOnlyList<int> InputSize => _input;

    /// <summary>The kernel's size, per axis.</summary>
    public IReadOnlyList<int> KernelSize => _kernel;

    /// <summary>The output's spatial size, per axis.</summary>
    public IReadOnlyList<int> OutputSize => _output;

    /// <summary>Stride per axis.</summary>
    public IReadOnlyList<int> Stride => _stride;

    /// <summary>Dilation per axis.</summary>
    public IReadOnlyList<int> Dilation => _dilation;

    /// <summary>Padding before the input per axis, with <c>same</c> resolved (for a transposed convolution: cropped from the output's start).</summary>
    public IReadOnlyList<int> PadBefore => _before;

    /// <summary>Padding after the input per axis (transposed: cropped from the output's end).</summary>
    public IReadOnlyList<int> PadAfter => _after;

    /// <summary>Output padding per axis (0 unless transposed).</summary>
    public IReadOnlyList<int> OutputPadding => _outputPadding;

    /// <summary>The input's shape, batched or not as given.</summary>
    public int[] InputShape => WithChannels(InChannels, _input);

    /// <summary>C_out x C_in/G x k..., or C_in x C_out/G x k... when transposed.</summary>
    public int[] WeightShape => Transposed ? [InChannels, OutChannelsPerGroup, .. _kernel] : [OutChannels, InChannelsPerGroup, .. _kernel];

    /// <summary>The output's shape, batched or not as the input.</summary>
    public int[] OutputShape => WithChannels(OutChannels, _output);

    /// <summary>(k - 1)·dilation + 1: the extent of the dilated kernel on an axis.</summary>
    public int Span(int axis) => (_kernel[axis] - 1) * _dilation[axis] + 1;

    /// <summary>
    /// Multiply-adds of the forward pass: N·C_out·Π out·(C_in/G)·Π k for a convolution; for a transposed
    /// one every input element meets every tap of its group's filters, N·C_in·Π in·(C_out/G)·Π k.
    /// </summary>
    public long MultiplyAdds => Transposed
        ? (long)BatchSize * InChannels * Product(_input) * OutChannelsPerGroup * Product(_kernel)
        : (long)BatchSize * OutChannels * Product(_output) * InChannelsPerGroup * Product(_kernel);

    /// <summary>
    /// Checks a <see cref="ConvSpec"/> and two shapes against each other, as PyTorch rules them, and
    /// computes the output size.
    /// </summary>
    /// <exception cref="Conv2dArgumentException">A rule is broken; the message names the parameter and the rule.</exception>
    internal static ConvGeometry Create(IReadOnlyList<int> inputShape, IReadOnlyList<int> weightShape, ConvSpec spec, int rank, bool transposed)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(weightShape);
        ArgumentNullException.ThrowIfNull(spec);
        var names = SpecNames.ConvSpec(rank);
        var padding = spec.Padding ?? throw new ArgumentNullException(nameof(spec), "spec.Padding is null");
        bool isExplicit = padding.Kind == ConvPaddingKind.Explicit;
        var axes = new Axes(
            PerAxis(spec.Stride, "stride", "Stride", names),
            PerAxis(spec.Dilation, "dilation", "Dilation", names),
            isExplicit ? PerAxis(padding.Before, "padding", "Padding", names) : new int[rank],
            isExplicit ? PerAxis(padding.After, "padding", "Padding", names) : new int[rank],
            PerAxis(spec.OutputPadding, "output_padding", "OutputPadding", names),
            spec.Groups, spec.PaddingMode);
        CheckAxes(axes, names);
        CheckFamilyRules(axes, padding.Kind, transposed, names);
        return Build(inputShape, weightShape, axes, padding.Kind == ConvPaddingKind.Same, transposed, allowUnbatched: true, names);
    }

    /// <summary>The same checks for <see cref="Conv2dSpec"/> (zero padding, batched input), with its parameter names.</summary>
    internal static ConvGeometry Create(IReadOnlyList<int> inputShape, IReadOnlyList<int> weightShape, Conv2dSpec spec)
    {
        var names = SpecNames.Conv2dSpec;
        var axes = new Axes([spec.StrideH, spec.StrideW], [spec.DilationH, spec.DilationW], [spec.PadTop, spec.PadLeft],
            [spec.PadBottom, spec.PadRight], [0, 0], spec.Groups, PaddingMode.Zeros);
        CheckAxes(axes, names);
        return Build(inputShape, weightShape, axes, same: false, transposed: false, allowUnbatched: false, names);
    }

    internal static Conv2dArgumentException Fail(string message, string paramName) => new(message, paramName);

    private static ConvGeometry Build(IReadOnlyList<int> inputShape, IReadOnlyList<int> weightShape, Axes axes, bool same,
        bool transposed, bool allowUnbatched, SpecNames names)
    {
        int rank = names.Rank;
        int[] input = CheckInputRank(inputShape, rank, allowUnbatched);
        int[] weights = CheckShape(weightShape, "weights", rank + 2, WeightLayout(rank, transposed));
        bool batched = input.Length == rank + 2;
        CheckChannels(input[batched ? 1 : 0], weights, axes.Groups, transposed, names);
        int[] size = input[^rank..], kernel = weights[2..];
        if (same)
            for (int i = 0; i < rank; i++)
            {
                int total = axes.Dilation[i] * (kernel[i] - 1);
                axes.Before[i] = total / 2;
                axes.After[i] = total - total / 2;
            }
        int[] output = transposed ? TransposedOutput(size, kernel, axes, names) : Output(size, kernel, axes, names);
        return new ConvGeometry(axes, input, weights, batched, transposed, output);
    }

    private static int[] Output(int[] size, int[] kernel, Axes axes, SpecNames names)
    {
        int rank = size.Length;
        var padded = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            padded[i] = (long)size[i] + axes.Before[i] + axes.After[i];
            if (padded[i] > Array.MaxLength)
                throw Fail($"padding {axes.Before[i]}+{axes.After[i]} around {size[i]} {names.Noun(i)} gives {padded[i]} {names.Noun(i)}, more than any tensor can hold",
                    names.Whole("Padding"));
        }
        CheckBorderMode(size, axes, names);
        var output = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            long span = (long)(kernel[i] - 1) * axes.Dilation[i] + 1;
            if (span > padded[i])
                throw Fail($"kernel {string.Join("x", kernel)} with dilation {axes.Dilation[i]} spans {span} {names.Noun(i)} but padded input has {padded[i]}", "weights");
            output[i] = (int)((padded[i] - span) / axes.Stride[i] + 1);
        }
        return output;
    }

    private static int[] TransposedOutput(int[] size, int[] kernel, Axes axes, SpecNames names)
    {
        var output = new int[size.Length];
        for (int i = 0; i < size.Length; i++)
        {
            long span = (long)(kernel[i] - 1) * axes.Dilation[i] + 1;
            long length = (long)(size[i] - 1) * axes.Stride[i] + span + axes.OutputPadding[i] - axes.Before[i] - axes.After[i];
            string noun = names.Noun(i);
            if (length < 1)
                throw Fail($"the transposed convolution of {size[i]} {noun} (stride {axes.Stride[i]}, kernel span {span}, output_padding {axes.OutputPadding[i]}) " +
                    $"minus padding {axes.Before[i]}+{axes.After[i]} leaves {length} {noun}, and the output needs at least one", names.Whole("Padding"));
            if (length > Array.MaxLength)
                throw Fail($"the transposed convolution of {size[i]} {noun} gives {length} {noun}, more than any tensor can hold", "input");
            output[i] = (int)length;
        }
        return output;
    }

    /// <summary>PyTorch's limits for copying the border from the input: reflection stays inside it, circular padding wraps at most once.</summary>
    private static void CheckBorderMode(int[] size, Axes axes, SpecNames names)
    {
        for (int i = 0; i < size.Length; i++)
            for (int side = 0; side < 2; side++)
            {
                int pad = side == 0 ? axes.Before[i] : axes.After[i];
                if (axes.Mode == PaddingMode.Reflect && pad >= size[i])
                    throw Fail($"padding_mode reflect needs padding smaller than the input, but {names.PadLabel(i, side)}={pad} is not smaller than its {size[i]} {names.Noun(i)}",
                        names.Whole("Padding"));
                if (axes.Mode == PaddingMode.Circular && pad > size[i])
                    throw Fail($"padding_mode circular wraps around at most once, but {names.PadLabel(i, side)}={pad} exceeds the input's {size[i]} {names.Noun(i)}",
                        names.Whole("Padding"));
            }
    }

    private static void CheckChannels(int inChannels, int[] weights, int g, bool transposed, SpecNames names)
    {
        if (inChannels % g != 0)
            throw Fail($"groups={g} does not divide in_channels={inChannels}", names.Whole("Groups"));
        if (transposed)
        {
            if (weights[0] != inChannels)
                throw Fail($"weights have shape {Tensor<float>.Format(weights)} but in_channels = {inChannels} must be its dimension 0 (a transposed convolution's weights are C_in x C_out/groups x k...)", "weights");
            return;
        }
        if (weights[0] % g != 0)
            throw Fail($"groups={g} does not divide out_channels={weights[0]}", names.Whole("Groups"));
        if (weights[1] != inChannels / g)
            throw Fail($"weights have shape {Tensor<float>.Format(weights)} but in_channels/groups = {inChannels}/{g} = {inChannels / g} must be its dimension 1", "weights");
    }

    private static void CheckAxes(Axes axes, SpecNames names)
    {
        for (int i = 0; i < names.Rank; i++)
            AtLeast(axes.Stride[i], 1, names.Label("stride", i), names.Parameter("Stride", i));
        for (int i = 0; i < names.Rank; i++)
            AtLeast(axes.Dilation[i], 1, names.Label("dilation", i), names.Parameter("Dilation", i));
        for (int i = 0; i < names.Rank; i++)
        {
            AtLeast(axes.Before[i], 0, names.PadLabel(i, 0), names.PadParameter(i, 0));
            AtLeast(axes.After[i], 0, names.PadLabel(i, 1), names.PadParameter(i, 1));
        }
        AtLeast(axes.Groups, 1, "groups", "spec.Groups");
    }

    /// <summary>The rules of the family beyond the 2-D layer's: padding modes, same, output padding.</summary>
    private static void CheckFamilyRules(Axes axes, ConvPaddingKind padding, bool transposed, SpecNames names)
    {
        for (int i = 0; i < names.Rank; i++)
            AtLeast(axes.OutputPadding[i], 0, names.Label("output_padding", i), "spec.OutputPadding");
        if (!Enum.IsDefined(axes.Mode))
            throw Fail($"padding_mode must be zeros, reflect, replicate or circular (got {(int)axes.Mode})", "spec.PaddingMode");
        if (!transposed)
        {
            for (int i = 0; i < names.Rank; i++)
                if (axes.OutputPadding[i] != 0)
                    throw Fail($"output_padding applies to transposed convolutions only, but {names.Label("output_padding", i)}={axes.OutputPadding[i]}", "spec.OutputPadding");
            for (int i = 0; i < names.Rank; i++)
                if (padding == ConvPaddingKind.Same && axes.Stride[i] != 1)
                    throw Fail($"padding='same' is not supported for strided convolutions, but {names.Label("stride", i)}={axes.Stride[i]}", "spec.Padding");
            return;
        }
        if (axes.Mode != PaddingMode.Zeros)
            throw Fail($"padding_mode {axes.Mode.ToString().ToLowerInvariant()} is not supported by transposed convolutions, only zeros", "spec.PaddingMode");
        if (padding != ConvPaddingKind.Explicit)
            throw Fail($"padding='{padding.ToString().ToLowerInvariant()}' is not supported by transposed convolutions; give the padding as integers", "spec.Padding");
        for (int i = 0; i < names.Rank; i++)
            if (axes.OutputPadding[i] >= axes.Stride[i] && axes.OutputPadding[i] >= axes.Dilation[i])
                throw Fail($"{names.Label("output_padding", i)}={axes.OutputPadding[i]} must be smaller than {names.Label("stride", i)}={axes.Stride[i]} or {names.Label("dilation", i)}={axes.Dilation[i]}",
                    "spec.OutputPadding");
    }

    /// <summary>PyTorch's int-or-tuple: one value for every axis, or one per axis.</summary>
    private static int[] PerAxis(IReadOnlyList<int> values, string name, string property, SpecNames names)
    {
        if (values is null)
            throw new ArgumentNullException("spec." + property, $"spec.{property} is null");
        if (values.Count == 1)
            return [.. Enumerable.Repeat(values[0], names.Rank)];
        if (values.Count != names.Rank)
            throw Fail($"{name} must have 1 value or {names.Rank} (one per spatial axis) but has {values.Count}", "spec." + property);
        return [.. values];
    }

    /// <summary>The message names the hyperparameter as PyTorch does (stride_w, in_channels); the parameter name is the spec property.</summary>
    private static void AtLeast(int value, int minimum, string name, string property)
    {
        if (value < minimum)
            throw Fail($"{name} must be >= {minimum} (got {value})", property);
    }

    private static int[] CheckInputRank(IReadOnlyList<int> shape, int rank, bool allowUnbatched)
    {
        string batched = "N x C_in x " + SpatialLayout(rank, "");
        if (!allowUnbatched || shape.Count != rank + 1)
            return CheckShape(shape, "input", rank + 2, batched, allowUnbatched ? $"C_in x {SpatialLayout(rank, "")}, unbatched" : null);
        return CheckShape(shape, "input", rank + 1, "C_in x " + SpatialLayout(rank, ""), null);
    }

    private static int[] CheckShape(IReadOnlyList<int> shape, string what, int rank, string layout, string? unbatchedLayout = null)
    {
        int[] dims = [.. shape];
        if (dims.Length != rank)
            throw Fail(unbatchedLayout is null
                ? $"{what} must have rank {rank} ({layout}) but has shape {Tensor<float>.Format(dims)}"
                : $"{what} must have rank {rank - 1} ({unbatchedLayout}) or {rank} ({layout}) but has shape {Tensor<float>.Format(dims)}", what);
        if (dims.Any(d => d <= 0))
            throw Fail($"{what} has shape {Tensor<float>.Format(dims)} with a zero-size dimension, which would make the output empty", what);
        return dims;
    }

    private static string WeightLayout(int rank, bool transposed) =>
        (transposed ? "C_in x C_out/groups x " : "C_out x C_in/groups x ") + SpatialLayout(rank, "k");

    private static string SpatialLayout(int rank, string prefix) =>
        string.Join(" x ", (rank == 1 ? ["L"] : new[] { "D", "H", "W" }[(3 - rank)..]).Select(a => prefix + a));

    private int[] WithChannels(int channels, int[] spatial) => Batched ? [BatchSize, channels, .. spatial] : [channels, .. spatial];

    private static long Product(int[] values) => values.Aggregate(1L, (p, v) => p * v);

    /// <summary>The per-axis hyperparameters, expanded; 'same' fills the padding in once the kernel is known.</summary>
    private sealed record Axes(int[] Stride, int[] Dilation, int[] Before, int[] After, int[] OutputPadding, int Groups, PaddingMode Mode);
}

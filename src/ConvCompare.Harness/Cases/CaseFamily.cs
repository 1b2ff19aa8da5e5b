using ConvRef;

namespace ConvCompare.Cases;

/// <summary>How a family case's padding is spelled: integers per side, PyTorch's <c>'same'</c> or <c>'valid'</c>.</summary>
internal enum CasePadding
{
    /// <summary>Integers, before and after each axis.</summary>
    Explicit,
    /// <summary><c>'same'</c>: stride 1, dilation·(k - 1) in all per axis, the extra one after.</summary>
    Same,
    /// <summary><c>'valid'</c>: no padding.</summary>
    Valid,
}

/// <summary>
/// What makes a case one of the convolution family rather than the original grammar's zero-padded,
/// batched conv2d: the operation, the padding mode, how the padding is spelled, unbatched input, output
/// padding (transposed only) and, for 3-D, the depth axis. The height and width axes stay in
/// <see cref="CaseShape"/> and <see cref="CaseGeometry"/>; a 1-D operation uses the width axis alone
/// (H = kH = 1, stride and dilation 1, no padding on the height axis).
/// </summary>
internal sealed record CaseFamily
{
    /// <summary>The operation.</summary>
    public CaseOp Op { get; init; } = CaseOp.Conv2d;

    /// <summary>What the padding holds; transposed operations take zeros only.</summary>
    public CasePaddingMode Mode { get; init; } = CasePaddingMode.Zeros;

    /// <summary>How the padding is spelled; same and valid fix the pads of <see cref="CaseGeometry"/> (and the depth axis).</summary>
    public CasePadding Padding { get; init; } = CasePadding.Explicit;

    /// <summary>Whether the input has a batch axis; unbatched inputs are C_in x spatial (and N is 1).</summary>
    public bool Batched { get; init; } = true;

    /// <summary>Transposed only: output padding on the height axis.</summary>
    public int OutputPaddingH { get; init; }

    /// <summary>Transposed only: output padding on the width axis.</summary>
    public int OutputPaddingW { get; init; }

    /// <summary>Transposed 3-D only: output padding on the depth axis.</summary>
    public int OutputPaddingD { get; init; }

    /// <summary>3-D only: input depth D.</summary>
    public int D { get; init; } = 1;

    /// <summary>3-D only: kernel depth kD.</summary>
    public int KD { get; init; } = 1;

    /// <summary>3-D only: depth stride.</summary>
    public int StrideD { get; init; } = 1;

    /// <summary>3-D only: padding before the depth axis.</summary>
    public int PadFront { get; init; }

    /// <summary>3-D only: padding after the depth axis.</summary>
    public int PadBack { get; init; }

    /// <summary>3-D only: depth dilation.</summary>
    public int DilationD { get; init; } = 1;

    private const long MaxOutput = 1 << 24;

    /// <summary>Whether this is the original grammar's case (conv2d, zeros, explicit padding, batched): such a case has no family part.</summary>
    public bool IsPlain => this == new CaseFamily();

    /// <summary>The spatial axes of the layer of shape <paramref name="s"/> and geometry <paramref name="g"/>, in the input's order: width (1-D); height, width (2-D); depth, height, width (3-D).</summary>
    public IReadOnlyList<FamilyAxis> Axes(CaseShape s, CaseGeometry g)
    {
        bool t = Op.Transposed();
        var depth = new FamilyAxis(D, PadFront, PadBack, KD, StrideD, DilationD, OutputPaddingD, t);
        var rows = new FamilyAxis(s.H, g.PadTop, g.PadBottom, s.KH, g.StrideH, g.DilationH, OutputPaddingH, t);
        var columns = new FamilyAxis(s.W, g.PadLeft, g.PadRight, s.KW, g.StrideW, g.DilationW, OutputPaddingW, t);
        return Op.Rank() switch { 1 => [columns], 2 => [rows, columns], _ => [depth, rows, columns] };
    }

    /// <summary>
    /// The pads <c>'same'</c> gives an axis (dilation·(kernel - 1) in all, half before, the rest after,
    /// so the extra one of an odd total goes after), or zero for <c>'valid'</c>; null when explicit.
    /// </summary>
    public (int Before, int After)? Implied(int kernel, int dilation) => Padding switch
    {
        CasePadding.Same => (dilation * (kernel - 1) / 2, dilation * (kernel - 1) - dilation * (kernel - 1) / 2),
        CasePadding.Valid => (0, 0),
        _ => null,
    };

    /// <summary>
    /// The geometry's and the depth axis's pads as <see cref="Padding"/> implies them (unchanged when explicit), so a
    /// case drawn or parsed with same or valid holds the pads it means.
    /// </summary>
    public (CaseGeometry Geometry, CaseFamily Family) WithImpliedPads(CaseShape s, CaseGeometry g)
    {
        if (Padding == CasePadding.Explicit)
            return (g, this);
        var (top, bottom) = Implied(s.KH, g.DilationH)!.Value;
        var (left, right) = Implied(s.KW, g.DilationW)!.Value;
        var (front, back) = Op.Rank() == 3 ? Implied(KD, DilationD)!.Value : (0, 0);
        return (g with { PadTop = top, PadBottom = bottom, PadLeft = left, PadRight = right }, this with { PadFront = front, PadBack = back });
    }

    /// <summary>The case's hyperparameters as ConvRef takes them, for the engines under test (never for the judge).</summary>
    public ConvSpec Spec(CaseGeometry g)
    {
        ArgumentNullException.ThrowIfNull(g);
        int rank = Op.Rank();
        int[] Pick(int d, int h, int w) => rank switch { 1 => [w], 2 => [h, w], _ => [d, h, w] };
        return new ConvSpec
        {
            Stride = Pick(StrideD, g.StrideH, g.StrideW),
            Dilation = Pick(DilationD, g.DilationH, g.DilationW),
            Padding = Padding switch
            {
                CasePadding.Same => ConvPadding.Same,
                CasePadding.Valid => ConvPadding.Valid,
                _ => ConvPadding.PerSide(Pick(PadFront, g.PadTop, g.PadLeft), Pick(PadBack, g.PadBottom, g.PadRight)),
            },
            Groups = g.Groups,
            PaddingMode = Mode switch
            {
                CasePaddingMode.Reflect => PaddingMode.Reflect,
                CasePaddingMode.Replicate => PaddingMode.Replicate,
                CasePaddingMode.Circular => PaddingMode.Circular,
                _ => PaddingMode.Zeros,
            },
            OutputPadding = Pick(OutputPaddingD, OutputPaddingH, OutputPaddingW),
        };
    }

    /// <summary>Null when the family part is consistent with the case, otherwise one sentence naming the broken rule.</summary>
    public string? Problem(CaseShape s, CaseGeometry g)
    {
        int rank = Op.Rank();
        bool transposed = Op.Transposed();
        string name = Op.Name();
        if (!Enum.IsDefined(Mode))
            return "the padding mode must be zeros, reflect, replicate or circular";
        if (rank == 1 && (s.H != 1 || s.KH != 1 || g.StrideH != 1 || g.DilationH != 1 || g.PadTop != 0 || g.PadBottom != 0 || OutputPaddingH != 0))
            return $"{name} has one spatial axis: its height and kernel height are 1, with stride and dilation 1 and no padding there";
        if (rank < 3 && (D != 1 || KD != 1 || StrideD != 1 || DilationD != 1 || PadFront != 0 || PadBack != 0 || OutputPaddingD != 0))
            return $"{name} has no depth axis";
        if (D < 1 || KD < 1)
            return "the depth and the kernel depth must be at least 1";
        if (StrideD < 1 || DilationD < 1)
            return "the depth stride and dilation must be at least 1";
        if (PadFront < 0 || PadBack < 0 || OutputPaddingD < 0 || OutputPaddingH < 0 || OutputPaddingW < 0)
            return "padding and output padding must not be negative";
        if (!Batched && s.N != 1)
            return $"an unbatched input has no batch axis, so N must be 1 (got {s.N})";
        var axes = Axes(s, g);
        if (axes.Any(a => a.Output > MaxOutput))
            return $"an output axis of more than {MaxOutput} positions is beyond what a case may hold";
        if (transposed)
        {
            if (Mode != CasePaddingMode.Zeros)
                return $"{name} pads with zeros only, as PyTorch's does (got {Mode.Token()})";
            if (Padding != CasePadding.Explicit)
                return $"{name} takes its padding as integers, not '{Padding.ToString().ToLowerInvariant()}'";
            foreach (var a in axes)
                if (a.OutputPadding >= a.Stride && a.OutputPadding >= a.Dilation)
                    return $"output padding {a.OutputPadding} must be smaller than the stride {a.Stride} or the dilation {a.Dilation} of its axis";
            foreach (var a in axes)
                if (a.Output < 1)
                    return $"the transposed convolution of {a.Input} positions minus padding {a.PadBefore}+{a.PadAfter} leaves no output";
            return null;
        }
        if (OutputPaddingD != 0 || OutputPaddingH != 0 || OutputPaddingW != 0)
            return "output padding applies to transposed convolutions only";
        if (Padding == CasePadding.Same && axes.Any(a => a.Stride != 1))
            return "padding 'same' needs stride 1 on every axis, as PyTorch rules";
        if (Padding != CasePadding.Explicit && axes.Any(a => Implied((int)a.Kernel, (int)a.Dilation) != ((int)a.PadBefore, (int)a.PadAfter)))
            return $"padding '{Padding.ToString().ToLowerInvariant()}' fixes the pads, and the case's differ from them";
        foreach (var a in axes)
        {
            if (a.Output < 1)
                return $"the dilated kernel extent {a.Extent} exceeds the padded input {a.Input + a.PadBefore + a.PadAfter}";
            if (Mode == CasePaddingMode.Reflect && Math.Max(a.PadBefore, a.PadAfter) >= a.Input)
                return $"reflect padding must be smaller than the input on each side (padding {Math.Max(a.PadBefore, a.PadAfter)}, input {a.Input})";
            if (Mode == CasePaddingMode.Circular && Math.Max(a.PadBefore, a.PadAfter) > a.Input)
                return $"circular padding wraps at most once, so it must not exceed the input (padding {Math.Max(a.PadBefore, a.PadAfter)}, input {a.Input})";
        }
        return null;
    }
}

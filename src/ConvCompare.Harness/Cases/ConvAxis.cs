namespace ConvCompare.Cases;

/// <summary>
/// One spatial axis of a convolution (rows or columns): the dilated kernel slides over the padded input
/// in steps of the stride (Eq 1). The harness's one place for output size and validity: cases, their
/// edge classes and golden files all ask it, and it uses no ConvRef code, because the judge reads it.
/// </summary>
/// <param name="Input">Input size along the axis (H or W).</param>
/// <param name="PadBefore">Zero rows above (or columns left of) the input.</param>
/// <param name="PadAfter">Zero rows below (or columns right of) the input.</param>
/// <param name="Kernel">Kernel size along the axis (kH or kW).</param>
/// <param name="Stride">Stride along the axis, at least 1 for <see cref="Output"/>.</param>
/// <param name="Dilation">Dilation along the axis.</param>
/// <remarks>In 64-bit integers, so sizes read from untrusted files cannot overflow.</remarks>
internal readonly record struct ConvAxis(long Input, long PadBefore, long PadAfter, long Kernel, long Stride, long Dilation)
{
    /// <summary>The padded input size.</summary>
    public long Padded => Input + PadBefore + PadAfter;

    /// <summary>The dilated kernel's extent: Dilation * (Kernel - 1) + 1.</summary>
    public long Extent => Dilation * (Kernel - 1) + 1;

    /// <summary>How far the kernel can slide: padded size minus extent; negative when the kernel does not fit.</summary>
    public long Span => Padded - Extent;

    /// <summary>Whether the dilated kernel fits in the padded input, so the axis has at least one output.</summary>
    public bool Fits => Span >= 0;

    /// <summary>Output size: floor(<see cref="Span"/> / Stride) + 1; meaningful only when <see cref="Fits"/>.</summary>
    public long Output => Span / Stride + 1;

    /// <summary>Whether the stride leaves the last rows (or columns) uncovered: it does not divide <see cref="Span"/>.</summary>
    public bool LeavesUncovered => Span % Stride != 0;
}

namespace ConvCompare.Cases;

/// <summary>
/// One spatial axis of a convolution of the family, as the harness's judge reads it (no ConvRef code):
/// a convolution slides the dilated kernel over the padded input in steps of the stride; a transposed
/// convolution scatters each input position i to the outputs i·stride - before + t·dilation (t a kernel
/// tap), the output ending output_padding after the last tap's reach, less the padding after.
/// </summary>
/// <param name="Input">Input size along the axis.</param>
/// <param name="PadBefore">Padding before the input (or, transposed, cropped from the output's start).</param>
/// <param name="PadAfter">Padding after the input (or, transposed, cropped from the output's end).</param>
/// <param name="Kernel">Kernel size.</param>
/// <param name="Stride">Stride.</param>
/// <param name="Dilation">Dilation.</param>
/// <param name="OutputPadding">Transposed only: elements added to the output's end.</param>
/// <param name="Transposed">Whether the axis belongs to a transposed convolution.</param>
/// <remarks>In 64-bit integers, so hand-written ids cannot overflow.</remarks>
internal readonly record struct FamilyAxis(long Input, long PadBefore, long PadAfter, long Kernel, long Stride, long Dilation, long OutputPadding, bool Transposed)
{
    /// <summary>The dilated kernel's extent: Dilation * (Kernel - 1) + 1.</summary>
    public long Extent => Dilation * (Kernel - 1) + 1;

    /// <summary>
    /// Output size: floor((Input + before + after - Extent) / Stride) + 1 for a convolution;
    /// (Input - 1)·Stride + Extent + OutputPadding - before - after for a transposed one. Below 1 means no output.
    /// </summary>
    public long Output => Transposed
        ? (Input - 1) * Stride + Extent + OutputPadding - PadBefore - PadAfter
        : Input + PadBefore + PadAfter < Extent ? 0 : (Input + PadBefore + PadAfter - Extent) / Stride + 1;

    /// <summary>
    /// Where the tap <paramref name="t"/> of output position <paramref name="o"/> reads (convolution) or input
    /// position <paramref name="o"/> writes (transposed), in the unpadded input's (or output's) coordinates.
    /// </summary>
    public long Position(long o, long t) => o * Stride + t * Dilation - PadBefore;
}

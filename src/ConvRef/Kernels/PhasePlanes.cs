using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvRef.Kernels;

/// <summary>
/// A window of the padded input of one sample and group, split into its stride phases, so that the
/// implicit im2col row of every kernel tap is one contiguous run of memory. Phase (ry, rx) of channel c
/// holds Pad(a_c)[(oh0 + i)·sH + ry, j·sW + rx] at row i, column j (<see cref="RowLength"/> =
/// ceil(PaddedW / sW) columns), for the rows that output rows oh0 .. oh0 + rows - 1 read. Output
/// position q = (oh - oh0)·RowLength + ow then reads tap (c, kh, kw) at <c>TapOffsets[(c·kH + kh)·kW + kw] + q</c>;
/// the columns ow ≥ OutW of each row (the "junk" columns) read real but unused values and are never
/// stored. Built per work unit, the window stays in the core's cache while the unit uses it.
/// </summary>
internal sealed class PhasePlanes<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private PhasePlanes(Conv2dGeometry geometry, int outputRows, int slack)
    {
        var spec = geometry.Spec;
        RowLength = RowLengthFor(geometry);
        PhaseRows = PhaseRowsFor(geometry, outputRows);
        PhaseStride = PhaseRows * RowLength;
        ChannelStride = spec.StrideH * spec.StrideW * PhaseStride;
        Length = geometry.InChannelsPerGroup * ChannelStride + slack + RowLength;
        Buffer = ArrayPool<T>.Shared.Rent(Length);
        TapOffsets = new int[geometry.InChannelsPerGroup * geometry.KernelH * geometry.KernelW];
        int t = 0;
        for (int c = 0; c < geometry.InChannelsPerGroup; c++)
            for (int kh = 0; kh < geometry.KernelH; kh++)
                for (int kw = 0; kw < geometry.KernelW; kw++)
                {
                    int y = kh * spec.DilationH, x = kw * spec.DilationW;
                    TapOffsets[t++] = c * ChannelStride + ((y % spec.StrideH) * spec.StrideW + x % spec.StrideW) * PhaseStride
                        + y / spec.StrideH * RowLength + x / spec.StrideW;
                }
    }

    /// <summary>The planes; valid up to <see cref="Length"/>, zero where padding is.</summary>
    public T[] Buffer { get; }

    /// <summary>Elements in use, including slack for reads past the last plane.</summary>
    public int Length { get; }

    /// <summary>Columns per phase row: ceil(PaddedW / sW).</summary>
    public int RowLength { get; }

    /// <summary>Phase rows held per phase: the output rows, the kernel's reach below them, and one for the junk columns' wrap.</summary>
    public int PhaseRows { get; }

    /// <summary>Distance between channels.</summary>
    public int ChannelStride { get; }

    /// <summary>Distance between phases of a channel.</summary>
    public int PhaseStride { get; }

    /// <summary>Offset of tap (c, kh, kw)'s im2col row for output row oh0.</summary>
    public int[] TapOffsets { get; }

    /// <summary>ceil(PaddedW / sW): the columns of one phase row.</summary>
    public static int RowLengthFor(Conv2dGeometry geometry) => (geometry.PaddedW + geometry.Spec.StrideW - 1) / geometry.Spec.StrideW;

    /// <summary>Elements a window for <paramref name="outputRows"/> output rows takes (for the allocation limit).</summary>
    public static long ElementsFor(Conv2dGeometry geometry, int outputRows)
    {
        var spec = geometry.Spec;
        return (long)geometry.InChannelsPerGroup * spec.StrideH * spec.StrideW * PhaseRowsFor(geometry, outputRows) * RowLengthFor(geometry)
            + 2 * RowLengthFor(geometry) + 256;
    }

    private static int PhaseRowsFor(Conv2dGeometry geometry, int outputRows) =>
        outputRows + (geometry.KernelH - 1) * geometry.Spec.DilationH / geometry.Spec.StrideH + 1;

    /// <summary>
    /// The window of sample n, group g for output rows oh0 .. oh0 + outputRows - 1; <paramref name="slack"/>
    /// elements past the end stay readable.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static PhasePlanes<T> Build(Conv2dGeometry geometry, Tensor<T> input, int n, int g, int oh0, int outputRows, int slack)
    {
        var planes = new PhasePlanes<T>(geometry, outputRows, slack);
        var spec = geometry.Spec;
        int h = geometry.InH, w = geometry.InW, rowLength = planes.RowLength;
        var buffer = planes.Buffer.AsSpan(0, planes.Length);
        buffer[(geometry.InChannelsPerGroup * planes.ChannelStride)..].Clear();
        for (int c = 0; c < geometry.InChannelsPerGroup; c++)
        {
            int channel = (n * geometry.InChannels + g * geometry.InChannelsPerGroup + c) * h;
            for (int ry = 0; ry < spec.StrideH; ry++)
                for (int i = 0; i < planes.PhaseRows; i++)
                {
                    int inputRow = (oh0 + i) * spec.StrideH + ry - spec.PadTop;
                    for (int rx = 0; rx < spec.StrideW; rx++)
                    {
                        var destination = buffer.Slice(c * planes.ChannelStride + (ry * spec.StrideW + rx) * planes.PhaseStride + i * rowLength, rowLength);
                        destination.Clear();
                        if (inputRow < 0 || inputRow >= h)
                            continue;
                        // Input column j lands in phase rx = (j + PadLeft) mod sW at column (j + PadLeft) / sW.
                        int first = ((rx - spec.PadLeft) % spec.StrideW + spec.StrideW) % spec.StrideW;
                        int count = first < w ? (w - 1 - first) / spec.StrideW + 1 : 0;
                        Gather(input.Data.AsSpan((channel + inputRow) * w, w), first, spec.StrideW,
                            destination.Slice((first + spec.PadLeft) / spec.StrideW, count));
                    }
                }
        }
        return planes;
    }

    /// <summary>destination[t] = source[first + t·step]; the caller sized destination so every read is in range.</summary>
    private static void Gather(ReadOnlySpan<T> source, int first, int step, Span<T> destination)
    {
        if (destination.IsEmpty)
            return;
        if (step == 1)
        {
            source.Slice(first, destination.Length).CopyTo(destination);
            return;
        }
        _ = source[first + (destination.Length - 1) * step];
        ref T from = ref MemoryMarshal.GetReference(source);
        for (int t = 0; t < destination.Length; t++)
            destination[t] = Unsafe.Add(ref from, first + t * step);
    }

    public void Dispose() => ArrayPool<T>.Shared.Return(Buffer);
}

using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvRef.Kernels;

/// <summary>
/// The padded input of a whole batch split into its stride phases, so that the implicit im2col row of
/// every kernel tap is one contiguous run of memory. Phase (ry, rx) of channel c holds
/// Pad(a_c)[i·sH + ry, j·sW + rx] at row i, column j (<see cref="RowLength"/> = ceil(PaddedW / sW) columns).
/// Output position q = oh·RowLength + ow then reads tap (c, kh, kw) at
/// <c>GroupBase(n, g) + TapOffsets[(c·kH + kh)·kW + kw] + q</c>; the columns ow ≥ OutW of each row
/// (the "junk" columns) read real but unused values and are never stored.
/// </summary>
internal sealed class PhasePlanes<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _sampleStride;
    private readonly int _groupStride;

    private PhasePlanes(Conv2dGeometry geometry, int slack)
    {
        var spec = geometry.Spec;
        RowLength = (geometry.PaddedW + spec.StrideW - 1) / spec.StrideW;
        int phaseRows = (geometry.PaddedH + spec.StrideH - 1) / spec.StrideH + 1;
        int phaseStride = phaseRows * RowLength;
        int channelStride = spec.StrideH * spec.StrideW * phaseStride;
        _sampleStride = geometry.InChannels * channelStride;
        _groupStride = geometry.InChannelsPerGroup * channelStride;
        Length = geometry.BatchSize * _sampleStride + slack + RowLength;
        Buffer = ArrayPool<T>.Shared.Rent(Length);

        TapOffsets = new int[geometry.InChannelsPerGroup * geometry.KernelH * geometry.KernelW];
        int t = 0;
        for (int c = 0; c < geometry.InChannelsPerGroup; c++)
            for (int kh = 0; kh < geometry.KernelH; kh++)
                for (int kw = 0; kw < geometry.KernelW; kw++)
                {
                    int y = kh * spec.DilationH, x = kw * spec.DilationW;
                    TapOffsets[t++] = c * channelStride + ((y % spec.StrideH) * spec.StrideW + x % spec.StrideW) * phaseStride
                        + y / spec.StrideH * RowLength + x / spec.StrideW;
                }
        ChannelStride = channelStride;
        PhaseStride = phaseStride;
    }

    /// <summary>The planes; valid up to <see cref="Length"/>, zero where padding is.</summary>
    public T[] Buffer { get; }

    /// <summary>Elements in use, including slack for reads past the last plane.</summary>
    public int Length { get; }

    /// <summary>Columns per phase row: ceil(PaddedW / sW).</summary>
    public int RowLength { get; }

    /// <summary>Distance between channels.</summary>
    public int ChannelStride { get; }

    /// <summary>Distance between phases of a channel.</summary>
    public int PhaseStride { get; }

    /// <summary>Offset of tap (c, kh, kw) of a group's im2col row, relative to <see cref="GroupBase"/>.</summary>
    public int[] TapOffsets { get; }

    /// <summary>Where sample n's group g starts.</summary>
    public int GroupBase(int n, int g) => n * _sampleStride + g * _groupStride;

    /// <summary>ceil(PaddedW / sW): the columns of one phase row.</summary>
    public static long RowLengthFor(Conv2dGeometry geometry) => (geometry.PaddedW + geometry.Spec.StrideW - 1) / geometry.Spec.StrideW;

    /// <summary>Elements the planes of <paramref name="geometry"/> take (for the allocation limit).</summary>
    public static long ElementsFor(Conv2dGeometry geometry)
    {
        var spec = geometry.Spec;
        long rowLength = (geometry.PaddedW + spec.StrideW - 1) / spec.StrideW;
        long phaseRows = (geometry.PaddedH + spec.StrideH - 1) / spec.StrideH + 1;
        return (long)geometry.BatchSize * geometry.InChannels * spec.StrideH * spec.StrideW * phaseRows * rowLength + 2 * rowLength + 64;
    }

    /// <summary>Splits the padded input into phases; <paramref name="slack"/> elements past the end stay readable.</summary>
    public static PhasePlanes<T> Build(Conv2dGeometry geometry, Tensor<T> input, int slack)
    {
        var planes = new PhasePlanes<T>(geometry, slack);
        var spec = geometry.Spec;
        int h = geometry.InH, w = geometry.InW;
        Parallelism.For(geometry.BatchSize * geometry.InChannels, (long)h * w * spec.StrideH, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (nc) =>
        {
            var destination = planes.Buffer.AsSpan(nc * planes.ChannelStride, planes.ChannelStride);
            destination.Clear();
            for (int i = 0; i < h; i++)
            {
                var row = input.Data.AsSpan((nc * h + i) * w, w);
                int y = i + spec.PadTop;
                int rowStart = (y % spec.StrideH) * spec.StrideW * planes.PhaseStride + y / spec.StrideH * planes.RowLength;
                if (spec.StrideW == 1)
                {
                    row.CopyTo(destination[(rowStart + spec.PadLeft)..]);
                    continue;
                }
                for (int rx = 0; rx < spec.StrideW; rx++)
                {
                    // Input column j lands in phase rx = (j + PadLeft) mod sW at column (j + PadLeft) / sW.
                    int first = ((rx - spec.PadLeft) % spec.StrideW + spec.StrideW) % spec.StrideW;
                    int count = first < w ? (w - 1 - first) / spec.StrideW + 1 : 0;
                    var phaseRow = destination.Slice(rowStart + rx * planes.PhaseStride + (first + spec.PadLeft) / spec.StrideW, count);
                    Gather(row, first, spec.StrideW, phaseRow);
                }
            }
        });
        planes.Buffer.AsSpan(geometry.BatchSize * planes._sampleStride, planes.Length - geometry.BatchSize * planes._sampleStride).Clear();
        return planes;
    }

    /// <summary>destination[t] = source[first + t·step]; the caller sized destination so every read is in range.</summary>
    private static void Gather(ReadOnlySpan<T> source, int first, int step, Span<T> destination)
    {
        if (destination.IsEmpty)
            return;
        _ = source[first + (destination.Length - 1) * step];
        ref T from = ref MemoryMarshal.GetReference(source);
        for (int t = 0; t < destination.Length; t++)
            destination[t] = Unsafe.Add(ref from, first + t * step);
    }

    public void Dispose() => ArrayPool<T>.Shared.Return(Buffer);
}

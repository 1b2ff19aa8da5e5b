using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private PhasePlanes(Conv2dGeometry geometry, int outputRows, int slack)
    {
        var spec = geometry.Spec;
        RowLength = RowLengthFor(geometry);
        PhaseRows = PhaseRowsFor(geometry, outputRows);
        PhaseStride = PhaseRows * RowLength;
        ChannelStride = spec.StrideH * spec.StrideW * PhaseStride;
        Length = geometry.InChannelsPerGroup * ChannelStride + slack + RowLength;
        Buffer = ArrayPool<T>.Shared.Rent(Length);
        // Tap (c, kh, kw) reads padded row y = kh·dH in phase y mod sH at row y / sH, and column
        // x = kw·dW in phase x mod sW at column x / sW; the row and column parts are computed once
        // each (integer division is slow, and small problems build many windows).
        Span<int> rowPart = stackalloc int[geometry.KernelH];
        Span<int> columnPart = stackalloc int[geometry.KernelW];
        for (int kh = 0; kh < geometry.KernelH; kh++)
        {
            int y = kh * spec.DilationH;
            rowPart[kh] = y % spec.StrideH * spec.StrideW * PhaseStride + y / spec.StrideH * RowLength;
        }
        for (int kw = 0; kw < geometry.KernelW; kw++)
        {
            int x = kw * spec.DilationW;
            columnPart[kw] = x % spec.StrideW * PhaseStride + x / spec.StrideW;
        }
        TapOffsets = new int[geometry.InChannelsPerGroup * geometry.KernelH * geometry.KernelW];
        int t = 0;
        for (int c = 0; c < geometry.InChannelsPerGroup; c++)
            for (int kh = 0; kh < geometry.KernelH; kh++)
                for (int kw = 0; kw < geometry.KernelW; kw++)
                    TapOffsets[t++] = c * ChannelStride + rowPart[kh] + columnPart[kw];
    }

    /// <summary>The planes; valid up to <see cref="Length"/>, zero where padding is.</summary>
    public T[] Buffer { get; }

    /// <summary>Elements in use, including slack for reads past the last plane.</summary>
    public int Length { get; }

    /// <summary>The planes and their slack: everything a kernel may read (the pooled buffer may be longer).</summary>
    public ReadOnlySpan<T> Elements => Buffer.AsSpan(0, Length);

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
    public static PhasePlanes<T> Build<TV, TS>(Conv2dGeometry geometry, Tensor<T> input, int n, int g, int oh0, int outputRows, int slack)
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        var planes = new PhasePlanes<T>(geometry, outputRows, slack);
        planes.Fill<TV, TS>(geometry, input, n, g, oh0);
        return planes;
    }

    /// <summary>An empty window for <paramref name="outputRows"/> output rows, to be filled by <see cref="Fill{TV, TS}"/> as often as needed.</summary>
    public static PhasePlanes<T> Allocate(Conv2dGeometry geometry, int outputRows, int slack) => new(geometry, outputRows, slack);

    /// <summary>
    /// Fills this window with sample n, group g from output row oh0 on (as many rows as it was made
    /// for), so one window serves many planes without being built again.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fill<TV, TS>(Conv2dGeometry geometry, Tensor<T> input, int n, int g, int oh0)
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        var spec = geometry.Spec;
        int h = geometry.InH, w = geometry.InW, rowLength = RowLength, phaseRows = PhaseRows;
        int sH = spec.StrideH, sW = spec.StrideW;
        var buffer = Buffer.AsSpan(0, Length);
        buffer[(geometry.InChannelsPerGroup * ChannelStride)..].Clear();
        for (int ry = 0; ry < sH; ry++)
        {
            // Phase rows i read input row (oh0 + i)·sH + ry - PadTop; those outside the image are padding.
            int rowOf0 = oh0 * sH + ry - spec.PadTop;
            int inside0 = Math.Clamp(rowOf0 >= 0 ? 0 : (-rowOf0 + sH - 1) / sH, 0, phaseRows);
            int inside1 = Math.Clamp(h - rowOf0 <= 0 ? 0 : (h - rowOf0 + sH - 1) / sH, inside0, phaseRows);
            for (int c = 0; c < geometry.InChannelsPerGroup; c++)
            {
                var channel = input.Data.AsSpan((n * geometry.InChannels + g * geometry.InChannelsPerGroup + c) * h * w, h * w);
                for (int rx = 0; rx < sW; rx++)
                {
                    var phase = buffer.Slice(c * ChannelStride + (ry * sW + rx) * PhaseStride, PhaseStride);
                    phase[..(inside0 * rowLength)].Clear();
                    phase[(inside1 * rowLength)..].Clear();
                }
                if (inside1 == inside0)
                    continue;
                var rows = channel[((rowOf0 + inside0 * sH) * w)..];
                var phases = buffer[(c * ChannelStride + ry * sW * PhaseStride + inside0 * rowLength)..];
                if (sW <= 2)
                {
                    SplitRows<TV, TS>(rows, sH * w, inside1 - inside0, w, spec.PadLeft, sW, rowLength, PhaseStride, phases);
                    continue;
                }
                for (int i = 0; i < inside1 - inside0; i++)
                    for (int rx = 0; rx < sW; rx++)
                    {
                        var destination = phases.Slice(rx * PhaseStride + i * rowLength, rowLength);
                        destination.Clear();
                        // Input column j lands in phase rx = (j + PadLeft) mod sW at column (j + PadLeft) / sW.
                        int first = ((rx - spec.PadLeft) % sW + sW) % sW;
                        int count = first < w ? (w - 1 - first) / sW + 1 : 0;
                        Gather(rows.Slice(i * sH * w, w), first, sW, destination.Slice((first + spec.PadLeft) / sW, count));
                    }
            }
        }
    }

    /// <summary>
    /// The inverse of splitting one padded row into its column phases: row[iw] = the value of padded
    /// column iw + padLeft, which sits in column phase (iw + padLeft) mod sW at column (iw + padLeft) / sW;
    /// column phase rx starts at <paramref name="phaseRow"/>[rx · <paramref name="phaseStride"/>].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void JoinRow(ReadOnlySpan<T> phaseRow, int phaseStride, int strideW, int padLeft, Span<T> row)
    {
        int w = row.Length, p = padLeft;
        if (strideW == 1)
        {
            phaseRow.Slice(p, w).CopyTo(row);
            return;
        }
        if (strideW == 2)
        {
            Interleave(phaseRow.Slice(p % 2 * phaseStride + p / 2, (w + 1) / 2), phaseRow.Slice((p + 1) % 2 * phaseStride + (p + 1) / 2, w / 2), row);
            return;
        }
        for (int rx = 0; rx < strideW; rx++)
        {
            int first = ((rx - p) % strideW + strideW) % strideW;
            var source = phaseRow[(rx * phaseStride + (first + p) / strideW)..];
            for (int iw = first, t = 0; iw < w; iw += strideW, t++)
                row[iw] = source[t];
        }
    }

    /// <summary>
    /// Padded input rows (stride 1 or 2) into their phase rows: input row r at rows[r · rowPitch], its
    /// phase rows at phases[rx · phaseStride + r · rowLength]; zeros where padding is, the values elsewhere.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SplitRows<TV, TS>(ReadOnlySpan<T> rows, int rowPitch, int count, int w, int padLeft, int stride, int rowLength,
        int phaseStride, Span<T> phases)
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        if (stride == 1)
        {
            VectorOps.CopyRows<T, TV, TS>(rows, rowPitch, phases[padLeft..], rowLength, count, w);
            for (int r = 0; r < count; r++)
            {
                var row = phases.Slice(r * rowLength, rowLength);
                ClearFew(row[..padLeft]);
                ClearFew(row[(padLeft + w)..]);
            }
            return;
        }
        // Stride 2: column j + padLeft goes to phase (j + padLeft) mod 2 at (j + padLeft) / 2, so the
        // even j fill one phase from column padLeft / 2 and the odd j the other from (padLeft + 1) / 2.
        int evenStart = padLeft / 2, oddStart = (padLeft + 1) / 2;
        int evens = (w + 1) / 2, odds = w / 2;
        for (int r = 0; r < count; r++)
        {
            var evenPhase = phases.Slice(padLeft % 2 * phaseStride + r * rowLength, rowLength);
            var oddPhase = phases.Slice((padLeft + 1) % 2 * phaseStride + r * rowLength, rowLength);
            ClearFew(evenPhase[..evenStart]);
            ClearFew(evenPhase[(evenStart + evens)..]);
            ClearFew(oddPhase[..oddStart]);
            ClearFew(oddPhase[(oddStart + odds)..]);
            Deinterleave(rows.Slice(r * rowPitch, w), evenPhase.Slice(evenStart, evens), oddPhase.Slice(oddStart, odds));
        }
    }

    /// <summary>Zeros a run of a few elements (a row's padding) inline: a call to memset costs more than the stores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ClearFew(Span<T> run)
    {
        for (int i = 0; i < run.Length; i++)
            run[i] = T.Zero;
    }

    /// <summary>evens[t] = source[2t], odds[t] = source[2t + 1]; with AVX-512 two-source permutes, a vector pair at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Deinterleave(ReadOnlySpan<T> source, Span<T> evens, Span<T> odds)
    {
        // Checked once here so the vector loops below can go without bounds checks.
        ArgumentOutOfRangeException.ThrowIfLessThan(evens.Length, (source.Length + 1) / 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(odds.Length, source.Length / 2);
        int t = 0;
        if (Avx512F.IsSupported && typeof(T) == typeof(float))
        {
            var from = MemoryMarshal.Cast<T, float>(source);
            var toEven = MemoryMarshal.Cast<T, float>(evens);
            var toOdd = MemoryMarshal.Cast<T, float>(odds);
            var evenIndex = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
            var oddIndex = evenIndex + Vector512<int>.One;
            for (; 2 * t + 32 <= source.Length; t += 16)
            {
                var a = Simd512<float>.Load(from, (nuint)(2 * t));
                var b = Simd512<float>.Load(from, (nuint)(2 * t + 16));
                Simd512<float>.Store(Avx512F.PermuteVar16x32x2(a, evenIndex, b), toEven, (nuint)t);
                Simd512<float>.Store(Avx512F.PermuteVar16x32x2(a, oddIndex, b), toOdd, (nuint)t);
            }
        }
        else if (Avx512F.IsSupported && typeof(T) == typeof(double))
        {
            var from = MemoryMarshal.Cast<T, double>(source);
            var toEven = MemoryMarshal.Cast<T, double>(evens);
            var toOdd = MemoryMarshal.Cast<T, double>(odds);
            var evenIndex = Vector512.Create(0L, 2, 4, 6, 8, 10, 12, 14);
            var oddIndex = evenIndex + Vector512<long>.One;
            for (; 2 * t + 16 <= source.Length; t += 8)
            {
                var a = Simd512<double>.Load(from, (nuint)(2 * t));
                var b = Simd512<double>.Load(from, (nuint)(2 * t + 8));
                Simd512<double>.Store(Avx512F.PermuteVar8x64x2(a, evenIndex, b), toEven, (nuint)t);
                Simd512<double>.Store(Avx512F.PermuteVar8x64x2(a, oddIndex, b), toOdd, (nuint)t);
            }
        }
        for (; t < odds.Length; t++)
        {
            evens[t] = source[2 * t];
            odds[t] = source[2 * t + 1];
        }
        if (t < evens.Length)
            evens[t] = source[2 * t];
    }

    /// <summary>destination[2t] = evens[t], destination[2t + 1] = odds[t] (the inverse of <see cref="Deinterleave"/>); with AVX-512 two-source permutes, a vector pair at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Interleave(ReadOnlySpan<T> evens, ReadOnlySpan<T> odds, Span<T> destination)
    {
        // Checked once here so the vector loops below can go without bounds checks.
        ArgumentOutOfRangeException.ThrowIfLessThan(evens.Length, odds.Length);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, 2 * odds.Length);
        int t = 0;
        if (Avx512F.IsSupported && typeof(T) == typeof(float))
        {
            var fromEven = MemoryMarshal.Cast<T, float>(evens);
            var fromOdd = MemoryMarshal.Cast<T, float>(odds);
            var to = MemoryMarshal.Cast<T, float>(destination);
            var lowIndex = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
            var highIndex = lowIndex + Vector512.Create(8);
            for (; t + 16 <= odds.Length; t += 16)
            {
                var e = Simd512<float>.Load(fromEven, (nuint)t);
                var o = Simd512<float>.Load(fromOdd, (nuint)t);
                Simd512<float>.Store(Avx512F.PermuteVar16x32x2(e, lowIndex, o), to, (nuint)(2 * t));
                Simd512<float>.Store(Avx512F.PermuteVar16x32x2(e, highIndex, o), to, (nuint)(2 * t + 16));
            }
        }
        else if (Avx512F.IsSupported && typeof(T) == typeof(double))
        {
            var fromEven = MemoryMarshal.Cast<T, double>(evens);
            var fromOdd = MemoryMarshal.Cast<T, double>(odds);
            var to = MemoryMarshal.Cast<T, double>(destination);
            var lowIndex = Vector512.Create(0L, 8, 1, 9, 2, 10, 3, 11);
            var highIndex = lowIndex + Vector512.Create(4L);
            for (; t + 8 <= odds.Length; t += 8)
            {
                var e = Simd512<double>.Load(fromEven, (nuint)t);
                var o = Simd512<double>.Load(fromOdd, (nuint)t);
                Simd512<double>.Store(Avx512F.PermuteVar8x64x2(e, lowIndex, o), to, (nuint)(2 * t));
                Simd512<double>.Store(Avx512F.PermuteVar8x64x2(e, highIndex, o), to, (nuint)(2 * t + 8));
            }
        }
        for (; t < odds.Length; t++)
        {
            destination[2 * t] = evens[t];
            destination[2 * t + 1] = odds[t];
        }
        if (t < evens.Length)
            destination[2 * t] = evens[t];
    }

    /// <summary>destination[t] = source[first + t·step]; the caller sized destination so every read is in range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Gather(ReadOnlySpan<T> source, int first, int step, Span<T> destination)
    {
        if (destination.IsEmpty)
            return;
        if (step == 1)
        {
            source.Slice(first, destination.Length).CopyTo(destination);
            return;
        }
        _ = source[first + (destination.Length - 1) * step];
        for (int t = 0; t < destination.Length; t++)
            destination[t] = Extent.At(source, first + t * step);
    }

    public void Dispose() => ArrayPool<T>.Shared.Return(Buffer);
}

using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvRef.Kernels;

/// <summary>
/// Eq 1, Z_g = W_g · X_g (+ b), for output planes too small to fill the GEMM's columns one sample at a
/// time (a network's last stages: 7x7 and 8x8): a work unit is a run of samples of one group, and the
/// columns of its B are every output position of all of them, with no junk columns. A window
/// (<see cref="PhasePlanes{T}"/>) has OutW of every RowLength columns in use, and a 7x7 plane's 63
/// columns round up to 64 per sample, so a quarter of the micro-kernel's work would be thrown away;
/// here 4 samples give 196 columns of 196 in use, rounded up to 224, and the packed weights are read
/// once per run of samples instead of once per sample. B is the explicit im2col of the unit, built one
/// depth block at a time from the samples' windows (contiguous copies of OutW elements: row k holds
/// tap k's im2col row of sample 0, then of sample 1, ...). Every output element is the same sum in the
/// same order as on the per-sample path (the same depth blocks, the same micro-kernel, the product
/// stored and added block by block), so the results are bitwise the same.
/// </summary>
internal static class SampleFoldedCorrelation
{
    private const int Mr = MicroKernels.PanelRows;

    /// <summary>
    /// Output positions per sample up to which samples are folded (an 8x8 plane). Larger planes waste
    /// less on junk columns (a 14x14 plane uses 196 of 224) than the copies into B would cost.
    /// </summary>
    private const int MaxPositions = 64;

    /// <summary>
    /// Filters per group from which samples are folded: B costs one copy per tap and position, which
    /// the product spends that many multiply-adds on.
    /// </summary>
    private const int MinFilters = 128;

    /// <summary>Whether <see cref="Correlate{T, TV, TS}"/> serves this (non-depthwise) geometry.</summary>
    public static bool Applies(Conv2dGeometry geometry) =>
        geometry.BatchSize > 1 && geometry.OutH * geometry.OutW <= MaxPositions && geometry.OutChannelsPerGroup >= MinFilters;

    /// <summary>
    /// Samples per work unit: about <see cref="VectorizedConv2d.UnitColumns"/> / 4 positions (so B's
    /// depth block stays in the second-level cache), and at least two units so two cores share the
    /// batch. A function of the shape alone.
    /// </summary>
    private static int SamplesPerUnit(Conv2dGeometry geometry) =>
        Math.Clamp(VectorizedConv2d.UnitColumns / 4 / (geometry.OutH * geometry.OutW), 1, (geometry.BatchSize + 1) / 2);

    /// <summary>Elements of one unit's B depth block (for the allocation limit).</summary>
    public static long Elements(Conv2dGeometry geometry) =>
        (long)VectorizedConv2d.DepthBlock * (SamplesPerUnit(geometry) * geometry.OutH * geometry.OutW + 4 * 64);

    /// <summary>Z = W · X + b over runs of samples, with the weights already packed into panels of 8 filters.</summary>
    public static void Correlate<T, TV, TS>(Conv2dGeometry geometry, Tensor<T> input, T[] packed, Tensor<T>? bias, Tensor<T> output, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        int nr = 2 * TS.Count;
        int filters = geometry.OutChannelsPerGroup, taps = geometry.InChannelsPerGroup * geometry.KernelH * geometry.KernelW;
        int panels = (filters + Mr - 1) / Mr;
        int positions = geometry.OutH * geometry.OutW, samples = SamplesPerUnit(geometry);
        int runs = (geometry.BatchSize + samples - 1) / samples;
        int depthBlock = VectorizedConv2d.DepthBlockFor(taps);
        long workPerUnit = (long)filters * taps * samples * positions;
        Parallelism.For(runs * geometry.Groups, workPerUnit, maxThreads, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (unit) =>
        {
            int g = unit % geometry.Groups, n0 = unit / geometry.Groups * samples;
            int count = Math.Min(samples, geometry.BatchSize - n0), used = count * positions;
            int columns = VectorizedConv2d.RoundUp(used, nr);
            var windows = new PhasePlanes<T>[count];
            for (int s = 0; s < count; s++)
                windows[s] = PhasePlanes<T>.Build<TV, TS>(geometry, input, n0 + s, g, 0, geometry.OutH, 0);
            T[] lowered = ArrayPool<T>.Shared.Rent(depthBlock * columns);
            T[] y = ArrayPool<T>.Shared.Rent(panels * Mr * columns);
            var b = lowered.AsSpan(0, depthBlock * columns);
            var product = y.AsSpan(0, panels * Mr * columns);
            var rowOffsets = new int[depthBlock];
            for (int t = 0; t < depthBlock; t++)
            {
                rowOffsets[t] = t * columns;
                // Junk columns past the last sample: zeros, never stored.
                b.Slice(t * columns + used, columns - used).Clear();
            }
            var a = packed.AsSpan(g * panels * Mr * taps, panels * Mr * taps);
            for (int k0 = 0; k0 < taps; k0 += depthBlock)
            {
                int depth = Math.Min(depthBlock, taps - k0);
                Lower<T, TV, TS>(geometry, windows, k0, depth, b, columns);
                for (int q = 0; q < columns; q += nr)
                    for (int i = 0; i < panels; i++)
                        MicroKernels.Gemm<T, TV, TS>(Extent.From(a, (i * taps + k0) * Mr), depth, Extent.From(b, q),
                            rowOffsets, Extent.From(product, i * Mr * columns + q), (nuint)columns, k0 > 0);
            }
            for (int m = 0; m < filters; m++)
            {
                int filter = g * filters + m;
                T offset = bias is null ? T.Zero : bias.Data[filter];
                VectorOps.CopyRows<T, TV, TS>(product[(m * columns)..], positions,
                    output.Data.AsSpan((n0 * geometry.OutChannels + filter) * positions), geometry.OutChannels * positions,
                    count, positions, offset);
            }
            ArrayPool<T>.Shared.Return(y);
            ArrayPool<T>.Shared.Return(lowered);
            foreach (var window in windows)
                window.Dispose();
        });
    }

    /// <summary>B rows 0 .. depth - 1 = taps k0 .. k0 + depth - 1 of every sample, each tap's OutH rows of OutW read from its window.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Lower<T, TV, TS>(Conv2dGeometry geometry, PhasePlanes<T>[] windows, int k0, int depth, Span<T> b, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        int outW = geometry.OutW, positions = geometry.OutH * outW;
        for (int s = 0; s < windows.Length; s++)
        {
            var window = windows[s];
            var x = window.Elements;
            int[] tapOffsets = window.TapOffsets;
            for (int t = 0; t < depth; t++)
                VectorOps.CopyRows<T, TV, TS>(x[tapOffsets[k0 + t]..], window.RowLength, b[(t * columns + s * positions)..], outW,
                    geometry.OutH, outW);
        }
    }
}

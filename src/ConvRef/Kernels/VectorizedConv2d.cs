using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvRef.Kernels;

/// <summary>
/// The vectorized implementation: the whole batch at once as matrix products over an implicit im2col
/// (<see cref="PhasePlanes{T}"/>: every kernel tap's im2col row is a contiguous run of the padded,
/// stride-phase-split input, so nothing is unrolled into a K x P matrix), with register-blocked SIMD
/// micro-kernels (<see cref="MicroKernels"/>) and work spread over the cores.
/// </summary>
/// <remarks>
/// Per group g, with K = (C_in/G)·kH·kW taps and P = OutH·OutW positions:
/// Eq 1: Z_g[m, p] = Σ_k W_g[m, k] · X_g[k, p] + b_m;
/// Eq 3/7: dW_g[m, k] = Σ_n Σ_p Δ_g[m, p] · X_g[k, p];
/// Eq 5/8: with stride 1, dJ/da = δ ⊗_f Rot180(w) literally, run through the same engine as Eq 1 on
/// the padded error; with larger strides dX_g[k, p] = Σ_m W_g[m, k] · Δ_g[m, p], scattered back onto
/// the input (col2im), which is the full convolution of the interleaved error with the rotated kernel
/// without the interleaved zeros;
/// Eq 9: db_m = Σ_n Σ_p Δ[m, p].
/// Results are deterministic: the batch is split into a fixed number of slots whatever the thread count.
/// Peak extra memory is small next to the tensors: per work unit (a 1024-column chunk of one sample
/// and group) a phase-plane window of the input or error and an output chunk, and per slot a vector
/// accumulator of dJ/dw (4·6 128-bit vectors per block of 4 filters x 6 taps, about 4x the weights in float32);
/// a slot of few positions keeps its chunks' windows and error rows instead, and one block's accumulator
/// (<see cref="BackwardJob{T}.RunSlot{TV, TS}"/>). Small planes with many filters take several samples
/// per forward unit (<see cref="SampleFoldedCorrelation"/>).
/// </remarks>
internal static class VectorizedConv2d
{
    /// <summary>KC: taps per pass of the GEMM micro-kernel, so a strip of B stays in L1.</summary>
    internal const int DepthBlock = 256;

    /// <summary>Output positions (junk columns included) one work unit computes.</summary>
    internal const int UnitColumns = 1024;

    /// <summary>Most weight-gradient partial sums kept apart (see <see cref="SlotsFor"/>).</summary>
    private const int Slots = 4;

    /// <summary>Output positions below which a slot's dot products cost less than clearing and reducing its accumulators.</summary>
    private const int PositionsPerSlot = 512;

    private const int Mr = MicroKernels.PanelRows;

    /// <summary>
    /// Eq 1 into <paramref name="output"/>, with the widest SIMD the CPU accelerates up to <paramref name="vectorBits"/>,
    /// on at most <paramref name="maxThreads"/> threads (the result does not depend on it).
    /// </summary>
    public static void Forward<T>(Conv2dGeometry geometry, Tensor<T> input, Tensor<T> weights, Tensor<T>? bias, Tensor<T> output,
        int vectorBits = 512, int maxThreads = int.MaxValue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (vectorBits >= 512 && Vector512.IsHardwareAccelerated)
            Forward<T, Vector512<T>, Simd512<T>>(geometry, input, weights, bias, output, maxThreads);
        else if (vectorBits >= 256 && Vector256.IsHardwareAccelerated)
            Forward<T, Vector256<T>, Simd256<T>>(geometry, input, weights, bias, output, maxThreads);
        else
            Forward<T, Vector128<T>, Simd128<T>>(geometry, input, weights, bias, output, maxThreads);
    }

    /// <summary>
    /// Eq 3/7, 5/8, 6, 9 into <paramref name="gradients"/>, with the widest SIMD the CPU accelerates up to
    /// <paramref name="vectorBits"/>, on at most <paramref name="maxThreads"/> threads (the result does not depend on it).
    /// </summary>
    public static void Backward<T>(Conv2dGeometry geometry, Tensor<T> input, Tensor<T> weights, Tensor<T> delta,
        BackwardOptions<T> options, Conv2dGradients<T> gradients, int vectorBits = 512, int maxThreads = int.MaxValue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (vectorBits >= 512 && Vector512.IsHardwareAccelerated)
            Backward<T, Vector512<T>, Simd512<T>>(geometry, input, weights, delta, options, gradients, maxThreads);
        else if (vectorBits >= 256 && Vector256.IsHardwareAccelerated)
            Backward<T, Vector256<T>, Simd256<T>>(geometry, input, weights, delta, options, gradients, maxThreads);
        else
            Backward<T, Vector128<T>, Simd128<T>>(geometry, input, weights, delta, options, gradients, maxThreads);
    }

    /// <summary>
    /// dJ/da alone (Eq 5/8), as <see cref="Backward{T}"/> computes it, into <paramref name="inputGradient"/>:
    /// the forward pass of a transposed convolution.
    /// </summary>
    public static void InputGradient<T>(Conv2dGeometry geometry, Tensor<T> weights, Tensor<T> delta, Tensor<T> inputGradient,
        int vectorBits = 512, int maxThreads = int.MaxValue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (vectorBits >= 512 && Vector512.IsHardwareAccelerated)
            InputGradient<T, Vector512<T>, Simd512<T>>(geometry, weights, delta, inputGradient, maxThreads);
        else if (vectorBits >= 256 && Vector256.IsHardwareAccelerated)
            InputGradient<T, Vector256<T>, Simd256<T>>(geometry, weights, delta, inputGradient, maxThreads);
        else
            InputGradient<T, Vector128<T>, Simd128<T>>(geometry, weights, delta, inputGradient, maxThreads);
    }

    /// <summary>
    /// dJ/dw (Eq 3/7) and, when <paramref name="biasGradient"/> is given, dJ/db (Eq 9) without dJ/da, as
    /// <see cref="Backward{T}"/> computes them: the weight gradient of a transposed convolution.
    /// </summary>
    public static void WeightGradients<T>(Conv2dGeometry geometry, Tensor<T> input, Tensor<T> delta, Tensor<T> weightGradient,
        Tensor<T>? biasGradient, int vectorBits = 512, int maxThreads = int.MaxValue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Without weights there is no dJ/da, so the gradients' input tensor is never touched.
        var gradients = new Conv2dGradients<T>(Tensor<T>.Zeros(0), weightGradient, biasGradient);
        if (vectorBits >= 512 && Vector512.IsHardwareAccelerated)
            Backward<T, Vector512<T>, Simd512<T>>(geometry, input, null, delta, BackwardOptions<T>.None, gradients, maxThreads);
        else if (vectorBits >= 256 && Vector256.IsHardwareAccelerated)
            Backward<T, Vector256<T>, Simd256<T>>(geometry, input, null, delta, BackwardOptions<T>.None, gradients, maxThreads);
        else
            Backward<T, Vector128<T>, Simd128<T>>(geometry, input, null, delta, BackwardOptions<T>.None, gradients, maxThreads);
    }

    /// <summary>The largest buffers the vectorized passes allocate besides their results (for the allocation limit).</summary>
    public static IEnumerable<(string Name, long Elements)> Workspace(Conv2dGeometry geometry)
    {
        if (DepthwiseConv2d.Applies(geometry))
        {
            foreach (var part in DepthwiseConv2d.Workspace(geometry))
                yield return part;
            if (FullConvolutionGeometry(geometry) is { } depthwiseFull)
                foreach (var part in DepthwiseConv2d.Workspace(depthwiseFull))
                    yield return part;
            yield break;
        }
        int rowLength = PhasePlanes<float>.RowLengthFor(geometry);
        yield return ("the vectorized algorithm's phase-plane window",
            PhasePlanes<float>.ElementsFor(geometry, Math.Min(geometry.OutH, RowsPerChunk(rowLength))));
        if (FullConvolutionGeometry(geometry) is { } full)
            yield return ("the vectorized algorithm's padded-error window",
                PhasePlanes<float>.ElementsFor(full, Math.Min(full.OutH, RowsPerChunk(PhasePlanes<float>.RowLengthFor(full)))));
        if (SampleFoldedCorrelation.Applies(geometry))
            yield return ("the vectorized algorithm's im2col block of several samples", SampleFoldedCorrelation.Elements(geometry));
        if (FullConvolutionGeometry(geometry) is { } fullFolded && SampleFoldedCorrelation.Applies(fullFolded))
            yield return ("the vectorized algorithm's im2col block of several samples' error", SampleFoldedCorrelation.Elements(fullFolded));
        long columns = (long)RowsPerChunk(rowLength) * rowLength + 64;
        long taps = (long)geometry.InChannelsPerGroup * geometry.KernelH * geometry.KernelW;
        yield return ("the vectorized algorithm's column-gradient chunk", (taps + Mr) * columns);
        yield return ("the vectorized algorithm's col2im accumulation", (long)geometry.InChannelsPerGroup * geometry.Spec.StrideH
            * geometry.Spec.StrideW * ((geometry.PaddedH + geometry.Spec.StrideH - 1) / geometry.Spec.StrideH + 1) * rowLength);
        long blocks = geometry.Groups * ((geometry.OutChannelsPerGroup + MicroKernels.DotRows - 1) / MicroKernels.DotRows)
            * ((taps + MicroKernels.DotColumns - 1) / MicroKernels.DotColumns);
        yield return ("the vectorized algorithm's weight-gradient accumulators", blocks * MicroKernels.DotRows * MicroKernels.DotColumns * 16 / sizeof(float));
    }

    /// <summary>Eq 1: Z = W · X + b.</summary>
    private static void Forward<T, TV, TS>(Conv2dGeometry geometry, Tensor<T> input, Tensor<T> weights, Tensor<T>? bias, Tensor<T> output, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        int taps = geometry.InChannelsPerGroup * geometry.KernelH * geometry.KernelW;
        var packed = Pack(weights.Data, geometry.Groups, geometry.OutChannelsPerGroup, taps, new RowMajor(taps));
        try
        {
            Correlate<T, TV, TS>(geometry, input, packed, bias, output, maxThreads);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(packed);
        }
    }

    /// <summary>
    /// Z_g = W_g · X_g (+ b) per sample and group, in units of whole output rows, with the weights
    /// already packed into panels (see <see cref="Pack{T, TIndex}"/>).
    /// </summary>
    private static void Correlate<T, TV, TS>(Conv2dGeometry geometry, Tensor<T> input, T[] packed, Tensor<T>? bias, Tensor<T> output, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        if (DepthwiseConv2d.Applies(geometry))
        {
            DepthwiseConv2d.Correlate<T, TV, TS>(geometry, input, packed, bias, output, maxThreads);
            return;
        }
        if (SampleFoldedCorrelation.Applies(geometry))
        {
            SampleFoldedCorrelation.Correlate<T, TV, TS>(geometry, input, packed, bias, output, maxThreads);
            return;
        }
        int nr = 2 * TS.Count;
        int filters = geometry.OutChannelsPerGroup, taps = geometry.InChannelsPerGroup * geometry.KernelH * geometry.KernelW;
        int panels = (filters + Mr - 1) / Mr;
        int width = filters == 1 ? 2 * nr : nr;
        int rowLength = PhasePlanes<T>.RowLengthFor(geometry);
        int rowsPerUnit = RowsPerChunk(rowLength);
        int chunks = (geometry.OutH + rowsPerUnit - 1) / rowsPerUnit;
        int units = geometry.BatchSize * geometry.Groups * chunks;
        long workPerUnit = (long)filters * taps * rowsPerUnit * rowLength;
        Parallelism.For(units, workPerUnit, maxThreads, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (unit) =>
        {
            int chunk = unit % chunks, ng = unit / chunks, g = ng % geometry.Groups, n = ng / geometry.Groups;
            int oh0 = chunk * rowsPerUnit, rows = Math.Min(rowsPerUnit, geometry.OutH - oh0);
            int columns = RoundUp(rows * rowLength, width);
            // Disposed by hand, not with using: a try/finally here cost the loop below its registers.
            var planes = PhasePlanes<T>.Build<TV, TS>(geometry, input, n, g, oh0, rows, 2 * width);
            T[] y = ArrayPool<T>.Shared.Rent(panels * Mr * columns);
            var product = y.AsSpan(0, panels * Mr * columns);
            var b = planes.Elements;
            ReadOnlySpan<int> tapOffsets = planes.TapOffsets;
            var a = packed.AsSpan(g * panels * Mr * taps, panels * Mr * taps);
            int depthBlock = DepthBlockFor(taps);
            for (int k0 = 0; k0 < taps; k0 += depthBlock)
            {
                int depth = Math.Min(depthBlock, taps - k0);
                if (filters == 1)
                {
                    for (int q = 0; q < columns; q += width)
                        MicroKernels.GemmRow<T, TV, TS>(Extent.From(a, k0 * Mr), depth, Extent.From(b, q),
                            Extent.From(tapOffsets, k0), Extent.From(product, q), k0 > 0);
                    continue;
                }
                for (int q = 0; q < columns; q += width)
                    for (int i = 0; i < panels; i++)
                        MicroKernels.Gemm<T, TV, TS>(Extent.From(a, (i * taps + k0) * Mr), depth, Extent.From(b, q),
                            Extent.From(tapOffsets, k0), Extent.From(product, i * Mr * columns + q), (nuint)columns, k0 > 0);
            }
            for (int m = 0; m < filters; m++)
            {
                int filter = g * filters + m;
                T offset = bias is null ? T.Zero : bias.Data[filter];
                VectorOps.CopyRows<T, TV, TS>(product[(m * columns)..], rowLength,
                    output.Data.AsSpan(((n * geometry.OutChannels + filter) * geometry.OutH + oh0) * geometry.OutW), geometry.OutW,
                    rows, geometry.OutW, offset);
            }
            ArrayPool<T>.Shared.Return(y);
            planes.Dispose();
        });
    }

    /// <summary>Eq 3/7, Eq 9 and Eq 5/8 per sample and group (no Eq 5/8 without weights); then Eq 6 and clipping.</summary>
    private static void Backward<T, TV, TS>(Conv2dGeometry geometry, Tensor<T> input, Tensor<T>? weights, Tensor<T> delta,
        BackwardOptions<T> options, Conv2dGradients<T> gradients, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        int nr = 2 * TS.Count;
        var (inputGradient, weightGradient, biasGradient) = gradients;
        bool weightsFinite = weights is null || AllFinite<T>(weights.Data);
        var full = weights is null || !weightsFinite ? null : FullConvolutionGeometry(geometry);
        if (full is not null)
            FullConvolve<T, TV, TS>(geometry, full, weights!, delta, inputGradient, maxThreads);
        if (DepthwiseConv2d.Applies(geometry))
        {
            DepthwiseConv2d.Backward<T, TV, TS>(geometry, input, full is null ? weights : null, delta, gradients, AllFinite<T>(input.Data),
                weightsFinite, maxThreads);
            BackwardEpilogue.Finish(gradients, options);
            return;
        }
        int filters = geometry.OutChannelsPerGroup, taps = geometry.InChannelsPerGroup * geometry.KernelH * geometry.KernelW;
        var transposed = weights is not null && full is null ? TransposedPanels(geometry, weights) : null;
        var job = new BackwardJob<T>(geometry, input, transposed, delta, inputGradient, nr, AllFinite<T>(input.Data),
            transposed is null || weightsFinite);
        int units = job.Units, slots = SlotsFor(geometry, units);
        var weightPartials = new T[slots][];
        var biasPartials = new T[slots][];
        try
        {
            Parallelism.For(slots, geometry.MultiplyAdds * 2 / slots, maxThreads, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (slot) =>
            {
                // Pooled, not new: fresh large arrays cost page faults on every call.
                weightPartials[slot] = ArrayPool<T>.Shared.Rent(geometry.OutChannels * taps);
                Array.Clear(weightPartials[slot], 0, geometry.OutChannels * taps);
                biasPartials[slot] = new T[geometry.OutChannels];
                job.RunSlot<TV, TS>(slot * units / slots, (slot + 1) * units / slots, weightPartials[slot], biasPartials[slot]);
            });
        }
        finally
        {
            if (transposed is not null)
                ArrayPool<T>.Shared.Return(transposed);
        }
        Array.Clear(weightGradient.Data);
        if (biasGradient is not null)
            Array.Clear(biasGradient.Data);
        for (int slot = 0; slot < slots; slot++)
        {
            VectorOps.AddInto<T, TV, TS>(weightGradient.Data, weightPartials[slot].AsSpan(0, weightGradient.Length));
            ArrayPool<T>.Shared.Return(weightPartials[slot]);
            if (biasGradient is not null)
                VectorOps.AddInto<T, TV, TS>(biasGradient.Data, biasPartials[slot]);
        }
        BackwardEpilogue.Finish(gradients, options);
    }

    /// <summary>dJ/da alone: the full convolution, or the col2im half of the backward job without its dJ/dw.</summary>
    private static void InputGradient<T, TV, TS>(Conv2dGeometry geometry, Tensor<T> weights, Tensor<T> delta, Tensor<T> inputGradient, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        bool weightsFinite = AllFinite<T>(weights.Data);
        if (weightsFinite && FullConvolutionGeometry(geometry) is { } full)
        {
            FullConvolve<T, TV, TS>(geometry, full, weights, delta, inputGradient, maxThreads);
            return;
        }
        if (DepthwiseConv2d.Applies(geometry))
        {
            var gradients = new Conv2dGradients<T>(inputGradient, Tensor<T>.Zeros(0), null);
            DepthwiseConv2d.Backward<T, TV, TS>(geometry, null, weights, delta, gradients, true, weightsFinite, maxThreads);
            return;
        }
        var transposed = TransposedPanels(geometry, weights);
        try
        {
            var job = new BackwardJob<T>(geometry, null, transposed, delta, inputGradient, 2 * TS.Count, true, weightsFinite);
            Parallelism.For(job.Units, geometry.MultiplyAdds / job.Units, maxThreads,
                job.RunInputGradient<TV, TS>);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(transposed);
        }
    }

    /// <summary>Wᵀ per group in panels: the taps are the rows, the filters the depth (for dX = Wᵀ · Δ).</summary>
    private static T[] TransposedPanels<T>(Conv2dGeometry geometry, Tensor<T> weights) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int filters = geometry.OutChannelsPerGroup, taps = geometry.InChannelsPerGroup * geometry.KernelH * geometry.KernelW;
        return Pack(weights.Data, geometry.Groups, taps, filters, new ColumnMajor(taps));
    }

    /// <summary>
    /// Eq 5/8 with stride 1: dJ/da = δ ⊗_f Rot180(w), summed over the filters of each group, computed as
    /// the correlation of δ, padded by span - 1 - padding, with the rotated kernels (C_in filters of
    /// C_out/G channels each): the forward engine run backwards, no col2im. Null geometry when the stride
    /// is above 1, the padding exceeds span - 1 (the padding to add would be negative), or the group has
    /// so few channels (but more than one, which has its own kernel) that panels of 8 rows would be
    /// mostly empty (then the col2im product, whose rows are the taps, costs less). Only for finite weights:
    /// the correlation multiplies every tap by δ's zero padding, which is no term of Eq 5/8, and an infinite
    /// tap would turn it into NaN where the sum of the terms is finite; col2im multiplies only values of δ.
    /// </summary>
    private static Conv2dGeometry? FullConvolutionGeometry(Conv2dGeometry geometry)
    {
        var spec = geometry.Spec;
        int channels = geometry.InChannelsPerGroup, area = geometry.KernelH * geometry.KernelW;
        bool fillsPanels = channels == 1 || RoundUp(channels, Mr) * area <= RoundUp(channels * area, Mr) + channels * area;
        if (spec.StrideH != 1 || spec.StrideW != 1 || !fillsPanels)
            return null;
        var full = new Conv2dSpec
        {
            PadTop = geometry.SpanH - 1 - spec.PadTop, PadBottom = geometry.SpanH - 1 - spec.PadBottom,
            PadLeft = geometry.SpanW - 1 - spec.PadLeft, PadRight = geometry.SpanW - 1 - spec.PadRight,
            DilationH = spec.DilationH, DilationW = spec.DilationW, Groups = spec.Groups,
        };
        if (Math.Min(Math.Min(full.PadTop, full.PadBottom), Math.Min(full.PadLeft, full.PadRight)) < 0)
            return null;
        return Conv2dGeometry.Create(geometry.OutputShape,
            [geometry.InChannels, geometry.OutChannelsPerGroup, geometry.KernelH, geometry.KernelW], full);
    }

    /// <summary>Writes dJ/da = Σ_k δ^(k) ⊗_f Rot180(w^(k)) (Eq 5/8) through <paramref name="full"/> from <see cref="FullConvolutionGeometry"/>.</summary>
    private static void FullConvolve<T, TV, TS>(Conv2dGeometry geometry, Conv2dGeometry full, Tensor<T> weights, Tensor<T> delta, Tensor<T> inputGradient,
        int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        int area = geometry.KernelH * geometry.KernelW, channelBlock = geometry.InChannelsPerGroup * area;
        var rotated = Pack(weights.Data, geometry.Groups, geometry.InChannelsPerGroup, geometry.OutChannelsPerGroup * area,
            RotatedKernels.Create(geometry.OutChannelsPerGroup, area, channelBlock));
        try
        {
            Correlate<T, TV, TS>(full, delta, rotated, null, inputGradient, maxThreads);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rotated);
        }
    }

    /// <summary>
    /// Packs per group a rows x depth matrix, element (r, k) at source[g·rows·depth + index.Of(r, k)] (the
    /// group's block of the weights), into panels of 8 rows: packed[((g·panels + i)·depth + k)·8 + r],
    /// zero rows past the end. The index is a struct type argument, so it is compiled into the loop
    /// rather than called per element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T[] Pack<T, TIndex>(T[] source, int groups, int rows, int depth, TIndex index)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TIndex : struct, IPackIndex
    {
        int panels = (rows + Mr - 1) / Mr;
        var packed = ArrayPool<T>.Shared.Rent(groups * panels * Mr * depth);
        for (int g = 0; g < groups; g++)
        {
            var group = source.AsSpan(g * rows * depth, rows * depth);
            for (int i = 0; i < panels; i++)
            {
                var panel = packed.AsSpan((g * panels + i) * depth * Mr, depth * Mr);
                int filled = Math.Min(Mr, rows - i * Mr);
                for (int k = 0; k < depth; k++)
                {
                    var column = panel.Slice(k * Mr, Mr);
                    for (int r = 0; r < filled; r++)
                        column[r] = group[index.Of(i * Mr + r, k)];
                    column[filled..].Clear();
                }
            }
        }
        return packed;
    }

    /// <summary>Where element (row, k) of a group's rows x depth matrix sits in the group's block of the weights.</summary>
    private interface IPackIndex
    {
        int Of(int row, int k);
    }

    /// <summary>The weights as they lie: row = filter, k = tap (c, kh, kw).</summary>
    private readonly struct RowMajor(int depth) : IPackIndex
    {
        public int Of(int row, int k) => row * depth + k;
    }

    /// <summary>Wᵀ: row = tap, k = filter.</summary>
    private readonly struct ColumnMajor(int taps) : IPackIndex
    {
        public int Of(int row, int k) => k * taps + row;
    }

    /// <summary>
    /// The rotated kernels of the full convolution: row = input channel c, k = (filter, tap) with the tap
    /// turned by 180 degrees; the part that depends on k is looked up (a division per element costs more
    /// than the copy).
    /// </summary>
    private readonly struct RotatedKernels(int[] filterAndTap, int area) : IPackIndex
    {
        public static RotatedKernels Create(int filters, int area, int channelBlock)
        {
            var filterAndTap = new int[filters * area];
            for (int k = 0; k < filterAndTap.Length; k++)
                filterAndTap[k] = k / area * channelBlock + area - 1 - k % area;
            return new RotatedKernels(filterAndTap, area);
        }

        public int Of(int row, int k) => filterAndTap[k] + row * area;
    }

    /// <summary>Whether every value is finite (x·0 is NaN exactly for NaN and ±Inf).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool AllFinite<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var vectors = MemoryMarshal.Cast<T, Vector<T>>(values);
        var sum = Vector<T>.Zero;
        foreach (var v in vectors)
            sum += v * Vector<T>.Zero;
        T total = Vector.Sum(sum);
        for (int i = vectors.Length * Vector<T>.Count; i < values.Length; i++)
            total += values[i] * T.Zero;
        return T.IsFinite(total);
    }

    /// <summary>
    /// Weight-gradient partial sums kept apart: up to <see cref="Slots"/>, but no more than one per
    /// <see cref="PositionsPerSlot"/> output positions of the batch (and at least two where there are two
    /// units, so two cores can share the work): each slot clears and reduces accumulators of four times the
    /// weights, which on a pointwise layer of a network's last stage (960 x 160 weights, 392 positions)
    /// cost as much as its dot products. A function of the shape alone, so results do not depend on the
    /// thread count.
    /// </summary>
    internal static int SlotsFor(Conv2dGeometry geometry, int units) =>
        Math.Clamp(geometry.BatchSize * geometry.OutH * geometry.OutW / PositionsPerSlot, Math.Min(units, 2), Math.Min(units, Slots));

    /// <summary>Splits a depth into equal blocks of at most <see cref="DepthBlock"/> (288 → 2 x 144, not 256 + 32).</summary>
    internal static int DepthBlockFor(int depth)
    {
        int blocks = (depth + DepthBlock - 1) / DepthBlock;
        return (depth + blocks - 1) / blocks;
    }

    /// <summary>Output rows per work unit: about <see cref="UnitColumns"/> positions, at least one row.</summary>
    internal static int RowsPerChunk(int rowLength) => Math.Max(1, UnitColumns / rowLength);

    internal static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}

using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvRef.Kernels;

/// <summary>
/// The vectorized backward pass of one call, in work units of whole output rows of one (sample, group):
/// the error chunk is laid out on the phase planes' row length (zeros in the junk columns), so dW is a
/// block of dot products with the tap rows of the chunk's <see cref="PhasePlanes{T}"/> window
/// (Eq 3/7), and dJ/db the sum of the chunk's error (Eq 9). When the caller passes the transposed
/// weight panels (stride above 1, or too few channels per group for the full convolution), the unit
/// also computes dX = Wᵀ · Δ as a GEMM and scatters its columns back onto the input (col2im, Eq 5/8);
/// otherwise dJ/da is the full convolution done elsewhere.
/// </summary>
internal sealed class BackwardJob<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Mr = MicroKernels.PanelRows;
    private const int Rows = MicroKernels.DotRows;
    private const int Columns = MicroKernels.DotColumns;
    private const int UnitColumns = VectorizedConv2d.UnitColumns;

    private readonly Conv2dGeometry _geometry;
    private readonly Tensor<T>? _input;
    private readonly T[]? _transposedPanels;
    private readonly Tensor<T> _delta;
    private readonly Tensor<T> _inputGradient;
    private readonly int _nr;
    private readonly bool _finiteInput;
    private readonly bool _finiteWeights;

    /// <summary>Without <paramref name="input"/> the job computes dJ/da alone (with transposed panels) and no dJ/dw.</summary>
    public BackwardJob(Conv2dGeometry geometry, Tensor<T>? input, T[]? transposedPanels, Tensor<T> delta,
        Tensor<T> inputGradient, int nr, bool finiteInput, bool finiteWeights)
    {
        _geometry = geometry;
        _input = input;
        RowLength = PhasePlanes<T>.RowLengthFor(geometry);
        TapCount = geometry.InChannelsPerGroup * geometry.KernelH * geometry.KernelW;
        _transposedPanels = transposedPanels;
        _delta = delta;
        _inputGradient = inputGradient;
        _nr = nr;
        _finiteInput = finiteInput;
        _finiteWeights = finiteWeights;
        FilterBlocks = (geometry.OutChannelsPerGroup + Rows - 1) / Rows;
        TapBlocks = (TapCount + Columns - 1) / Columns;
    }

    private int FilterBlocks { get; }

    private int RowLength { get; }

    private int TapCount { get; }

    private int RowsPerChunk => VectorizedConv2d.RowsPerChunk(RowLength);

    /// <summary>Phase rows covering the whole padded input, ceil(PaddedH / sH) + 1, for the col2im accumulation.</summary>
    private int PaddedPhaseRows => (_geometry.PaddedH + _geometry.Spec.StrideH - 1) / _geometry.Spec.StrideH + 1;

    /// <summary>Elements of one (sample, group)'s col2im accumulation in phase layout (checked against the limit by VectorizedConv2d.Workspace).</summary>
    private int PhaseElements =>
        _geometry.InChannelsPerGroup * _geometry.Spec.StrideH * _geometry.Spec.StrideW * PaddedPhaseRows * RowLength;

    private int ChunksPerSample => (_geometry.OutH + RowsPerChunk - 1) / RowsPerChunk;

    /// <summary>
    /// Chunks one work unit takes: one when dJ/da is done elsewhere, so units of single chunks spread
    /// even one sample over the cores; all of a sample's chunks when col2im writes dJ/da, since
    /// neighbouring chunks add onto shared input rows.
    /// </summary>
    private int ChunksPerUnit => _transposedPanels is null ? 1 : ChunksPerSample;

    /// <summary>Work units: (sample, group, chunk range), in an order fixed by the shapes alone.</summary>
    public int Units => _geometry.BatchSize * _geometry.Groups * (ChunksPerSample / ChunksPerUnit);

    private int TapBlocks { get; }

    /// <summary>Elements of the 128-bit accumulators of dJ/dw one slot keeps (a block of 4 x 6 per filter block and tap block).</summary>
    private int AccumulatorLength => _geometry.Groups * FilterBlocks * TapBlocks * Rows * Columns * Vector128<T>.Count;

    /// <summary>Sums each accumulator vector's lanes into dJ/dw (C_out x taps), dropping the padding rows and columns of the blocks.</summary>
    private void Reduce(T[] accumulators, T[] weightGradient)
    {
        int block = Rows * Columns * Vector128<T>.Count;
        for (int g = 0; g < _geometry.Groups; g++)
            for (int mb = 0; mb < FilterBlocks; mb++)
                for (int kb = 0; kb < TapBlocks; kb++)
                    ReduceBlock(accumulators.AsSpan(((g * FilterBlocks + mb) * TapBlocks + kb) * block, block), g, mb, kb, weightGradient);
    }

    /// <summary>Sums the lanes of block (g, mb, kb)'s accumulator vectors into its filters' and taps' entries of dJ/dw.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReduceBlock(ReadOnlySpan<T> acc, int g, int mb, int kb, T[] weightGradient)
    {
        int v = Vector128<T>.Count, filters = Filters, taps = TapCount;
        int rows = Math.Min(Rows, filters - mb * Rows), columns = Math.Min(Columns, taps - kb * Columns);
        for (int i = 0; i < rows; i++)
        {
            var target = weightGradient.AsSpan((g * filters + mb * Rows + i) * taps + kb * Columns, columns);
            for (int j = 0; j < columns; j++)
                target[j] += Vector128.Sum(Simd128<T>.Load(acc, (nuint)((i * Columns + j) * v)));
        }
    }

    private int Filters => _geometry.OutChannelsPerGroup;

    /// <summary>
    /// Output positions a slot may hold for its dJ/dw to run block by block over all its chunks at once
    /// (<see cref="RunSlot{TV, TS}"/>): their windows and error rows are all kept meanwhile, so this bounds
    /// that memory. Below it the dot products per chunk are short (a 7x7 plane is 4 vectors), and
    /// passing every block's accumulators once per chunk would cost more than the products.
    /// </summary>
    private const int FoldedPositions = 2048;

    /// <summary>
    /// Adds units [first, end)'s dJ/dw into <paramref name="weightPartial"/> and their dJ/db into
    /// <paramref name="biasPartial"/> (and, with transposed panels, writes their dJ/da). When the slot's
    /// positions fit <see cref="FoldedPositions"/>, each 4 x 6 block of dJ/dw runs over all the slot's
    /// chunks in turn and is reduced at once, so one block's accumulators are all it keeps; otherwise
    /// every chunk runs every block into accumulators of the whole dJ/dw, reduced at the end. Either way
    /// each block adds the chunks' products in the units' order, so the sums are the same.
    /// </summary>
    public void RunSlot<TV, TS>(int first, int end, T[] weightPartial, T[] biasPartial)
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        int positions = (end - first) * ChunksPerUnit * Math.Min(RowsPerChunk, _geometry.OutH) * RowLength;
        if (positions <= FoldedPositions)
        {
            RunUnits<TV, TS>(first, end, null, weightPartial, biasPartial);
            return;
        }
        T[] accumulators = ArrayPool<T>.Shared.Rent(AccumulatorLength);
        Array.Clear(accumulators, 0, AccumulatorLength);
        for (int unit = first; unit < end; unit++)
            RunUnits<TV, TS>(unit, unit + 1, accumulators, null, biasPartial);
        Reduce(accumulators, weightPartial);
        ArrayPool<T>.Shared.Return(accumulators);
    }

    /// <summary>dJ/da alone (a job without input): writes one unit's share of it.</summary>
    public void RunInputGradient<TV, TS>(int unit)
        where TV : struct
        where TS : struct, ISimd<T, TV>
        => RunUnits<TV, TS>(unit, unit + 1, [], null, new T[_geometry.OutChannels]);

    /// <summary>One chunk's error rows and input window, kept for dJ/dw.</summary>
    private sealed record Chunk(int Group, PhasePlanes<T> Planes, T[] Error, int[] ErrorRows, int Rows, int Length, int Columns);

    /// <summary>
    /// Units [first, end): per chunk dJ/db, dJ/da with transposed panels, and dJ/dw, either at once into
    /// <paramref name="accumulators"/> or, when they are null, block by block over all the chunks into
    /// <paramref name="weightPartial"/> at the end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunUnits<TV, TS>(int first, int end, T[]? accumulators, T[]? weightPartial, T[] biasPartial)
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        var geometry = _geometry;
        int rowLength = RowLength;
        int rowsPerChunk = RowsPerChunk;
        int chunksPerUnit = ChunksPerUnit;
        int kPanels = (TapCount + Mr - 1) / Mr;
        var kept = accumulators is null ? new List<Chunk>() : null;
        for (int unit = first; unit < end; unit++)
        {
            int chunk0 = unit % ChunksPerSample / chunksPerUnit * chunksPerUnit, ng = unit / (ChunksPerSample / chunksPerUnit);
            int n = ng / geometry.Groups, g = ng % geometry.Groups;
            int maxColumns = VectorizedConv2d.RoundUp(rowsPerChunk * rowLength, _nr);
            T[]? columnGradient = _transposedPanels is null ? null : ArrayPool<T>.Shared.Rent(kPanels * Mr * maxColumns);
            T[]? phases = _transposedPanels is null ? null : ArrayPool<T>.Shared.Rent(PhaseElements);
            if (phases is not null)
                Array.Clear(phases, 0, PhaseElements);
            for (int chunk = chunk0; chunk < chunk0 + chunksPerUnit; chunk++)
            {
                int oh0 = chunk * rowsPerChunk, rows = Math.Min(rowsPerChunk, geometry.OutH - oh0);
                int length = rows * rowLength, columns = VectorizedConv2d.RoundUp(length, _nr);
                T[] error = ArrayPool<T>.Shared.Rent(Filters * columns);
                LayOutError<TV, TS>(n, g, oh0, rows, columns, error);
                var errorRows = new int[FilterBlocks * Rows];
                for (int m = 0; m < errorRows.Length; m++)
                    errorRows[m] = Math.Min(m, Filters - 1) * columns;
                if (_input is not null)
                {
                    var window = new Chunk(g, PhasePlanes<T>.Build<TV, TS>(geometry, _input, n, g, oh0, rows, 2 * _nr), error, errorRows,
                        rows, length, columns);
                    if (kept is not null)
                        kept.Add(window);
                    else
                    {
                        ComputeWeightGradients<TV, TS>(window, accumulators!);
                        window.Planes.Dispose();
                    }
                }
                for (int m = 0; m < Filters; m++)
                {
                    int filter = g * Filters + m;
                    biasPartial[filter] += VectorOps.Sum<T, TV, TS>(_delta.Data.AsSpan(
                        ((n * geometry.OutChannels + filter) * geometry.OutH + oh0) * geometry.OutW, rows * geometry.OutW));
                }
                if (_transposedPanels is not null && columnGradient is not null && phases is not null)
                {
                    int depthBlock = VectorizedConv2d.DepthBlockFor(Filters);
                    var panels = _transposedPanels.AsSpan(g * kPanels * Mr * Filters, kPanels * Mr * Filters);
                    var errorChunk = error.AsSpan(0, Filters * columns);
                    var product = columnGradient.AsSpan(0, kPanels * Mr * columns);
                    for (int d0 = 0; d0 < Filters; d0 += depthBlock)
                    {
                        int depth = Math.Min(depthBlock, Filters - d0);
                        for (int q = 0; q < columns; q += _nr)
                            for (int i = 0; i < kPanels; i++)
                                MicroKernels.Gemm<T, TV, TS>(Extent.From(panels, (i * Filters + d0) * Mr), depth, Extent.From(errorChunk, q),
                                    Extent.From(errorRows, d0), Extent.From(product, i * Mr * columns + q), (nuint)columns, d0 > 0);
                    }
                    ScatterToPhases<TV, TS>(oh0, rows, columns, columnGradient, phases);
                }
                if (kept is null || _input is null)
                    ArrayPool<T>.Shared.Return(error);
            }
            if (columnGradient is not null)
                ArrayPool<T>.Shared.Return(columnGradient);
            if (phases is not null)
            {
                WriteFromPhases(n, g, phases);
                ArrayPool<T>.Shared.Return(phases);
            }
        }
        if (kept is null)
            return;
        ComputeWeightGradientsBlockwise<TV, TS>(kept, weightPartial!);
        foreach (var chunk in kept)
        {
            chunk.Planes.Dispose();
            ArrayPool<T>.Shared.Return(chunk.Error);
        }
    }

    /// <summary>Δ rows oh0..oh0+rows of the group's filters on the planes' row length, zero in the junk columns and past the end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LayOutError<TV, TS>(int n, int g, int oh0, int rows, int columns, T[] error)
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        var geometry = _geometry;
        error.AsSpan(0, Filters * columns).Clear();
        for (int m = 0; m < Filters; m++)
            VectorOps.CopyRows<T, TV, TS>(_delta.Data.AsSpan((((n * geometry.OutChannels) + g * Filters + m) * geometry.OutH + oh0) * geometry.OutW),
                geometry.OutW, error.AsSpan(m * columns), RowLength, rows, geometry.OutW);
    }

    /// <summary>Eq 3/7 on one chunk, every block of dJ/dw into its accumulators (see <see cref="AddBlock{TV, TS}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ComputeWeightGradients<TV, TS>(Chunk chunk, T[] accumulators)
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        int block = Rows * Columns * Vector128<T>.Count;
        ReadOnlySpan<int> taps = PadToBlock(chunk.Planes.TapOffsets, Columns);
        for (int mb = 0; mb < FilterBlocks; mb++)
            for (int kb = 0; kb < TapBlocks; kb++)
                AddBlock<TV, TS>(chunk, taps, mb, kb, accumulators.AsSpan(((chunk.Group * FilterBlocks + mb) * TapBlocks + kb) * block, block));
    }

    /// <summary>
    /// Eq 3/7 over several chunks, block by block: each block's accumulators take every chunk of its
    /// group in order and are then reduced into <paramref name="weightPartial"/>, so they stay in the
    /// first-level cache and are cleared and reduced once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ComputeWeightGradientsBlockwise<TV, TS>(List<Chunk> chunks, T[] weightPartial)
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        Span<T> acc = new T[Rows * Columns * Vector128<T>.Count];
        var taps = new int[chunks.Count][];
        for (int i = 0; i < chunks.Count; i++)
            taps[i] = PadToBlock(chunks[i].Planes.TapOffsets, Columns);
        for (int g = 0; g < _geometry.Groups; g++)
            for (int mb = 0; mb < FilterBlocks; mb++)
                for (int kb = 0; kb < TapBlocks; kb++)
                {
                    bool any = false;
                    acc.Clear();
                    for (int i = 0; i < chunks.Count; i++)
                        if (chunks[i].Group == g)
                        {
                            AddBlock<TV, TS>(chunks[i], taps[i], mb, kb, acc);
                            any = true;
                        }
                    if (any)
                        ReduceBlock(acc, g, mb, kb, weightPartial);
                }
    }

    /// <summary>
    /// Eq 3/7 for one 4 x 6 block on one chunk: dW[m, k] += Σ_q Δ[m, q] · X[k, q] into the block's
    /// vector accumulators. Δ is zero in the junk columns and up to a whole vector past the end, so the
    /// length rounds up; with a non-finite input the junk columns (where X may be ±Inf) are skipped row
    /// by row instead.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddBlock<TV, TS>(Chunk chunk, ReadOnlySpan<int> taps, int mb, int kb, Span<T> acc)
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        int rowLength = RowLength;
        var error = chunk.Error.AsSpan(0, Filters * chunk.Columns);
        var x = chunk.Planes.Elements;
        var dOffsets = Extent.From<int>(chunk.ErrorRows, mb * Rows);
        var xOffsets = Extent.From(taps, kb * Columns);
        if (_finiteInput)
        {
            MicroKernels.DotBlock<T, TV, TS>(error, dOffsets, x, xOffsets, VectorizedConv2d.RoundUp(chunk.Length, TS.Count), acc);
            return;
        }
        for (int r = 0; r < chunk.Rows; r++)
            MicroKernels.DotBlock<T, TV, TS>(Extent.From<T>(error, r * rowLength), dOffsets, Extent.From(x, r * rowLength), xOffsets,
                _geometry.OutW, acc);
    }

    /// <summary>
    /// col2im, first half: adds column-gradient row k = (c, kh, kw) onto the positions its tap read,
    /// kept in the stride-phase layout of <see cref="PhasePlanes{T}"/> over the whole padded input, where
    /// each row of a tap is one contiguous run (no bounds, no strided writes; Eq 5/8). With finite
    /// weights the junk columns of the column gradient are exact zeros (Δ is zero there), so a tap's
    /// rows go in as one run, junk included; otherwise they could hold NaN and go row by row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScatterToPhases<TV, TS>(int oh0, int rows, int columns, T[] columnGradient, Span<T> phases)
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        var geometry = _geometry;
        var spec = geometry.Spec;
        int kernelArea = geometry.KernelH * geometry.KernelW, phaseRows = PaddedPhaseRows;
        int outW = geometry.OutW, rowLength = RowLength;
        (int runs, int runLength, int runStride) = _finiteWeights ? (1, (rows - 1) * rowLength + outW, 0) : (rows, outW, rowLength);
        for (int k = 0; k < TapCount; k++)
        {
            int c = k / kernelArea, kh = k / geometry.KernelW % geometry.KernelH, kw = k % geometry.KernelW;
            int y = kh * spec.DilationH, x = kw * spec.DilationW;
            int phase = ((c * spec.StrideH + y % spec.StrideH) * spec.StrideW + x % spec.StrideW) * phaseRows;
            int start = (phase + oh0 + y / spec.StrideH) * rowLength + x / spec.StrideW;
            for (int r = 0; r < runs; r++)
                VectorOps.AddInto<T, TV, TS>(phases.Slice(start + r * runStride, runLength),
                    columnGradient.AsSpan(k * columns + r * runStride, runLength));
        }
    }

    /// <summary>col2im, second half: writes every input position of sample n, group g from its phase (the padding is dropped; positions no tap reached stay zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteFromPhases(int n, int g, ReadOnlySpan<T> phases)
    {
        var geometry = _geometry;
        var spec = geometry.Spec;
        int w = geometry.InW, phaseRows = PaddedPhaseRows, rowLength = RowLength;
        for (int c = 0; c < geometry.InChannelsPerGroup; c++)
        {
            var channel = _inputGradient.Data.AsSpan((n * geometry.InChannels + g * geometry.InChannelsPerGroup + c) * geometry.InH * w, geometry.InH * w);
            for (int ih = 0; ih < geometry.InH; ih++)
            {
                int y = ih + spec.PadTop;
                var row = channel.Slice(ih * w, w);
                int rowStart = (c * spec.StrideH + y % spec.StrideH) * spec.StrideW * phaseRows + y / spec.StrideH;
                PhasePlanes<T>.JoinRow(phases[(rowStart * rowLength)..], phaseRows * rowLength, spec.StrideW, spec.PadLeft, row);
            }
        }
    }

    /// <summary>Pads an offset list to a multiple of the block by repeating its last entry (those results are dropped).</summary>
    internal static int[] PadToBlock(int[] offsets, int block)
    {
        var padded = new int[VectorizedConv2d.RoundUp(offsets.Length, block)];
        for (int i = 0; i < padded.Length; i++)
            padded[i] = offsets[Math.Min(i, offsets.Length - 1)];
        return padded;
    }
}

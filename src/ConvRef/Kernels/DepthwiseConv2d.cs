using System.Buffers;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvRef.Kernels;

/// <summary>
/// The vectorized passes of a depthwise convolution (groups = C_in = C_out &gt; 1, one input and one output
/// channel per group), where a general GEMM would do a handful of multiply-adds per packed panel and
/// pay for a window and buffers per small work unit. Here a work unit is one channel c over the whole
/// batch: one <see cref="PhasePlanes{T}"/> window of a whole plane and one set of scratch buffers serve
/// every sample, and each pass is a few vector loops over the plane's positions (junk columns included,
/// as in <see cref="VectorizedConv2d"/>):
/// Eq 1: z[n, c] = Σ_t w[c, t] · X_t + b_c, four vectors of positions at a time;
/// Eq 3/7: dW[c, t] = Σ_n Σ_p Δ[n, c, p] · X_t[p], all nine taps of a 3x3 kernel per load of Δ;
/// Eq 9: db_c = Σ_n Σ_p Δ[n, c, p];
/// Eq 5/8 (strides above 1): each tap's row of the phase layout gets w[c, t] · Δ added (col2im of one
/// channel), then the rows are joined back into dJ/da.
/// A channel's sums run over the samples in order inside its unit, so the results do not depend on the
/// thread count.
/// </summary>
internal static class DepthwiseConv2d
{
    private const int Mr = MicroKernels.PanelRows;
    private const int TapBlock = MicroKernels.TapBlock;

    /// <summary>
    /// Whether <paramref name="geometry"/> is depthwise: several groups of one input and one output
    /// channel each (a plain one-channel convolution keeps the general path).
    /// </summary>
    public static bool Applies(Conv2dGeometry geometry) =>
        geometry.Groups > 1 && geometry.InChannelsPerGroup == 1 && geometry.OutChannelsPerGroup == 1;

    /// <summary>Elements of the largest buffers a unit takes: the window of a whole plane, its gradient, and the laid-out error.</summary>
    public static IEnumerable<(string Name, long Elements)> Workspace(Conv2dGeometry geometry)
    {
        long window = PhasePlanes<float>.ElementsFor(geometry, geometry.OutH);
        yield return ("the depthwise path's window of a whole plane", window);
        yield return ("the depthwise path's dJ/da window", window);
        yield return ("the depthwise path's error or output plane", (long)geometry.OutH * PhasePlanes<float>.RowLengthFor(geometry) + 256);
    }

    /// <summary>
    /// Eq 1 into <paramref name="output"/>, with the weights packed as <see cref="VectorizedConv2d"/> packs
    /// them (one filter per group: w[c, t] at packed[(c·taps + t)·8]).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Correlate<T, TV, TS>(Conv2dGeometry geometry, Tensor<T> input, T[] packed, Tensor<T>? bias, Tensor<T> output, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        int taps = geometry.KernelH * geometry.KernelW, width = 4 * TS.Count;
        int rowLength = PhasePlanes<T>.RowLengthFor(geometry);
        int outH = geometry.OutH, outW = geometry.OutW, channels = geometry.OutChannels;
        int columns = VectorizedConv2d.RoundUp(outH * rowLength, width);
        Parallelism.For(channels, (long)geometry.BatchSize * taps * columns, maxThreads, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (c) =>
        {
            var planes = PhasePlanes<T>.Allocate(geometry, outH, 2 * width);
            T[] product = ArrayPool<T>.Shared.Rent(columns);
            var a = packed.AsSpan(c * taps * Mr, taps * Mr);
            ReadOnlySpan<int> tapOffsets = planes.TapOffsets;
            T offset = bias is null ? T.Zero : bias.Data[c];
            for (int n = 0; n < geometry.BatchSize; n++)
            {
                planes.Fill<TV, TS>(geometry, input, n, c, 0);
                var b = planes.Elements;
                var row = product.AsSpan(0, columns);
                for (int q = 0; q < columns; q += width)
                    MicroKernels.GemmRow<T, TV, TS>(a, taps, Extent.From(b, q), tapOffsets, Extent.From(row, q), false);
                VectorOps.CopyRows<T, TV, TS>(row, rowLength, output.Data.AsSpan((n * channels + c) * outH * outW, outH * outW), outW,
                    outH, outW, offset);
            }
            ArrayPool<T>.Shared.Return(product);
            planes.Dispose();
        });
    }

    /// <summary>
    /// dJ/dw (Eq 3/7) and dJ/db (Eq 9) when <paramref name="input"/> is given, and dJ/da (Eq 5/8) by col2im
    /// when <paramref name="weights"/> is (with stride 1 it is the full convolution, done elsewhere).
    /// With a non-finite input (or weights) the junk columns, where 0 · ±Inf would be NaN, are skipped row by row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward<T, TV, TS>(Conv2dGeometry geometry, Tensor<T>? input, Tensor<T>? weights, Tensor<T> delta,
        Conv2dGradients<T> gradients, bool finiteInput, bool finiteWeights, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        var (inputGradient, weightGradient, biasGradient) = gradients;
        int taps = geometry.KernelH * geometry.KernelW, v = TS.Count;
        int rowLength = PhasePlanes<T>.RowLengthFor(geometry);
        int outH = geometry.OutH, outW = geometry.OutW, channels = geometry.OutChannels, plane = outH * outW;
        int length = outH * rowLength, rounded = VectorizedConv2d.RoundUp(length, v);
        int tapBlocks = (taps + TapBlock - 1) / TapBlock;
        Parallelism.For(channels, (long)geometry.BatchSize * taps * rounded * 2, maxThreads, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (c) =>
        {
            var planes = PhasePlanes<T>.Allocate(geometry, outH, 2 * v);
            ReadOnlySpan<int> tapOffsets = BackwardJob<T>.PadToBlock(planes.TapOffsets, TapBlock);
            var gradientPlanes = weights is null ? null : PhasePlanes<T>.Allocate(geometry, outH, 2 * v);
            // Zero once: the junk columns and the tail are never written, so they stay zero for every sample.
            T[] error = ArrayPool<T>.Shared.Rent(rounded);
            Array.Clear(error, 0, rounded);
            var errorRow = error.AsSpan(0, rounded);
            T[] sums = ArrayPool<T>.Shared.Rent(tapBlocks * TapBlock * v);
            var acc = sums.AsSpan(0, tapBlocks * TapBlock * v);
            acc.Clear();
            T biasSum = T.Zero;
            for (int n = 0; n < geometry.BatchSize; n++)
            {
                var deltaPlane = delta.Data.AsSpan((n * channels + c) * plane, plane);
                VectorOps.CopyRows<T, TV, TS>(deltaPlane, outW, errorRow, rowLength, outH, outW);
                if (input is not null)
                {
                    planes.Fill<TV, TS>(geometry, input, n, c, 0);
                    var x = planes.Elements;
                    for (int kb = 0; kb < tapBlocks; kb++)
                    {
                        var offsets = Extent.From(tapOffsets, kb * TapBlock);
                        var block = acc.Slice(kb * TapBlock * v, TapBlock * v);
                        if (finiteInput)
                        {
                            MicroKernels.DotTaps<T, TV, TS>(errorRow, x, offsets, rounded, block);
                            continue;
                        }
                        for (int r = 0; r < outH; r++)
                            MicroKernels.DotTaps<T, TV, TS>(errorRow[(r * rowLength)..], x[(r * rowLength)..], offsets, outW, block);
                    }
                    biasSum += VectorOps.Sum<T, TV, TS>(deltaPlane);
                }
                if (gradientPlanes is not null)
                    Scatter<T, TV, TS>(geometry, gradientPlanes, weights!.Data.AsSpan(c * taps, taps), errorRow, finiteWeights,
                        inputGradient.Data.AsSpan((n * geometry.InChannels + c) * geometry.InH * geometry.InW, geometry.InH * geometry.InW));
            }
            if (input is not null)
            {
                for (int t = 0; t < taps; t++)
                    weightGradient.Data[c * taps + t] = TS.Sum(TS.Load(acc, (nuint)(t * v)));
                if (biasGradient is not null)
                    biasGradient.Data[c] = biasSum;
            }
            ArrayPool<T>.Shared.Return(sums);
            ArrayPool<T>.Shared.Return(error);
            gradientPlanes?.Dispose();
            planes.Dispose();
        });
    }

    /// <summary>
    /// Eq 5/8 for one plane: adds w_t · Δ onto tap t's row of the phase layout (each row of a tap one
    /// contiguous run; with finite weights the whole chunk at once, Δ being zero in the junk columns),
    /// then joins the phases back into dJ/da's rows; input rows no tap reaches get the zero their phase rows were cleared to.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scatter<T, TV, TS>(Conv2dGeometry geometry, PhasePlanes<T> phases, ReadOnlySpan<T> weights, Span<T> error,
        bool finiteWeights, Span<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        var spec = geometry.Spec;
        int rowLength = phases.RowLength, outH = geometry.OutH, outW = geometry.OutW, w = geometry.InW;
        var buffer = phases.Buffer.AsSpan(0, phases.Length);
        buffer.Clear();
        for (int t = 0; t < weights.Length; t++)
        {
            int start = phases.TapOffsets[t];
            if (finiteWeights)
            {
                VectorOps.AddScaled<T, TV, TS>(buffer.Slice(start, error.Length), weights[t], error);
                continue;
            }
            for (int r = 0; r < outH; r++)
                VectorOps.AddScaled<T, TV, TS>(buffer.Slice(start + r * rowLength, outW), weights[t], error.Slice(r * rowLength, outW));
        }
        // Every input row lies in the layout: with P = PaddedH, E = (kH - 1)·dH, OutH = floor((P - E - 1) / sH) + 1
        // and padding never negative, y = ih + PadTop <= P - 1, so y / sH <= floor((P - 1) / sH)
        // <= floor((P - E - 1) / sH) + floor(E / sH) + 1 = OutH + floor(E / sH) = PhaseRows - 1 (the window
        // holds the whole plane, and floor(a + b) <= floor(a) + floor(b) + 1). Rows below the covered ones
        // sit in phase rows no tap wrote, which the clear above left zero.
        for (int ih = 0; ih < geometry.InH; ih++)
        {
            int y = ih + spec.PadTop, phaseRow = y / spec.StrideH;
            Debug.Assert(phaseRow < phases.PhaseRows, "an input row below the phase layout of a whole plane");
            var row = inputGradient.Slice(ih * w, w);
            int start = y % spec.StrideH * spec.StrideW * phases.PhaseStride + phaseRow * rowLength;
            PhasePlanes<T>.JoinRow(buffer[start..], phases.PhaseStride, spec.StrideW, spec.PadLeft, row);
        }
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvRef.Kernels;

/// <summary>
/// The register-blocked inner loops every vectorized pass spends its time in. They read and write
/// without bounds checks (<see cref="Extent"/>): callers size their buffers with the slack documented
/// here and pass exactly those extents, which Debug builds assert on every access.
/// </summary>
internal static class MicroKernels
{
    /// <summary>Rows of A per packed panel (and rows of C per <see cref="Gemm{T, TV, TS}"/> call).</summary>
    public const int PanelRows = 8;

    /// <summary>Error rows (filters) per <see cref="DotBlock{T, TV, TS}"/> call.</summary>
    public const int DotRows = 4;

    /// <summary>Input rows (taps) per <see cref="DotBlock{T, TV, TS}"/> call.</summary>
    public const int DotColumns = 6;

    /// <summary>Taps per <see cref="DotTaps{T, TV, TS}"/> call: a whole 3x3 kernel at once.</summary>
    public const int TapBlock = 9;

    /// <summary>
    /// C[r, 0..2V) (+)= Σ_k A[k, r] · B_k[0..2V) for r &lt; 8: an 8 x 2V tile of a matrix product
    /// whose B rows live anywhere in <paramref name="b"/> (row k starts at offsets[k]), so an implicit
    /// im2col (rows of phase planes) needs no packing. A is one packed panel, a[k * 8 + r].
    /// Reads a[0 .. 8·depth), offsets[0 .. depth) and B at offsets[k] .. offsets[k] + 2V; writes C rows r
    /// at r·ldc .. r·ldc + 2V, so <paramref name="c"/> needs 7·ldc + 2V elements.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gemm<T, TV, TS>(ReadOnlySpan<T> a, int depth, ReadOnlySpan<T> b, ReadOnlySpan<int> offsets, Span<T> c, nuint ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        nuint v = (nuint)TS.Count;
        TV c00 = TS.Zero, c01 = TS.Zero, c10 = TS.Zero, c11 = TS.Zero, c20 = TS.Zero, c21 = TS.Zero, c30 = TS.Zero, c31 = TS.Zero;
        TV c40 = TS.Zero, c41 = TS.Zero, c50 = TS.Zero, c51 = TS.Zero, c60 = TS.Zero, c61 = TS.Zero, c70 = TS.Zero, c71 = TS.Zero;
        for (int k = 0; k < depth; k++)
        {
            nuint bo = (nuint)Extent.At(offsets, k);
            TV b0 = TS.Load(b, bo), b1 = TS.Load(b, bo + v);
            var ak = Extent.From(a, k * PanelRows);
            TV ar = TS.Broadcast(Extent.At(ak, 0));
            c00 = TS.MultiplyAdd(ar, b0, c00); c01 = TS.MultiplyAdd(ar, b1, c01);
            ar = TS.Broadcast(Extent.At(ak, 1));
            c10 = TS.MultiplyAdd(ar, b0, c10); c11 = TS.MultiplyAdd(ar, b1, c11);
            ar = TS.Broadcast(Extent.At(ak, 2));
            c20 = TS.MultiplyAdd(ar, b0, c20); c21 = TS.MultiplyAdd(ar, b1, c21);
            ar = TS.Broadcast(Extent.At(ak, 3));
            c30 = TS.MultiplyAdd(ar, b0, c30); c31 = TS.MultiplyAdd(ar, b1, c31);
            ar = TS.Broadcast(Extent.At(ak, 4));
            c40 = TS.MultiplyAdd(ar, b0, c40); c41 = TS.MultiplyAdd(ar, b1, c41);
            ar = TS.Broadcast(Extent.At(ak, 5));
            c50 = TS.MultiplyAdd(ar, b0, c50); c51 = TS.MultiplyAdd(ar, b1, c51);
            ar = TS.Broadcast(Extent.At(ak, 6));
            c60 = TS.MultiplyAdd(ar, b0, c60); c61 = TS.MultiplyAdd(ar, b1, c61);
            ar = TS.Broadcast(Extent.At(ak, 7));
            c70 = TS.MultiplyAdd(ar, b0, c70); c71 = TS.MultiplyAdd(ar, b1, c71);
        }
        StoreRow<T, TV, TS>(c, 0, v, c00, c01, accumulate);
        StoreRow<T, TV, TS>(c, ldc, v, c10, c11, accumulate);
        StoreRow<T, TV, TS>(c, 2 * ldc, v, c20, c21, accumulate);
        StoreRow<T, TV, TS>(c, 3 * ldc, v, c30, c31, accumulate);
        StoreRow<T, TV, TS>(c, 4 * ldc, v, c40, c41, accumulate);
        StoreRow<T, TV, TS>(c, 5 * ldc, v, c50, c51, accumulate);
        StoreRow<T, TV, TS>(c, 6 * ldc, v, c60, c61, accumulate);
        StoreRow<T, TV, TS>(c, 7 * ldc, v, c70, c71, accumulate);
    }

    /// <summary>
    /// The one-filter case of <see cref="Gemm{T, TV, TS}"/> (depthwise convolution, or dJ/da of one):
    /// C[0, 0..4V) (+)= Σ_k a[k·8] · B_k[0..4V), four independent accumulators instead of an 8-row
    /// panel of which seven rows would be padding. Reads a[k·8] and B at offsets[k] .. offsets[k] + 4V for
    /// k &lt; depth; writes c[0 .. 4V).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GemmRow<T, TV, TS>(ReadOnlySpan<T> a, int depth, ReadOnlySpan<T> b, ReadOnlySpan<int> offsets, Span<T> c, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        nuint v = (nuint)TS.Count;
        TV c0 = TS.Zero, c1 = TS.Zero, c2 = TS.Zero, c3 = TS.Zero;
        for (int k = 0; k < depth; k++)
        {
            nuint bo = (nuint)Extent.At(offsets, k);
            TV ar = TS.Broadcast(Extent.At(a, k * PanelRows));
            c0 = TS.MultiplyAdd(ar, TS.Load(b, bo), c0);
            c1 = TS.MultiplyAdd(ar, TS.Load(b, bo + v), c1);
            c2 = TS.MultiplyAdd(ar, TS.Load(b, bo + 2 * v), c2);
            c3 = TS.MultiplyAdd(ar, TS.Load(b, bo + 3 * v), c3);
        }
        StoreRow<T, TV, TS>(c, 0, v, c0, c1, accumulate);
        StoreRow<T, TV, TS>(c, 2 * v, v, c2, c3, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T, TV, TS>(Span<T> c, nuint at, nuint v, TV x0, TV x1, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        if (accumulate)
        {
            x0 = TS.Add(x0, TS.Load(c, at));
            x1 = TS.Add(x1, TS.Load(c, at + v));
        }
        TS.Store(x0, c, at);
        TS.Store(x1, c, at + v);
    }

    /// <summary>
    /// acc[i·6 + j] += Σ_{t &lt; length} D_i[t] · X_j[t] for a 4 x 6 block of dot products: the Eq 3
    /// correlation of the error (rows D_i at d + dOffsets[i]) with the input (tap rows X_j at
    /// x + xOffsets[j]) for four filters and six taps at once. The 24 sums are kept in
    /// <paramref name="acc"/> as 128-bit vectors (24·(16 / sizeof(T)) elements): each call folds its
    /// wide accumulators down to 128 bits and adds them there, so the horizontal sums happen once at the
    /// end and the accumulators stay a quarter of the size of 512-bit ones. A tail shorter than a vector
    /// goes into lane 0. Reads exactly <paramref name="length"/> elements of each row and the first 4 and
    /// 6 offsets.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotBlock<T, TV, TS>(ReadOnlySpan<T> d, ReadOnlySpan<int> dOffsets, ReadOnlySpan<T> x, ReadOnlySpan<int> xOffsets, int length, Span<T> acc)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        var d0 = Extent.From(d, Extent.At(dOffsets, 0));
        var d1 = Extent.From(d, Extent.At(dOffsets, 1));
        var d2 = Extent.From(d, Extent.At(dOffsets, 2));
        var d3 = Extent.From(d, Extent.At(dOffsets, 3));
        var x0 = Extent.From(x, Extent.At(xOffsets, 0));
        var x1 = Extent.From(x, Extent.At(xOffsets, 1));
        var x2 = Extent.From(x, Extent.At(xOffsets, 2));
        var x3 = Extent.From(x, Extent.At(xOffsets, 3));
        var x4 = Extent.From(x, Extent.At(xOffsets, 4));
        var x5 = Extent.From(x, Extent.At(xOffsets, 5));
        TV s00 = TS.Zero, s01 = TS.Zero, s02 = TS.Zero, s03 = TS.Zero, s04 = TS.Zero, s05 = TS.Zero;
        TV s10 = TS.Zero, s11 = TS.Zero, s12 = TS.Zero, s13 = TS.Zero, s14 = TS.Zero, s15 = TS.Zero;
        TV s20 = TS.Zero, s21 = TS.Zero, s22 = TS.Zero, s23 = TS.Zero, s24 = TS.Zero, s25 = TS.Zero;
        TV s30 = TS.Zero, s31 = TS.Zero, s32 = TS.Zero, s33 = TS.Zero, s34 = TS.Zero, s35 = TS.Zero;
        int t = 0;
        for (; t <= length - TS.Count; t += TS.Count)
        {
            nuint o = (nuint)t;
            TV a0 = TS.Load(d0, o), a1 = TS.Load(d1, o), a2 = TS.Load(d2, o), a3 = TS.Load(d3, o);
            TV b = TS.Load(x0, o);
            s00 = TS.MultiplyAdd(a0, b, s00); s10 = TS.MultiplyAdd(a1, b, s10); s20 = TS.MultiplyAdd(a2, b, s20); s30 = TS.MultiplyAdd(a3, b, s30);
            b = TS.Load(x1, o);
            s01 = TS.MultiplyAdd(a0, b, s01); s11 = TS.MultiplyAdd(a1, b, s11); s21 = TS.MultiplyAdd(a2, b, s21); s31 = TS.MultiplyAdd(a3, b, s31);
            b = TS.Load(x2, o);
            s02 = TS.MultiplyAdd(a0, b, s02); s12 = TS.MultiplyAdd(a1, b, s12); s22 = TS.MultiplyAdd(a2, b, s22); s32 = TS.MultiplyAdd(a3, b, s32);
            b = TS.Load(x3, o);
            s03 = TS.MultiplyAdd(a0, b, s03); s13 = TS.MultiplyAdd(a1, b, s13); s23 = TS.MultiplyAdd(a2, b, s23); s33 = TS.MultiplyAdd(a3, b, s33);
            b = TS.Load(x4, o);
            s04 = TS.MultiplyAdd(a0, b, s04); s14 = TS.MultiplyAdd(a1, b, s14); s24 = TS.MultiplyAdd(a2, b, s24); s34 = TS.MultiplyAdd(a3, b, s34);
            b = TS.Load(x5, o);
            s05 = TS.MultiplyAdd(a0, b, s05); s15 = TS.MultiplyAdd(a1, b, s15); s25 = TS.MultiplyAdd(a2, b, s25); s35 = TS.MultiplyAdd(a3, b, s35);
        }
        nuint lanes = (nuint)Vector128<T>.Count;
        TS.AddFolded4(acc, 0, s00, s01, s02, s03);
        TS.AddFolded4(acc, 4 * lanes, s04, s05, s10, s11);
        TS.AddFolded4(acc, 8 * lanes, s12, s13, s14, s15);
        TS.AddFolded4(acc, 12 * lanes, s20, s21, s22, s23);
        TS.AddFolded4(acc, 16 * lanes, s24, s25, s30, s31);
        TS.AddFolded4(acc, 20 * lanes, s32, s33, s34, s35);
        for (; t < length; t++)
        {
            T a0 = Extent.At(d0, t), a1 = Extent.At(d1, t), a2 = Extent.At(d2, t), a3 = Extent.At(d3, t);
            for (int j = 0; j < DotColumns; j++)
            {
                T b = Extent.At(x, Extent.At(xOffsets, j) + t);
                Extent.At(acc, j * (nint)lanes) += a0 * b;
                Extent.At(acc, (DotColumns + j) * (nint)lanes) += a1 * b;
                Extent.At(acc, (2 * DotColumns + j) * (nint)lanes) += a2 * b;
                Extent.At(acc, (3 * DotColumns + j) * (nint)lanes) += a3 * b;
            }
        }
    }

    /// <summary>
    /// acc[j·V .. j·V + V) += the lanes of Σ_{t &lt; length} d[t] · X_j[t] for nine tap rows X_j at
    /// x + xOffsets[j]: Eq 3 for the one filter of a depthwise group, all taps of a 3x3 kernel for one
    /// load of the error. A tail shorter than a vector goes into lane 0. Reads exactly
    /// <paramref name="length"/> elements of d and of each row, and the first nine offsets;
    /// <paramref name="acc"/> holds 9·V elements (V = the vector's lane count).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotTaps<T, TV, TS>(ReadOnlySpan<T> d, ReadOnlySpan<T> x, ReadOnlySpan<int> xOffsets, int length, Span<T> acc)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        var x0 = Extent.From(x, Extent.At(xOffsets, 0));
        var x1 = Extent.From(x, Extent.At(xOffsets, 1));
        var x2 = Extent.From(x, Extent.At(xOffsets, 2));
        var x3 = Extent.From(x, Extent.At(xOffsets, 3));
        var x4 = Extent.From(x, Extent.At(xOffsets, 4));
        var x5 = Extent.From(x, Extent.At(xOffsets, 5));
        var x6 = Extent.From(x, Extent.At(xOffsets, 6));
        var x7 = Extent.From(x, Extent.At(xOffsets, 7));
        var x8 = Extent.From(x, Extent.At(xOffsets, 8));
        TV s0 = TS.Zero, s1 = TS.Zero, s2 = TS.Zero, s3 = TS.Zero, s4 = TS.Zero, s5 = TS.Zero, s6 = TS.Zero, s7 = TS.Zero, s8 = TS.Zero;
        int t = 0;
        for (; t <= length - TS.Count; t += TS.Count)
        {
            nuint o = (nuint)t;
            TV a = TS.Load(d, o);
            s0 = TS.MultiplyAdd(a, TS.Load(x0, o), s0);
            s1 = TS.MultiplyAdd(a, TS.Load(x1, o), s1);
            s2 = TS.MultiplyAdd(a, TS.Load(x2, o), s2);
            s3 = TS.MultiplyAdd(a, TS.Load(x3, o), s3);
            s4 = TS.MultiplyAdd(a, TS.Load(x4, o), s4);
            s5 = TS.MultiplyAdd(a, TS.Load(x5, o), s5);
            s6 = TS.MultiplyAdd(a, TS.Load(x6, o), s6);
            s7 = TS.MultiplyAdd(a, TS.Load(x7, o), s7);
            s8 = TS.MultiplyAdd(a, TS.Load(x8, o), s8);
        }
        nuint v = (nuint)TS.Count;
        TS.Store(TS.Add(TS.Load(acc, 0), s0), acc, 0);
        TS.Store(TS.Add(TS.Load(acc, v), s1), acc, v);
        TS.Store(TS.Add(TS.Load(acc, 2 * v), s2), acc, 2 * v);
        TS.Store(TS.Add(TS.Load(acc, 3 * v), s3), acc, 3 * v);
        TS.Store(TS.Add(TS.Load(acc, 4 * v), s4), acc, 4 * v);
        TS.Store(TS.Add(TS.Load(acc, 5 * v), s5), acc, 5 * v);
        TS.Store(TS.Add(TS.Load(acc, 6 * v), s6), acc, 6 * v);
        TS.Store(TS.Add(TS.Load(acc, 7 * v), s7), acc, 7 * v);
        TS.Store(TS.Add(TS.Load(acc, 8 * v), s8), acc, 8 * v);
        for (; t < length; t++)
        {
            T a = Extent.At(d, t);
            for (int j = 0; j < TapBlock; j++)
                Extent.At(acc, j * (nint)v) += a * Extent.At(x, Extent.At(xOffsets, j) + t);
        }
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvRef.Kernels;

/// <summary>
/// The register-blocked inner loops every vectorized pass spends its time in. They read and write
/// through refs without bounds checks: callers size their buffers with the slack documented here.
/// </summary>
internal static class MicroKernels
{
    /// <summary>Rows of A per packed panel (and rows of C per <see cref="Gemm{T, TV, TS}"/> call).</summary>
    public const int PanelRows = 8;

    /// <summary>Rows of each operand per <see cref="DotBlock{T, TV, TS}"/> call.</summary>
    public const int DotRows = 4;

    /// <summary>
    /// C[r, 0..2V) (+)= Σ_k A[k, r] · B_k[0..2V) for r &lt; 8: an 8 x 2V tile of a matrix product
    /// whose B rows live anywhere in <paramref name="b"/> (row k starts at offsets[k]), so an implicit
    /// im2col (rows of phase planes) needs no packing. A is one packed panel, a[k * 8 + r].
    /// Reads B at offsets[k] .. offsets[k] + 2V and writes C rows r at c + r * ldc .. + 2V.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gemm<T, TV, TS>(ref T a, int depth, ref T b, ref int offsets, ref T c, nuint ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        nuint v = (nuint)TS.Count;
        TV c00 = TS.Zero, c01 = TS.Zero, c10 = TS.Zero, c11 = TS.Zero, c20 = TS.Zero, c21 = TS.Zero, c30 = TS.Zero, c31 = TS.Zero;
        TV c40 = TS.Zero, c41 = TS.Zero, c50 = TS.Zero, c51 = TS.Zero, c60 = TS.Zero, c61 = TS.Zero, c70 = TS.Zero, c71 = TS.Zero;
        for (int k = 0; k < depth; k++)
        {
            nuint bo = (nuint)Unsafe.Add(ref offsets, k);
            TV b0 = TS.Load(ref b, bo), b1 = TS.Load(ref b, bo + v);
            ref T ak = ref Unsafe.Add(ref a, k * PanelRows);
            TV ar = TS.Broadcast(ak);
            c00 = TS.MultiplyAdd(ar, b0, c00); c01 = TS.MultiplyAdd(ar, b1, c01);
            ar = TS.Broadcast(Unsafe.Add(ref ak, 1));
            c10 = TS.MultiplyAdd(ar, b0, c10); c11 = TS.MultiplyAdd(ar, b1, c11);
            ar = TS.Broadcast(Unsafe.Add(ref ak, 2));
            c20 = TS.MultiplyAdd(ar, b0, c20); c21 = TS.MultiplyAdd(ar, b1, c21);
            ar = TS.Broadcast(Unsafe.Add(ref ak, 3));
            c30 = TS.MultiplyAdd(ar, b0, c30); c31 = TS.MultiplyAdd(ar, b1, c31);
            ar = TS.Broadcast(Unsafe.Add(ref ak, 4));
            c40 = TS.MultiplyAdd(ar, b0, c40); c41 = TS.MultiplyAdd(ar, b1, c41);
            ar = TS.Broadcast(Unsafe.Add(ref ak, 5));
            c50 = TS.MultiplyAdd(ar, b0, c50); c51 = TS.MultiplyAdd(ar, b1, c51);
            ar = TS.Broadcast(Unsafe.Add(ref ak, 6));
            c60 = TS.MultiplyAdd(ar, b0, c60); c61 = TS.MultiplyAdd(ar, b1, c61);
            ar = TS.Broadcast(Unsafe.Add(ref ak, 7));
            c70 = TS.MultiplyAdd(ar, b0, c70); c71 = TS.MultiplyAdd(ar, b1, c71);
        }
        StoreRow<T, TV, TS>(ref c, 0, v, c00, c01, accumulate);
        StoreRow<T, TV, TS>(ref c, ldc, v, c10, c11, accumulate);
        StoreRow<T, TV, TS>(ref c, 2 * ldc, v, c20, c21, accumulate);
        StoreRow<T, TV, TS>(ref c, 3 * ldc, v, c30, c31, accumulate);
        StoreRow<T, TV, TS>(ref c, 4 * ldc, v, c40, c41, accumulate);
        StoreRow<T, TV, TS>(ref c, 5 * ldc, v, c50, c51, accumulate);
        StoreRow<T, TV, TS>(ref c, 6 * ldc, v, c60, c61, accumulate);
        StoreRow<T, TV, TS>(ref c, 7 * ldc, v, c70, c71, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T, TV, TS>(ref T c, nuint at, nuint v, TV x0, TV x1, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        if (accumulate)
        {
            x0 = TS.Add(x0, TS.Load(ref c, at));
            x1 = TS.Add(x1, TS.Load(ref c, at + v));
        }
        TS.Store(x0, ref c, at);
        TS.Store(x1, ref c, at + v);
    }

    /// <summary>
    /// sums[i * 4 + j] += Σ_{t &lt; length} D_i[t] · X_j[t] for a 4 x 4 block of dot products, rows D_i at
    /// d + dOffsets[i] and X_j at x + xOffsets[j]: the Eq 3 correlation of the error with the input for
    /// four filters and four taps at once. Reads exactly <paramref name="length"/> elements of each row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotBlock<T, TV, TS>(ref T d, ref int dOffsets, ref T x, ref int xOffsets, int length, Span<T> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        ref T d0 = ref Unsafe.Add(ref d, Unsafe.Add(ref dOffsets, 0));
        ref T d1 = ref Unsafe.Add(ref d, Unsafe.Add(ref dOffsets, 1));
        ref T d2 = ref Unsafe.Add(ref d, Unsafe.Add(ref dOffsets, 2));
        ref T d3 = ref Unsafe.Add(ref d, Unsafe.Add(ref dOffsets, 3));
        ref T x0 = ref Unsafe.Add(ref x, Unsafe.Add(ref xOffsets, 0));
        ref T x1 = ref Unsafe.Add(ref x, Unsafe.Add(ref xOffsets, 1));
        ref T x2 = ref Unsafe.Add(ref x, Unsafe.Add(ref xOffsets, 2));
        ref T x3 = ref Unsafe.Add(ref x, Unsafe.Add(ref xOffsets, 3));
        TV s00 = TS.Zero, s01 = TS.Zero, s02 = TS.Zero, s03 = TS.Zero, s10 = TS.Zero, s11 = TS.Zero, s12 = TS.Zero, s13 = TS.Zero;
        TV s20 = TS.Zero, s21 = TS.Zero, s22 = TS.Zero, s23 = TS.Zero, s30 = TS.Zero, s31 = TS.Zero, s32 = TS.Zero, s33 = TS.Zero;
        int v = TS.Count;
        int t = 0;
        for (; t <= length - v; t += v)
        {
            nuint o = (nuint)t;
            TV a0 = TS.Load(ref d0, o), a1 = TS.Load(ref d1, o), a2 = TS.Load(ref d2, o), a3 = TS.Load(ref d3, o);
            TV b = TS.Load(ref x0, o);
            s00 = TS.MultiplyAdd(a0, b, s00); s10 = TS.MultiplyAdd(a1, b, s10); s20 = TS.MultiplyAdd(a2, b, s20); s30 = TS.MultiplyAdd(a3, b, s30);
            b = TS.Load(ref x1, o);
            s01 = TS.MultiplyAdd(a0, b, s01); s11 = TS.MultiplyAdd(a1, b, s11); s21 = TS.MultiplyAdd(a2, b, s21); s31 = TS.MultiplyAdd(a3, b, s31);
            b = TS.Load(ref x2, o);
            s02 = TS.MultiplyAdd(a0, b, s02); s12 = TS.MultiplyAdd(a1, b, s12); s22 = TS.MultiplyAdd(a2, b, s22); s32 = TS.MultiplyAdd(a3, b, s32);
            b = TS.Load(ref x3, o);
            s03 = TS.MultiplyAdd(a0, b, s03); s13 = TS.MultiplyAdd(a1, b, s13); s23 = TS.MultiplyAdd(a2, b, s23); s33 = TS.MultiplyAdd(a3, b, s33);
        }
        sums[0] += TS.Sum(s00); sums[1] += TS.Sum(s01); sums[2] += TS.Sum(s02); sums[3] += TS.Sum(s03);
        sums[4] += TS.Sum(s10); sums[5] += TS.Sum(s11); sums[6] += TS.Sum(s12); sums[7] += TS.Sum(s13);
        sums[8] += TS.Sum(s20); sums[9] += TS.Sum(s21); sums[10] += TS.Sum(s22); sums[11] += TS.Sum(s23);
        sums[12] += TS.Sum(s30); sums[13] += TS.Sum(s31); sums[14] += TS.Sum(s32); sums[15] += TS.Sum(s33);
        for (; t < length; t++)
        {
            T a0 = Unsafe.Add(ref d0, t), a1 = Unsafe.Add(ref d1, t), a2 = Unsafe.Add(ref d2, t), a3 = Unsafe.Add(ref d3, t);
            T b0 = Unsafe.Add(ref x0, t), b1 = Unsafe.Add(ref x1, t), b2 = Unsafe.Add(ref x2, t), b3 = Unsafe.Add(ref x3, t);
            sums[0] += a0 * b0; sums[1] += a0 * b1; sums[2] += a0 * b2; sums[3] += a0 * b3;
            sums[4] += a1 * b0; sums[5] += a1 * b1; sums[6] += a1 * b2; sums[7] += a1 * b3;
            sums[8] += a2 * b0; sums[9] += a2 * b1; sums[10] += a2 * b2; sums[11] += a2 * b3;
            sums[12] += a3 * b0; sums[13] += a3 * b1; sums[14] += a3 * b2; sums[15] += a3 * b3;
        }
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvRef.Kernels;

/// <summary>
/// The few element-wise loops the vectorized passes need, written on <see cref="ISimd{T, TV}"/> and
/// compiled fully optimized from the first call: library calls start in unoptimized code and stay there
/// while a short benchmark keeps the tiering delay from expiring.
/// </summary>
internal static class VectorOps
{
    /// <summary>
    /// Copies <paramref name="rows"/> rows of <paramref name="width"/> elements between strided layouts,
    /// adding <paramref name="offset"/> when one is given (a bias; without one, values such as -0 stay
    /// bit for bit): one call per plane rather than one per short row. The two must not overlap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void CopyRows<T, TV, TS>(ReadOnlySpan<T> source, int sourceStride, Span<T> destination, int destinationStride,
        int rows, int width, T? offset = null)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        if (rows <= 0 || width <= 0)
            return;
        ArgumentOutOfRangeException.ThrowIfLessThan(source.Length, (long)(rows - 1) * sourceStride + width);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, (long)(rows - 1) * destinationStride + width);
        T add = offset ?? T.Zero;
        TV addVector = TS.Broadcast(add);
        bool adding = offset.HasValue;
        for (int r = 0; r < rows; r++)
        {
            var fromRow = Extent.From(source, r * sourceStride);
            var toRow = Extent.From(destination, r * destinationStride);
            if (width < TS.Count)
            {
                CopyNarrowRow(fromRow, toRow, width, adding, add);
                continue;
            }
            // The last vector ends at the row's end and may overlap the one before: it rewrites the
            // same values, which is why source and destination must not overlap.
            for (int j = 0; ; j += TS.Count)
            {
                nuint at = (nuint)Math.Min(j, width - TS.Count);
                TV value = TS.Load(fromRow, at);
                TS.Store(adding ? TS.Add(value, addVector) : value, toRow, at);
                if (j >= width - TS.Count)
                    break;
            }
        }
    }

    /// <summary>
    /// One row narrower than the wide vectors (the 7- and 14-wide planes of a network's last stages):
    /// 128-bit vectors, the last one ending at the row's end, and single elements only below 128 bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyNarrowRow<T>(ReadOnlySpan<T> fromRow, Span<T> toRow, int width, bool adding, T add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = Vector128<T>.Count;
        if (width < count || !Vector128.IsHardwareAccelerated)
        {
            for (int j = 0; j < width; j++)
                Extent.At(toRow, j) = adding ? Extent.At(fromRow, j) + add : Extent.At(fromRow, j);
            return;
        }
        var addVector = Vector128.Create(add);
        for (int j = 0; ; j += count)
        {
            nuint at = (nuint)Math.Min(j, width - count);
            var value = Simd128<T>.Load(fromRow, at);
            Simd128<T>.Store(adding ? value + addVector : value, toRow, at);
            if (j >= width - count)
                break;
        }
    }

    /// <summary>destination += source.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddInto<T, TV, TS>(Span<T> destination, ReadOnlySpan<T> source)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, source.Length);
        int j = 0;
        for (; j <= source.Length - TS.Count; j += TS.Count)
            TS.Store(TS.Add(TS.Load(destination, (nuint)j), TS.Load(source, (nuint)j)), destination, (nuint)j);
        for (; j < source.Length; j++)
            Extent.At(destination, j) += Extent.At(source, j);
    }

    /// <summary>destination += scale · source, fused where the CPU has FMA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddScaled<T, TV, TS>(Span<T> destination, T scale, ReadOnlySpan<T> source)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, source.Length);
        TV factor = TS.Broadcast(scale);
        int j = 0;
        for (; j <= source.Length - TS.Count; j += TS.Count)
            TS.Store(TS.MultiplyAdd(factor, TS.Load(source, (nuint)j), TS.Load(destination, (nuint)j)), destination, (nuint)j);
        for (; j < source.Length; j++)
            Extent.At(destination, j) = T.FusedMultiplyAdd(scale, Extent.At(source, j), Extent.At(destination, j));
    }

    /// <summary>Σ values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T Sum<T, TV, TS>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        TV sum = TS.Zero;
        int j = 0;
        for (; j <= values.Length - TS.Count; j += TS.Count)
            sum = TS.Add(sum, TS.Load(values, (nuint)j));
        T total = TS.Sum(sum);
        for (; j < values.Length; j++)
            total += Extent.At(values, j);
        return total;
    }
}

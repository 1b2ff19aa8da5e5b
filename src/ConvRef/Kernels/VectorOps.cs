using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvRef.Kernels;

/// <summary>
/// The few element-wise loops the vectorized passes need, written on <see cref="ISimd{T, TV}"/> and
/// compiled fully optimized from the first call: library calls start in unoptimized code and stay there
/// while a short benchmark keeps the tiering delay from expiring.
/// </summary>
internal static class VectorOps
{
    /// <summary>destination = source + offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddScalar<T, TV, TS>(ReadOnlySpan<T> source, T offset, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, source.Length);
        ref T from = ref MemoryMarshal.GetReference(source);
        ref T to = ref MemoryMarshal.GetReference(destination);
        TV add = TS.Broadcast(offset);
        int j = 0;
        for (; j <= source.Length - TS.Count; j += TS.Count)
            TS.Store(TS.Add(TS.Load(ref from, (nuint)j), add), ref to, (nuint)j);
        for (; j < source.Length; j++)
            Unsafe.Add(ref to, j) = Unsafe.Add(ref from, j) + offset;
    }

    /// <summary>destination += source.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddInto<T, TV, TS>(Span<T> destination, ReadOnlySpan<T> source)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, source.Length);
        ref T from = ref MemoryMarshal.GetReference(source);
        ref T to = ref MemoryMarshal.GetReference(destination);
        int j = 0;
        for (; j <= source.Length - TS.Count; j += TS.Count)
            TS.Store(TS.Add(TS.Load(ref to, (nuint)j), TS.Load(ref from, (nuint)j)), ref to, (nuint)j);
        for (; j < source.Length; j++)
            Unsafe.Add(ref to, j) += Unsafe.Add(ref from, j);
    }

    /// <summary>Σ values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T Sum<T, TV, TS>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        ref T from = ref MemoryMarshal.GetReference(values);
        TV sum = TS.Zero;
        int j = 0;
        for (; j <= values.Length - TS.Count; j += TS.Count)
            sum = TS.Add(sum, TS.Load(ref from, (nuint)j));
        T total = TS.Sum(sum);
        for (; j < values.Length; j++)
            total += Unsafe.Add(ref from, j);
        return total;
    }
}

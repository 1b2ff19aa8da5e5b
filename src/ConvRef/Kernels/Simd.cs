using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvRef.Kernels;

/// <summary>
/// One SIMD width seen through static abstract members, so each kernel is written once and the JIT
/// specializes it per width and element type (the pattern System.Numerics.Tensors uses). Loads and
/// stores take the span they may touch and assert (in Debug builds) that the whole vector lies inside
/// it; in Release the assert compiles away and the access is as unchecked as a raw ref.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TV">The vector type.</typeparam>
internal interface ISimd<T, TV> where T : unmanaged where TV : struct
{
    static abstract int Count { get; }
    static abstract TV Zero { get; }
    /// <summary>source[offset .. offset + Count).</summary>
    static abstract TV Load(ReadOnlySpan<T> source, nuint offset);

    /// <summary>destination[offset .. offset + Count) = value.</summary>
    static abstract void Store(TV value, Span<T> destination, nuint offset);
    static abstract TV Broadcast(T value);

    /// <summary>a * b + c, fused (one rounding) where the CPU has FMA.</summary>
    static abstract TV MultiplyAdd(TV a, TV b, TV c);

    static abstract TV Add(TV a, TV b);
    static abstract T Sum(TV value);

    /// <summary>
    /// Adds Fold(a), Fold(b), Fold(c), Fold(d) to the four consecutive 128-bit vectors at
    /// destination[offset..], where Fold adds the halves of a vector down to 128 bits (lane i gets every
    /// lane ≡ i mod the 128-bit count): lower + upper half, recursively, the same order at every width.
    /// </summary>
    static abstract void AddFolded4(Span<T> destination, nuint offset, TV a, TV b, TV c, TV d);
}

/// <summary>512-bit vectors (AVX-512).</summary>
internal readonly struct Simd512<T> : ISimd<T, Vector512<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;
    public static Vector512<T> Zero => Vector512<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(ReadOnlySpan<T> source, nuint offset)
    {
        Extent.AssertInside(source.Length, offset, Count);
        return Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(source), offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, Span<T> destination, nuint offset)
    {
        Extent.AssertInside(destination.Length, offset, Count);
        value.StoreUnsafe(ref MemoryMarshal.GetReference(destination), offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector512<T> value) => Vector512.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> Fold(Vector512<T> value)
    {
        var half = value.GetLower() + value.GetUpper();
        return half.GetLower() + half.GetUpper();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddFolded4(Span<T> destination, nuint offset, Vector512<T> a, Vector512<T> b, Vector512<T> c, Vector512<T> d)
    {
        if (!Avx512F.IsSupported)
        {
            Simd128<T>.AddFolded4(destination, offset, Fold(a), Fold(b), Fold(c), Fold(d));
            return;
        }
        // 128-bit lanes: [a0 a1 b0 b1] + [a2 a3 b2 b3] = [a0+a2 a1+a3 b0+b2 b1+b3], then pairing the
        // lanes of that with the same for c, d gives [(a0+a2)+(a1+a3) ... (d0+d2)+(d1+d3)], Fold's order.
        var ab = Shuffle(a, b, 0x44) + Shuffle(a, b, 0xEE);
        var cd = Shuffle(c, d, 0x44) + Shuffle(c, d, 0xEE);
        var sum = Shuffle(ab, cd, 0x88) + Shuffle(ab, cd, 0xDD);
        Store(Load(destination, offset) + sum, destination, offset);
    }

    /// <summary>vshuff32x4/vshuff64x2: lanes 0, 1 from <paramref name="left"/> and 2, 3 from <paramref name="right"/>, two bits of <paramref name="control"/> each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Shuffle(Vector512<T> left, Vector512<T> right, [ConstantExpected] byte control)
    {
        if (typeof(T) == typeof(float))
            return Avx512F.Shuffle4x128(left.AsSingle(), right.AsSingle(), control).As<float, T>();
        return Avx512F.Shuffle4x128(left.AsDouble(), right.AsDouble(), control).As<double, T>();
    }
}

/// <summary>256-bit vectors (AVX2).</summary>
internal readonly struct Simd256<T> : ISimd<T, Vector256<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector256<T>.Count;
    public static Vector256<T> Zero => Vector256<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(ReadOnlySpan<T> source, nuint offset)
    {
        Extent.AssertInside(source.Length, offset, Count);
        return Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(source), offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, Span<T> destination, nuint offset)
    {
        Extent.AssertInside(destination.Length, offset, Count);
        value.StoreUnsafe(ref MemoryMarshal.GetReference(destination), offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector256<T> value) => Vector256.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddFolded4(Span<T> destination, nuint offset, Vector256<T> a, Vector256<T> b, Vector256<T> c, Vector256<T> d)
    {
        nuint half = (nuint)Vector256<T>.Count;
        var ab = Vector256.Create(a.GetLower(), b.GetLower()) + Vector256.Create(a.GetUpper(), b.GetUpper());
        var cd = Vector256.Create(c.GetLower(), d.GetLower()) + Vector256.Create(c.GetUpper(), d.GetUpper());
        Store(Load(destination, offset) + ab, destination, offset);
        Store(Load(destination, offset + half) + cd, destination, offset + half);
    }
}

/// <summary>128-bit vectors: SSE/NEON, or a software fallback, so every machine runs the same kernels.</summary>
internal readonly struct Simd128<T> : ISimd<T, Vector128<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector128<T>.Count;
    public static Vector128<T> Zero => Vector128<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(ReadOnlySpan<T> source, nuint offset)
    {
        Extent.AssertInside(source.Length, offset, Count);
        return Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(source), offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<T> value, Span<T> destination, nuint offset)
    {
        Extent.AssertInside(destination.Length, offset, Count);
        value.StoreUnsafe(ref MemoryMarshal.GetReference(destination), offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        if (typeof(T) == typeof(float))
            return Vector128.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector128.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector128<T> value) => Vector128.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddFolded4(Span<T> destination, nuint offset, Vector128<T> a, Vector128<T> b, Vector128<T> c, Vector128<T> d)
    {
        nuint count = (nuint)Vector128<T>.Count;
        Store(Load(destination, offset) + a, destination, offset);
        Store(Load(destination, offset + count) + b, destination, offset + count);
        Store(Load(destination, offset + 2 * count) + c, destination, offset + 2 * count);
        Store(Load(destination, offset + 3 * count) + d, destination, offset + 3 * count);
    }
}

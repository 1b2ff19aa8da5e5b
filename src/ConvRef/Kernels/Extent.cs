using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvRef.Kernels;

/// <summary>
/// Unchecked element access for the kernels, each access stating the span it may touch: in Debug
/// builds it asserts that the access lies inside, in Release the assert compiles away and the access
/// costs what a raw ref does (the way System.Numerics.Tensors keeps its unchecked loops honest).
/// </summary>
internal static class Extent
{
    /// <summary>Asserts that elements offset .. offset + count - 1 lie inside a span of <paramref name="length"/> elements.</summary>
    [Conditional("DEBUG")]
    public static void AssertInside(int length, nuint offset, int count) =>
        Debug.Assert(offset <= (nuint)length && (nuint)count <= (nuint)length - offset,
            $"elements {offset} .. {offset + (nuint)count - 1} lie outside a span of {length}");

    /// <summary>span[index], unchecked in Release.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref T At<T>(Span<T> span, nint index)
    {
        AssertInside(span.Length, (nuint)index, 1);
        return ref Unsafe.Add(ref MemoryMarshal.GetReference(span), index);
    }

    /// <summary>span[index], unchecked in Release.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref readonly T At<T>(ReadOnlySpan<T> span, nint index)
    {
        AssertInside(span.Length, (nuint)index, 1);
        return ref Unsafe.Add(ref MemoryMarshal.GetReference(span), index);
    }

    /// <summary>span[start..], unchecked in Release.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<T> From<T>(Span<T> span, int start)
    {
        AssertInside(span.Length, (nuint)start, 0);
        return MemoryMarshal.CreateSpan(ref Unsafe.Add(ref MemoryMarshal.GetReference(span), start), span.Length - start);
    }

    /// <summary>span[start..], unchecked in Release.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<T> From<T>(ReadOnlySpan<T> span, int start)
    {
        AssertInside(span.Length, (nuint)start, 0);
        return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref MemoryMarshal.GetReference(span), start), span.Length - start);
    }
}

using System.Numerics;
using global::ConvRef.Kernels;

namespace ConvCompare.Tests.ConvRef.Kernels;

/// <summary>
/// The element-wise loops on guard-page buffers of exactly the length they are given, every length
/// through 4V + 1 (the overlapping last vector and the scalar tails), in float and double at each
/// accelerated width; results checked against plain loops.
/// </summary>
public class VectorOpsExtentTests
{
    [SkippableTheory]
    [MemberData(nameof(SimdWidths.All), MemberType = typeof(SimdWidths))]
    public void CopyRows_StaysInsideBothLayouts_AndCopiesOnlyTheRows(int bits) => SimdWidths.Run(bits, new CopyRowsCheck());

    [SkippableTheory]
    [MemberData(nameof(SimdWidths.All), MemberType = typeof(SimdWidths))]
    public void AddInto_StaysInsideItsSpans_AndAddsElementwise(int bits) => SimdWidths.Run(bits, new AddIntoCheck());

    [SkippableTheory]
    [MemberData(nameof(SimdWidths.All), MemberType = typeof(SimdWidths))]
    public void AddScaled_StaysInsideItsSpans_AndAddsTheScaledSource(int bits) => SimdWidths.Run(bits, new AddScaledCheck());

    [SkippableTheory]
    [MemberData(nameof(SimdWidths.All), MemberType = typeof(SimdWidths))]
    public void Sum_StaysInsideItsSpan_AndSumsEveryElement(int bits) => SimdWidths.Run(bits, new SumCheck());

    /// <summary>Rows with and without gaps between them, with and without a bias; the gaps of the destination stay as they were.</summary>
    private readonly struct CopyRowsCheck : IKernelCheck
    {
        public void Run<T, TV, TS>()
            where T : unmanaged, IFloatingPointIeee754<T>
            where TV : struct
            where TS : struct, ISimd<T, TV>
        {
            foreach (int width in SimdWidths.LengthsThrough(TS.Count))
                foreach (int rows in new[] { 1, 3 })
                    foreach (int gap in new[] { 0, 2 })
                        foreach (T? offset in new T?[] { null, T.CreateChecked(2) })
                        {
                            int sourceStride = width + gap, destinationStride = width + 3 - gap;
                            ulong seed = (ulong)(width * 100 + rows * 10 + gap);
                            using var source = new GuardedBuffer<T>(SimdWidths.Integers<T>(seed, (rows - 1) * sourceStride + width));
                            using var destination = new GuardedBuffer<T>(SimdWidths.Integers<T>(seed + 1, (rows - 1) * destinationStride + width));
                            var expected = destination.ToArray();
                            for (int r = 0; r < rows; r++)
                                for (int j = 0; j < width; j++)
                                    expected[r * destinationStride + j] = source.Span[r * sourceStride + j] + (offset ?? T.Zero);

                            VectorOps.CopyRows<T, TV, TS>(source.Span, sourceStride, destination.Span, destinationStride, rows, width, offset);
                            Assert.True(expected.AsSpan().SequenceEqual(destination.Span),
                                $"{typeof(T).Name} V={TS.Count} width {width} rows {rows} gap {gap} offset {offset}");
                        }
        }
    }

    private readonly struct AddIntoCheck : IKernelCheck
    {
        public void Run<T, TV, TS>()
            where T : unmanaged, IFloatingPointIeee754<T>
            where TV : struct
            where TS : struct, ISimd<T, TV>
        {
            foreach (int length in SimdWidths.LengthsThrough(TS.Count))
            {
                using var source = new GuardedBuffer<T>(SimdWidths.Integers<T>((ulong)length, length));
                using var destination = new GuardedBuffer<T>(SimdWidths.Integers<T>((ulong)length + 1, length));
                var expected = destination.ToArray();
                for (int j = 0; j < length; j++)
                    expected[j] += source.Span[j];

                VectorOps.AddInto<T, TV, TS>(destination.Span, source.Span);
                Assert.True(expected.AsSpan().SequenceEqual(destination.Span), $"{typeof(T).Name} V={TS.Count} length {length}");
            }
        }
    }

    private readonly struct AddScaledCheck : IKernelCheck
    {
        public void Run<T, TV, TS>()
            where T : unmanaged, IFloatingPointIeee754<T>
            where TV : struct
            where TS : struct, ISimd<T, TV>
        {
            T scale = T.CreateChecked(-3);
            foreach (int length in SimdWidths.LengthsThrough(TS.Count))
            {
                using var source = new GuardedBuffer<T>(SimdWidths.Integers<T>((ulong)length, length));
                using var destination = new GuardedBuffer<T>(SimdWidths.Integers<T>((ulong)length + 1, length));
                var expected = destination.ToArray();
                for (int j = 0; j < length; j++)
                    expected[j] += scale * source.Span[j];

                VectorOps.AddScaled<T, TV, TS>(destination.Span, scale, source.Span);
                Assert.True(expected.AsSpan().SequenceEqual(destination.Span), $"{typeof(T).Name} V={TS.Count} length {length}");
            }
        }
    }

    private readonly struct SumCheck : IKernelCheck
    {
        public void Run<T, TV, TS>()
            where T : unmanaged, IFloatingPointIeee754<T>
            where TV : struct
            where TS : struct, ISimd<T, TV>
        {
            foreach (int length in SimdWidths.LengthsThrough(TS.Count))
            {
                using var values = new GuardedBuffer<T>(SimdWidths.Integers<T>((ulong)length, length));
                T expected = T.Zero;
                foreach (var value in values.Span)
                    expected += value;

                Assert.True(expected == VectorOps.Sum<T, TV, TS>(values.Span), $"{typeof(T).Name} V={TS.Count} length {length}");
            }
        }
    }
}

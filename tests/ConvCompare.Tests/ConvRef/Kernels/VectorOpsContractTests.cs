using System.Numerics;
using global::ConvRef.Kernels;

namespace ConvCompare.Tests.ConvRef.Kernels;

/// <summary>
/// The element-wise loops' promises that results on small integers cannot show: the size checks that
/// run before anything is read or written, an empty copy that needs no buffers, a copy without a
/// bias that keeps -0, and a sum that adds whole vectors lane by lane before it adds the lanes.
/// </summary>
public class VectorOpsContractTests
{
    [SkippableTheory]
    [MemberData(nameof(SimdWidths.All), MemberType = typeof(SimdWidths))]
    public void CopyRowsWithoutOffset_KeepsNegativeZeroBitForBit(int bits) => SimdWidths.Run(bits, new NegativeZeroCheck());

    [SkippableTheory]
    [MemberData(nameof(SimdWidths.All), MemberType = typeof(SimdWidths))]
    public void SpanShorterThanTheOperationNeeds_IsRefusedBeforeAnythingIsWritten(int bits) => SimdWidths.Run(bits, new ShortSpanCheck());

    [SkippableTheory]
    [MemberData(nameof(SimdWidths.All), MemberType = typeof(SimdWidths))]
    public void CopyOfNoRowsOrOfEmptyRows_TouchesNoBuffer(int bits) => SimdWidths.Run(bits, new EmptyCopyCheck());

    [SkippableTheory]
    [MemberData(nameof(SimdWidths.All), MemberType = typeof(SimdWidths))]
    public void Sum_AddsWholeVectorsLaneByLane_BeforeAddingTheLanes(int bits) => SimdWidths.Run(bits, new SumOrderCheck());

    /// <summary>-0 at every position of rows as narrow as one element and as wide as three vectors: adding a zero bias would make it +0.</summary>
    private readonly struct NegativeZeroCheck : IKernelCheck
    {
        public void Run<T, TV, TS>()
            where T : unmanaged, IFloatingPointIeee754<T>
            where TV : struct
            where TS : struct, ISimd<T, TV>
        {
            foreach (int width in SimdWidths.LengthsThrough(TS.Count).Where(w => w > 0))
            {
                var source = Enumerable.Repeat(T.NegativeZero, 2 * width).ToArray();
                var destination = Enumerable.Repeat(T.One, 2 * width).ToArray();
                VectorOps.CopyRows<T, TV, TS>(source, width, destination, width, 2, width);
                Assert.True(destination.All(T.IsNegative), $"{typeof(T).Name} V={TS.Count} width {width}");
            }
        }
    }

    /// <summary>
    /// Two whole vectors: 2^(p+1) and then V - 1 ones, and -2^(p+1) and then V - 1 ones. Added lane by
    /// lane first, as the vector loop does, the big values cancel exactly and every lane is an exact
    /// small integer, so any order of adding the lanes gives 2(V - 1). Were the second vector left to the
    /// element-by-element tail, the first would be reduced with 2^(p+1) in it, whose ulp is 4, so the
    /// ones could come back only as a multiple of 4 and the result would differ by an odd number.
    /// </summary>
    private readonly struct SumOrderCheck : IKernelCheck
    {
        public void Run<T, TV, TS>()
            where T : unmanaged, IFloatingPointIeee754<T>
            where TV : struct
            where TS : struct, ISimd<T, TV>
        {
            int v = TS.Count;
            T big = T.ScaleB(T.One, typeof(T) == typeof(float) ? 25 : 54);
            var values = Enumerable.Repeat(T.One, 2 * v).ToArray();
            values[0] = big;
            values[v] = -big;
            Assert.Equal(T.CreateChecked(2 * (v - 1)), VectorOps.Sum<T, TV, TS>(values));
        }
    }

    /// <summary>Each span one element short of what the call reads or writes; the destination keeps its values.</summary>
    private readonly struct ShortSpanCheck : IKernelCheck
    {
        public void Run<T, TV, TS>()
            where T : unmanaged, IFloatingPointIeee754<T>
            where TV : struct
            where TS : struct, ISimd<T, TV>
        {
            int v = TS.Count;
            foreach (int width in new[] { 1, v, 2 * v + 1 })
            {
                int stride = width + 2, needed = 2 * stride + width;
                var source = SimdWidths.Integers<T>(1, needed);
                var destination = SimdWidths.Integers<T>(2, needed);
                var before = destination.ToArray();
                Assert.Throws<ArgumentOutOfRangeException>(() => VectorOps.CopyRows<T, TV, TS>(source.AsSpan(0, needed - 1), stride, destination, stride, 3, width));
                Assert.Throws<ArgumentOutOfRangeException>(() => VectorOps.CopyRows<T, TV, TS>(source, stride, destination.AsSpan(0, needed - 1), stride, 3, width));
                Assert.Equal(before, destination);
            }
            foreach (int length in new[] { 1, v, 2 * v + 1 })
            {
                var source = SimdWidths.Integers<T>(3, length);
                var destination = SimdWidths.Integers<T>(4, length);
                var before = destination.ToArray();
                Assert.Throws<ArgumentOutOfRangeException>(() => VectorOps.AddInto<T, TV, TS>(destination.AsSpan(0, length - 1), source));
                Assert.Throws<ArgumentOutOfRangeException>(() => VectorOps.AddScaled<T, TV, TS>(destination.AsSpan(0, length - 1), T.One, source));
                Assert.Equal(before, destination);
            }
        }
    }

    /// <summary>Zero rows, or rows of zero width, with strides that would put earlier rows before the spans' start: nothing to check, nothing read.</summary>
    private readonly struct EmptyCopyCheck : IKernelCheck
    {
        public void Run<T, TV, TS>()
            where T : unmanaged, IFloatingPointIeee754<T>
            where TV : struct
            where TS : struct, ISimd<T, TV>
        {
            int v = TS.Count;
            VectorOps.CopyRows<T, TV, TS>([], 1, [], 1, 0, 2 * v);
            VectorOps.CopyRows<T, TV, TS>([], 3, [], 3, 2, 0);
            VectorOps.CopyRows<T, TV, TS>([], 1, [], 1, -1, 2 * v);
            VectorOps.CopyRows<T, TV, TS>([], 3, [], 3, 2, -1);
        }
    }
}

using System.Numerics;
using System.Runtime.Intrinsics;
using global::ConvRef.Kernels;

namespace ConvCompare.Tests.ConvRef.Kernels;

/// <summary>
/// The micro-kernels on buffers that end at a guard page, each exactly as long as the kernel's
/// documented extent, over depths and lengths around every vector boundary, in float and double at
/// each accelerated width: a read or write past an extent fails the kernel's assert, and the results
/// (small integers, so exact in any summation order) equal a plain recomputation, lane for lane where
/// the kernel says which lane a sum lands in.
/// </summary>
public class MicroKernelExtentTests
{
    private static readonly int[] Depths = [0, 1, 2, 7, 8, 9, 16, 17];

    [SkippableTheory]
    [MemberData(nameof(SimdWidths.All), MemberType = typeof(SimdWidths))]
    public void Gemm_StaysInsideItsExtents_AndComputesTheTile(int bits) => SimdWidths.Run(bits, new GemmCheck());

    [SkippableTheory]
    [MemberData(nameof(SimdWidths.All), MemberType = typeof(SimdWidths))]
    public void GemmRow_StaysInsideItsExtents_AndComputesTheRow(int bits) => SimdWidths.Run(bits, new GemmRowCheck());

    [SkippableTheory]
    [MemberData(nameof(SimdWidths.All), MemberType = typeof(SimdWidths))]
    public void DotBlock_StaysInsideItsExtents_AndAddsTheDotProducts(int bits) => SimdWidths.Run(bits, new DotBlockCheck());

    [SkippableTheory]
    [MemberData(nameof(SimdWidths.All), MemberType = typeof(SimdWidths))]
    public void DotTaps_StaysInsideItsExtents_AndAddsTheDotProducts(int bits) => SimdWidths.Run(bits, new DotTapsCheck());

    [SkippableTheory]
    [MemberData(nameof(SimdWidths.All), MemberType = typeof(SimdWidths))]
    public void AddFolded4_StaysInsideFour128BitVectors_AndAddsEachFoldedVector(int bits) => SimdWidths.Run(bits, new AddFolded4Check());

    /// <summary>B rows at scattered offsets, the last one ending on the guard page; C rows ldc apart, the gaps left alone.</summary>
    private readonly struct GemmCheck : IKernelCheck
    {
        public void Run<T, TV, TS>()
            where T : unmanaged, IFloatingPointIeee754<T>
            where TV : struct
            where TS : struct, ISimd<T, TV>
        {
            int v = TS.Count, panel = MicroKernels.PanelRows;
            foreach (int depth in Depths)
                foreach (int ldc in new[] { 2 * v, 2 * v + 1, 3 * v + 1 })
                    foreach (bool accumulate in new[] { false, true })
                    {
                        ulong seed = (ulong)(depth * 1000 + ldc * 10 + (accumulate ? 1 : 0));
                        int bLength = 3 * v + 5;
                        var rng = new Support.TestRandom(seed);
                        int[] offsetValues = [.. Enumerable.Range(0, depth).Select(k => k == depth - 1 ? bLength - 2 * v : rng.Int(0, bLength - 2 * v))];
                        using var a = new GuardedBuffer<T>(SimdWidths.Integers<T>(seed, depth * panel));
                        using var b = new GuardedBuffer<T>(SimdWidths.Integers<T>(seed + 1, bLength));
                        using var offsets = new GuardedBuffer<int>(offsetValues);
                        using var c = new GuardedBuffer<T>(SimdWidths.Integers<T>(seed + 2, (panel - 1) * ldc + 2 * v));
                        var expected = c.ToArray();
                        for (int r = 0; r < panel; r++)
                            for (int j = 0; j < 2 * v; j++)
                            {
                                T sum = T.Zero;
                                for (int k = 0; k < depth; k++)
                                    sum += a.Span[k * panel + r] * b.Span[offsetValues[k] + j];
                                expected[r * ldc + j] = accumulate ? sum + expected[r * ldc + j] : sum;
                            }

                        MicroKernels.Gemm<T, TV, TS>(a.Span, depth, b.Span, offsets.Span, c.Span, (nuint)ldc, accumulate);
                        Assert.True(expected.AsSpan().SequenceEqual(c.Span), $"{typeof(T).Name} V={v} depth {depth} ldc {ldc} accumulate {accumulate}");
                    }
        }
    }

    /// <summary>A reads a[k·8] alone, so its extent ends at the last depth's first element.</summary>
    private readonly struct GemmRowCheck : IKernelCheck
    {
        public void Run<T, TV, TS>()
            where T : unmanaged, IFloatingPointIeee754<T>
            where TV : struct
            where TS : struct, ISimd<T, TV>
        {
            int v = TS.Count, panel = MicroKernels.PanelRows;
            foreach (int depth in Depths)
                foreach (bool accumulate in new[] { false, true })
                {
                    ulong seed = (ulong)(depth * 10 + (accumulate ? 1 : 0));
                    int bLength = 5 * v + 3;
                    var rng = new Support.TestRandom(seed);
                    int[] offsetValues = [.. Enumerable.Range(0, depth).Select(k => k == depth / 2 ? bLength - 4 * v : rng.Int(0, bLength - 4 * v))];
                    using var a = new GuardedBuffer<T>(SimdWidths.Integers<T>(seed, depth == 0 ? 0 : (depth - 1) * panel + 1));
                    using var b = new GuardedBuffer<T>(SimdWidths.Integers<T>(seed + 1, bLength));
                    using var offsets = new GuardedBuffer<int>(offsetValues);
                    using var c = new GuardedBuffer<T>(SimdWidths.Integers<T>(seed + 2, 4 * v));
                    var expected = c.ToArray();
                    for (int j = 0; j < 4 * v; j++)
                    {
                        T sum = T.Zero;
                        for (int k = 0; k < depth; k++)
                            sum += a.Span[k * panel] * b.Span[offsetValues[k] + j];
                        expected[j] = accumulate ? sum + expected[j] : sum;
                    }

                    MicroKernels.GemmRow<T, TV, TS>(a.Span, depth, b.Span, offsets.Span, c.Span, accumulate);
                    Assert.True(expected.AsSpan().SequenceEqual(c.Span), $"{typeof(T).Name} V={v} depth {depth} accumulate {accumulate}");
                }
        }
    }

    /// <summary>
    /// Every length through 4V + 1; error rows apart with the first on the guard page, input tap rows
    /// overlapping (as neighbouring taps do) with one on the guard page.
    /// </summary>
    private readonly struct DotBlockCheck : IKernelCheck
    {
        public void Run<T, TV, TS>()
            where T : unmanaged, IFloatingPointIeee754<T>
            where TV : struct
            where TS : struct, ISimd<T, TV>
        {
            int v = TS.Count, lanes = Vector128<T>.Count, rows = MicroKernels.DotRows, columns = MicroKernels.DotColumns;
            foreach (int length in SimdWidths.LengthsThrough(v))
            {
                ulong seed = (ulong)length;
                int[] dOffsetValues = [3 * (length + 1), 0, length + 1, 2 * (length + 1)];
                int[] xOffsetValues = [5, 0, 2, 1, 3, 4];
                using var d = new GuardedBuffer<T>(SimdWidths.Integers<T>(seed, 3 * (length + 1) + length));
                using var dOffsets = new GuardedBuffer<int>(dOffsetValues);
                using var x = new GuardedBuffer<T>(SimdWidths.Integers<T>(seed + 1, 5 + length));
                using var xOffsets = new GuardedBuffer<int>(xOffsetValues);
                using var acc = new GuardedBuffer<T>(SimdWidths.Integers<T>(seed + 2, rows * columns * lanes));
                var before = acc.ToArray();

                MicroKernels.DotBlock<T, TV, TS>(d.Span, dOffsets.Span, x.Span, xOffsets.Span, length, acc.Span);

                // The whole vectors fold onto 128 bits, so element t lands in lane t mod (128-bit count); the tail in lane 0.
                int whole = length / v * v;
                var expected = before;
                for (int i = 0; i < rows; i++)
                    for (int j = 0; j < columns; j++)
                        for (int t = 0; t < length; t++)
                            expected[(i * columns + j) * lanes + (t < whole ? t % lanes : 0)] += d.Span[dOffsetValues[i] + t] * x.Span[xOffsetValues[j] + t];
                Assert.True(expected.AsSpan().SequenceEqual(acc.Span), $"{typeof(T).Name} V={v} length {length}");
            }
        }
    }

    /// <summary>Nine tap rows at scattered offsets, the last one ending on the guard page; the sums land in full-width vectors, the tail in lane 0.</summary>
    private readonly struct DotTapsCheck : IKernelCheck
    {
        public void Run<T, TV, TS>()
            where T : unmanaged, IFloatingPointIeee754<T>
            where TV : struct
            where TS : struct, ISimd<T, TV>
        {
            int v = TS.Count, taps = MicroKernels.TapBlock;
            foreach (int length in SimdWidths.LengthsThrough(v))
            {
                ulong seed = (ulong)length + 500;
                int[] xOffsetValues = [7, 0, 2, 1, 3, 6, 5, 4, 8];
                using var d = new GuardedBuffer<T>(SimdWidths.Integers<T>(seed, length));
                using var x = new GuardedBuffer<T>(SimdWidths.Integers<T>(seed + 1, 8 + length));
                using var xOffsets = new GuardedBuffer<int>(xOffsetValues);
                using var acc = new GuardedBuffer<T>(SimdWidths.Integers<T>(seed + 2, taps * v));
                var before = acc.ToArray();

                MicroKernels.DotTaps<T, TV, TS>(d.Span, x.Span, xOffsets.Span, length, acc.Span);

                // Element t of a whole vector lands in lane t mod V, the tail in lane 0.
                int whole = length / v * v;
                var expected = before;
                for (int j = 0; j < taps; j++)
                    for (int t = 0; t < length; t++)
                        expected[j * v + (t < whole ? t % v : 0)] += d.Span[t] * x.Span[xOffsetValues[j] + t];
                Assert.True(expected.AsSpan().SequenceEqual(acc.Span), $"{typeof(T).Name} V={v} length {length}");
            }
        }
    }

    /// <summary>Four vectors folded onto four consecutive 128-bit vectors that end on the guard page.</summary>
    private readonly struct AddFolded4Check : IKernelCheck
    {
        public void Run<T, TV, TS>()
            where T : unmanaged, IFloatingPointIeee754<T>
            where TV : struct
            where TS : struct, ISimd<T, TV>
        {
            int v = TS.Count, lanes = Vector128<T>.Count;
            var sources = SimdWidths.Integers<T>(7, 4 * v);
            using var destination = new GuardedBuffer<T>(SimdWidths.Integers<T>(8, 4 * lanes));
            var before = destination.ToArray();
            TV Vector(int i) => TS.Load(sources, (nuint)(i * v));

            TS.AddFolded4(destination.Span, 0, Vector(0), Vector(1), Vector(2), Vector(3));

            // Fold adds the halves down to 128 bits: lane l of vector i collects every lane m ≡ l (mod the 128-bit count).
            var expected = before;
            for (int i = 0; i < 4; i++)
                for (int m = 0; m < v; m++)
                    expected[i * lanes + m % lanes] += sources[i * v + m];
            Assert.True(expected.AsSpan().SequenceEqual(destination.Span), $"{typeof(T).Name} V={v}");
        }
    }
}

using System.Numerics;
using global::ConvRef.Kernels;

namespace ConvCompare.Tests.ConvRef.Kernels;

/// <summary>
/// The stride-phase shuffles (AVX-512 permutes where the CPU has them, scalar loops otherwise) on
/// guard-page buffers of exactly the lengths they need, every length through 4 x 16 + 1 (both
/// float's 16- and 32-element steps and double's 8 and 16), checked against plain index arithmetic.
/// </summary>
public class PhasePlanesExtentTests
{
    private static readonly IEnumerable<int> Lengths = Enumerable.Range(0, 66);

    [SkippableFact]
    public void Deinterleave_StaysInsideItsSpans_AndSplitsEvenAndOddElements()
    {
        SimdWidths.SkipUnlessGuarded();
        Deinterleave<float>();
        Deinterleave<double>();
    }

    [SkippableFact]
    public void Interleave_StaysInsideItsSpans_AndMergesEvenAndOddElements()
    {
        SimdWidths.SkipUnlessGuarded();
        Interleave<float>();
        Interleave<double>();
    }

    [SkippableFact]
    public void Gather_StaysInsideItsSource_AndTakesEveryStepthElement()
    {
        SimdWidths.SkipUnlessGuarded();
        Gather<float>();
        Gather<double>();
    }

    private static void Deinterleave<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (int length in Lengths)
        {
            using var source = new GuardedBuffer<T>(SimdWidths.Integers<T>((ulong)length, length));
            using var evens = new GuardedBuffer<T>((length + 1) / 2);
            using var odds = new GuardedBuffer<T>(length / 2);

            PhasePlanes<T>.Deinterleave(source.Span, evens.Span, odds.Span);

            var all = source.ToArray();
            Assert.Equal(all.Where((_, i) => i % 2 == 0), evens.ToArray());
            Assert.Equal(all.Where((_, i) => i % 2 == 1), odds.ToArray());
        }
    }

    private static void Interleave<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (int length in Lengths)
        {
            var expected = SimdWidths.Integers<T>((ulong)length, length);
            using var evens = new GuardedBuffer<T>([.. expected.Where((_, i) => i % 2 == 0)]);
            using var odds = new GuardedBuffer<T>([.. expected.Where((_, i) => i % 2 == 1)]);
            using var destination = new GuardedBuffer<T>(length);

            PhasePlanes<T>.Interleave(evens.Span, odds.Span, destination.Span);

            Assert.Equal(expected, destination.ToArray());
        }
    }

    private static void Gather<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (int count in Lengths)
            foreach (int step in new[] { 1, 2, 3 })
                foreach (int first in new[] { 0, 1, 2 })
                {
                    int length = count == 0 ? first : first + (count - 1) * step + 1;
                    using var source = new GuardedBuffer<T>(SimdWidths.Integers<T>((ulong)(count * 10 + step), length));
                    using var destination = new GuardedBuffer<T>(count);

                    PhasePlanes<T>.Gather(source.Span, first, step, destination.Span);

                    Assert.Equal(Enumerable.Range(0, count).Select(t => source.Span[first + t * step]).ToArray(), destination.ToArray());
                }
    }
}

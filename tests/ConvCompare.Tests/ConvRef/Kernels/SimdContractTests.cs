using System.Numerics;
using global::ConvRef.Kernels;

namespace ConvCompare.Tests.ConvRef.Kernels;

/// <summary>
/// What each SIMD width promises beyond the kernels' results, at every accelerated width in float and
/// double: a vector load or store that would end past its span fails the assert (the guard-page tests
/// pass exact lengths, so only a planted overrun shows the assert is there), and a multiply-add rounds
/// once.
/// </summary>
public class SimdContractTests
{
    [SkippableTheory]
    [MemberData(nameof(SimdWidths.All), MemberType = typeof(SimdWidths))]
    public void VectorEndingOnePastTheEnd_FailsTheAssertOfLoadAndStore(int bits) => SimdWidths.Run(bits, new OverrunCheck());

    [SkippableTheory]
    [MemberData(nameof(SimdWidths.All), MemberType = typeof(SimdWidths))]
    public void MultiplyAdd_RoundsOnce(int bits) => SimdWidths.Run(bits, new FusedCheck());

    /// <summary>Views one element short of two vectors, cut from longer arrays: without the assert the access would succeed.</summary>
    private readonly struct OverrunCheck : IKernelCheck
    {
        public void Run<T, TV, TS>()
            where T : unmanaged, IFloatingPointIeee754<T>
            where TV : struct
            where TS : struct, ISimd<T, TV>
        {
            int v = TS.Count;
            var values = new T[2 * v];
            Assert.Throws<DebugAssertException>(() => TS.Load(values.AsSpan(0, 2 * v - 1), (nuint)v));
            Assert.Throws<DebugAssertException>(() => TS.Store(TS.Zero, values.AsSpan(0, 2 * v - 1), (nuint)v));
            var view = values.AsSpan(0, 2 * v - 1);
            TS.Store(TS.Load(view, (nuint)v - 1), view, (nuint)v - 1);
        }
    }

    /// <summary>
    /// (1 + e)·(1 + e) - (1 + 2e) is exactly e², with e = 2^-13 in float (p = 24) and 2^-28 in double
    /// (p = 53): e² is below half an ulp of 1 + 2e, so a product rounded before the addition loses it
    /// and gives 0.
    /// </summary>
    private readonly struct FusedCheck : IKernelCheck
    {
        public void Run<T, TV, TS>()
            where T : unmanaged, IFloatingPointIeee754<T>
            where TV : struct
            where TS : struct, ISimd<T, TV>
        {
            T e = T.ScaleB(T.One, typeof(T) == typeof(float) ? -13 : -28);
            T onePlusE = T.One + e;
            var result = new T[TS.Count];
            TS.Store(TS.MultiplyAdd(TS.Broadcast(onePlusE), TS.Broadcast(onePlusE), TS.Broadcast(-(T.One + e + e))), result, 0);
            Assert.All(result, lane => Assert.Equal(e * e, lane));
        }
    }
}

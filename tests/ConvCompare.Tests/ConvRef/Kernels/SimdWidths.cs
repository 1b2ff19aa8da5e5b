using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using global::ConvRef.Kernels;

namespace ConvCompare.Tests.ConvRef.Kernels;

/// <summary>A check written once on <see cref="ISimd{T, TV}"/> and run for each width and element type.</summary>
internal interface IKernelCheck
{
    void Run<T, TV, TS>()
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>;
}

/// <summary>Runs kernel checks at each SIMD width, float and double, on guard-page buffers.</summary>
internal static class SimdWidths
{
    public static TheoryData<int> All() => new() { 512, 256, 128 };

    /// <summary>
    /// Runs <paramref name="check"/> in float and double at <paramref name="bits"/>, skipping (with the
    /// reason) a width the CPU does not accelerate, and where a guarded overrun could not fail a test.
    /// </summary>
    public static void Run(int bits, IKernelCheck check)
    {
        SkipUnlessGuarded();
        bool accelerated = bits switch
        {
            512 => Vector512.IsHardwareAccelerated,
            256 => Vector256.IsHardwareAccelerated,
            _ => Vector128.IsHardwareAccelerated,
        };
        Skip.IfNot(accelerated, $"{bits}-bit vectors are not accelerated on this CPU");
        switch (bits)
        {
            case 512:
                check.Run<float, Vector512<float>, Simd512<float>>();
                check.Run<double, Vector512<double>, Simd512<double>>();
                break;
            case 256:
                check.Run<float, Vector256<float>, Simd256<float>>();
                check.Run<double, Vector256<double>, Simd256<double>>();
                break;
            default:
                check.Run<float, Vector128<float>, Simd128<float>>();
                check.Run<double, Vector128<double>, Simd128<double>>();
                break;
        }
    }

    /// <summary>
    /// Guard pages come from Linux's mmap; and only with ConvRef's asserts compiled in (a Debug build,
    /// as the tests use) does an overrun fail the test at the assert before it reaches the guard page,
    /// where it would end the test host instead.
    /// </summary>
    public static void SkipUnlessGuarded()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64,
            "guard-page buffers are mapped with Linux's mmap flags");
        Skip.IfNot(KernelAssertsCompiledIn(), "ConvRef was built without DEBUG, so its extent asserts are compiled out");
    }

    /// <summary>Every length from 0 to 4V + 1, so each vector boundary (V - 1, V, V + 1, 2V - 1, ...) is hit.</summary>
    public static IEnumerable<int> LengthsThrough(int vectorCount) => Enumerable.Range(0, 4 * vectorCount + 2);

    /// <summary>Small integers: every sum and product the kernels form of them is exact, in any order.</summary>
    public static T[] Integers<T>(ulong seed, int count) where T : IFloatingPointIeee754<T>
    {
        var rng = new Support.TestRandom(seed);
        return [.. Enumerable.Range(0, count).Select(_ => T.CreateChecked(rng.Int(-4, 4)))];
    }

    private static bool KernelAssertsCompiledIn()
    {
        try
        {
            // One past the end of an empty view of a real array: harmless to read if no assert stops it.
            _ = Extent.At(new int[1].AsSpan(0, 0), 0);
            return false;
        }
        catch (DebugAssertException)
        {
            return true;
        }
    }
}

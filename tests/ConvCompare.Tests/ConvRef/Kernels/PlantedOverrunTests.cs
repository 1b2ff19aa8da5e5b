using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using global::ConvRef.Kernels;

namespace ConvCompare.Tests.ConvRef.Kernels;

/// <summary>
/// The asserts the guard-page tests rely on do fire, and fail the test rather than the test host:
/// off-by-one errors planted in a kernel (through its SIMD type parameter) and in a caller's sizing
/// are each caught. The spans here are views of longer ordinary arrays, so were an assert missing,
/// the overrun would read a neighbouring element and the test would fail for want of the exception,
/// never by a fault.
/// </summary>
public class PlantedOverrunTests
{
    [Fact]
    public void ElementOnePastTheEnd_FailsTheAssert()
    {
        var values = new double[4];
        Assert.Throws<DebugAssertException>(() => Extent.At(values.AsSpan(0, 3), 3));
        Assert.Throws<DebugAssertException>(() => Extent.From(values.AsSpan(0, 3), 4).Length);
        Assert.Equal(0, Extent.From(values.AsSpan(0, 3), 3).Length);
    }

    [Fact]
    public void VectorEndingOnePastTheEnd_FailsTheAssert()
    {
        int v = Vector128<float>.Count;
        var values = new float[2 * v];
        Assert.Throws<DebugAssertException>(() => Simd128<float>.Load(values.AsSpan(0, 2 * v - 1), (nuint)v));
        Assert.Throws<DebugAssertException>(() => Simd128<float>.Store(Vector128<float>.One, values.AsSpan(0, 2 * v - 1), (nuint)v));
        Simd128<float>.Store(Simd128<float>.Load(values.AsSpan(0, 2 * v - 1), (nuint)v - 1), values.AsSpan(0, 2 * v - 1), (nuint)v - 1);
    }

    public static TheoryData<string> Kernels() => new() { "Sum", "AddInto", "CopyRows", "Gemm", "GemmRow", "DotBlock" };

    /// <summary>The kernel itself off by one: every vector it loads or stores lies one element further on.</summary>
    [Theory]
    [MemberData(nameof(Kernels))]
    public void KernelWithPlantedOffByOne_FailsItsAssert(string kernel)
    {
        var exception = Assert.Throws<DebugAssertException>(() => RunExactlySized<float, Vector128<float>, ShiftedSimd>(kernel));
        Assert.Contains("outside a span", exception.Message);
    }

    /// <summary>The same calls with the true kernels run clean, so the failures above are the planted shift's.</summary>
    [Theory]
    [MemberData(nameof(Kernels))]
    public void KernelWithoutPlantedError_PassesItsAsserts(string kernel) =>
        RunExactlySized<float, Vector128<float>, Simd128<float>>(kernel);

    [Fact]
    public void CallerSizingTheLastBRowOneShort_FailsGemmsAssert()
    {
        int v = Vector128<float>.Count, panel = MicroKernels.PanelRows;
        var b = new float[3 * v];
        Assert.Throws<DebugAssertException>(() => MicroKernels.Gemm<float, Vector128<float>, Simd128<float>>(
            new float[panel], 1, b.AsSpan(0, 3 * v - 1), [v], new float[(panel - 1) * 2 * v + 2 * v], (nuint)(2 * v), false));
    }

    [Fact]
    public void CallerSizingTheAccumulatorsOneShort_FailsDotBlocksAssert()
    {
        int lanes = Vector128<double>.Count, length = 2 * Vector256<double>.Count + 1;
        var acc = new double[MicroKernels.DotRows * MicroKernels.DotColumns * lanes];
        Assert.Throws<DebugAssertException>(() => MicroKernels.DotBlock<double, Vector128<double>, Simd128<double>>(
            new double[length], new int[4], new double[length], new int[6], length, acc.AsSpan(0, acc.Length - 1)));
    }

    /// <summary>Each kernel on spans exactly as long as its contract says, cut from arrays with room to spare.</summary>
    private static void RunExactlySized<T, TV, TS>(string kernel)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TS : struct, ISimd<T, TV>
    {
        int v = TS.Count, panel = MicroKernels.PanelRows, lanes = Vector128<T>.Count;
        Span<T> Exact(int length) => new T[length + 4 * v].AsSpan(0, length);
        switch (kernel)
        {
            case "Sum":
                VectorOps.Sum<T, TV, TS>(Exact(2 * v));
                break;
            case "AddInto":
                VectorOps.AddInto<T, TV, TS>(Exact(2 * v), Exact(2 * v));
                break;
            case "CopyRows":
                VectorOps.CopyRows<T, TV, TS>(Exact(2 * v), 0, Exact(2 * v), 0, 1, 2 * v);
                break;
            case "Gemm":
                MicroKernels.Gemm<T, TV, TS>(Exact(panel), 1, Exact(2 * v), new int[1], Exact((panel - 1) * 2 * v + 2 * v), (nuint)(2 * v), true);
                break;
            case "GemmRow":
                MicroKernels.GemmRow<T, TV, TS>(Exact(1), 1, Exact(4 * v), new int[1], Exact(4 * v), true);
                break;
            case "DotBlock":
                MicroKernels.DotBlock<T, TV, TS>(Exact(2 * v), new int[4], Exact(2 * v), new int[6], 2 * v, Exact(MicroKernels.DotRows * MicroKernels.DotColumns * lanes));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "no such kernel");
        }
    }

    /// <summary>128-bit vectors whose loads and stores land one element past where the kernel asks: a planted off-by-one.</summary>
    private readonly struct ShiftedSimd : ISimd<float, Vector128<float>>
    {
        public static int Count => Simd128<float>.Count;
        public static Vector128<float> Zero => Simd128<float>.Zero;

        public static Vector128<float> Load(ReadOnlySpan<float> source, nuint offset) => Simd128<float>.Load(source, offset + 1);

        public static void Store(Vector128<float> value, Span<float> destination, nuint offset) => Simd128<float>.Store(value, destination, offset + 1);

        public static Vector128<float> Broadcast(float value) => Simd128<float>.Broadcast(value);

        public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Simd128<float>.MultiplyAdd(a, b, c);

        public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => Simd128<float>.Add(a, b);

        public static float Sum(Vector128<float> value) => Simd128<float>.Sum(value);

        public static void AddFolded4(Span<float> destination, nuint offset, Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> d) =>
            Simd128<float>.AddFolded4(destination, offset + 1, a, b, c, d);
    }
}

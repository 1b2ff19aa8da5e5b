using System.Numerics;
using System.Runtime.Intrinsics;
using global::ConvRef;
using global::ConvRef.Kernels;

namespace ConvCompare.Tests.ConvRef.Kernels;

/// <summary>
/// The phase-plane window against its definition, element by element: phase (ry, rx) of channel c holds
/// Pad(a_c)[(oh0 + i)·sH + ry, j·sW + rx] at row i, column j, zero wherever that is padding or lies past
/// the padded input, and zero in the slack after the last plane; tap (c, kh, kw) of output (oh, ow) is at
/// TapOffsets[(c·kH + kh)·kW + kw] + (oh - oh0)·RowLength + ow. The buffer is filled with NaN before
/// every fill, so an element the fill leaves alone shows, and a window is filled twice to check that it
/// can be reused. Input values are 1, 2, 3, ... (exact in float32), so a value from the wrong place is
/// never mistaken for the right one or for padding.
/// </summary>
public class PhasePlanesLayoutTests
{
    /// <summary>
    /// Geometries through each way of splitting a row (stride 1, stride 2 with even and odd left padding,
    /// strides 3 and 4), with padding on every side, dilation, two groups of two channels and a second
    /// sample, so the channel, group and sample offsets all matter.
    /// </summary>
    public static TheoryData<int, int, int, int, int, int, int> Geometries() => new()
    {
        // strideH, strideW, padTop, padBottom, padLeft, padRight, dilation
        { 1, 1, 0, 0, 0, 0, 1 },
        { 1, 1, 2, 1, 1, 2, 1 },
        { 2, 2, 1, 2, 1, 0, 1 },
        { 2, 2, 2, 0, 2, 3, 2 },
        { 1, 2, 0, 1, 3, 1, 1 },
        { 3, 3, 2, 2, 1, 2, 1 },
        { 2, 4, 1, 3, 2, 1, 2 },
        { 4, 3, 3, 0, 0, 3, 1 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Fill_PutsEveryPaddedInputElementInItsPhase_AndZerosElsewhere(int strideH, int strideW, int padTop, int padBottom,
        int padLeft, int padRight, int dilation)
    {
        var geometry = Geometry(strideH, strideW, padTop, padBottom, padLeft, padRight, dilation);
        CheckFills<float>(geometry);
        CheckFills<double>(geometry);
    }

    /// <summary>
    /// An input two columns wide under stride 4 with one column of left padding: column phases 0 and 3
    /// get no input column at all (the first column they would take, 3 and 2, is past the input).
    /// </summary>
    [Fact]
    public void Fill_OfAnInputNarrowerThanTheStride_LeavesThePhasesItHasNoColumnForZero()
    {
        var geometry = Conv2dGeometry.Create([2, 4, 7, 2], [2, 2, 3, 1],
            new Conv2dSpec { StrideH = 2, StrideW = 4, PadTop = 1, PadLeft = 1, PadRight = 1, Groups = 2 });
        CheckFills<float>(geometry);
        CheckFills<double>(geometry);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void TapOffsets_ReadEachTapOfEachOutputPosition(int strideH, int strideW, int padTop, int padBottom,
        int padLeft, int padRight, int dilation)
    {
        var geometry = Geometry(strideH, strideW, padTop, padBottom, padLeft, padRight, dilation);
        var input = Input<float>(geometry);
        int rows = Math.Max(1, geometry.OutH - 1);
        foreach (int oh0 in new[] { 0, geometry.OutH - rows })
        {
            using var planes = PhasePlanes<float>.Build<Vector128<float>, Simd128<float>>(geometry, input, 1, 1, oh0, rows, 0);
            var elements = planes.Elements;
            var spec = geometry.Spec;
            int t = 0;
            for (int c = 0; c < geometry.InChannelsPerGroup; c++)
                for (int kh = 0; kh < geometry.KernelH; kh++)
                    for (int kw = 0; kw < geometry.KernelW; kw++, t++)
                        for (int oh = oh0; oh < oh0 + rows; oh++)
                            for (int ow = 0; ow < geometry.OutW; ow++)
                            {
                                float expected = Padded(geometry, input, 1, 1 * geometry.InChannelsPerGroup + c,
                                    oh * spec.StrideH + kh * spec.DilationH, ow * spec.StrideW + kw * spec.DilationW);
                                Assert.Equal(expected, elements[planes.TapOffsets[t] + (oh - oh0) * planes.RowLength + ow]);
                            }
        }
    }

    /// <summary>
    /// The junk columns ow = OutW .. RowLength - 1 of the last output row of the last tap, and the
    /// <c>slack</c> elements after them, are inside the window (the kernels read them unchecked), and
    /// the window is no larger than the allocation limit counts for it.
    /// </summary>
    [Theory]
    [MemberData(nameof(Geometries))]
    public void LastTapsRow_AndTheSlackAfterIt_LieInsideTheWindow(int strideH, int strideW, int padTop, int padBottom,
        int padLeft, int padRight, int dilation)
    {
        var geometry = Geometry(strideH, strideW, padTop, padBottom, padLeft, padRight, dilation);
        // The most slack the engine asks for: two micro-kernel widths of 2 x 32 floats.
        const int slack = 128;
        using var planes = PhasePlanes<float>.Allocate(geometry, geometry.OutH, slack);
        int end = planes.TapOffsets.Max() + geometry.OutH * planes.RowLength + slack;
        Assert.True(end <= planes.Length, $"tap rows and slack end at {end}, past the window's {planes.Length} elements");
        Assert.True(planes.Length <= PhasePlanes<float>.ElementsFor(geometry, geometry.OutH),
            $"the window of {planes.Length} elements exceeds the {PhasePlanes<float>.ElementsFor(geometry, geometry.OutH)} the allocation limit counts");
    }

    /// <summary>
    /// row[iw] is padded column iw + padLeft, which lies in column phase (iw + padLeft) mod sW at column
    /// (iw + padLeft) / sW; rows long enough for the AVX-512 interleave (32 floats, 16 doubles) included.
    /// </summary>
    [Fact]
    public void JoinRow_TakesEachColumnFromItsPhase()
    {
        JoinRows<float>();
        JoinRows<double>();
    }

    /// <summary>
    /// The shuffles check their spans once, before vector loops that go without bounds checks: a half
    /// too short for the source (or a destination too short for the halves) is refused, naming it, at a
    /// length (33) that reaches the AVX-512 loops.
    /// </summary>
    [Fact]
    public void DeinterleaveAndInterleave_RefuseSpansTooShort_NamingThem()
    {
        var source = new float[33];
        Assert.Equal("evens.Length", Assert.Throws<ArgumentOutOfRangeException>(() => PhasePlanes<float>.Deinterleave(source, new float[16], new float[16])).ParamName);
        Assert.Equal("odds.Length", Assert.Throws<ArgumentOutOfRangeException>(() => PhasePlanes<float>.Deinterleave(source, new float[17], new float[15])).ParamName);
        Assert.Equal("evens.Length", Assert.Throws<ArgumentOutOfRangeException>(() => PhasePlanes<float>.Interleave(new float[15], new float[16], new float[33])).ParamName);
        Assert.Equal("destination.Length", Assert.Throws<ArgumentOutOfRangeException>(() => PhasePlanes<float>.Interleave(new float[17], new float[16], new float[31])).ParamName);
    }

    /// <summary>
    /// Gather checks its last read once, up front, so its loop can read unchecked: a source one element
    /// too short for first + (count - 1)·step is refused by the span's own bounds check.
    /// </summary>
    [Fact]
    public void Gather_RefusesASourceTooShortForItsLastStep()
    {
        Assert.Throws<IndexOutOfRangeException>(() => PhasePlanes<float>.Gather(new float[5], 1, 2, new float[3]));
        var destination = new float[3];
        PhasePlanes<float>.Gather([1, 2, 3, 4, 5, 6], 1, 2, destination);
        Assert.Equal([2f, 4f, 6f], destination);
    }

    private static void JoinRows<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int phaseStride = 100;
        foreach (int strideW in new[] { 1, 2, 3, 4 })
            foreach (int padLeft in new[] { 0, 1, 2, 3 })
                foreach (int w in new[] { 0, 1, 2, 5, 31, 32, 33, 70 })
                {
                    var phaseRow = new T[strideW * phaseStride];
                    for (int rx = 0; rx < strideW; rx++)
                        for (int column = 0; column < phaseStride; column++)
                            phaseRow[rx * phaseStride + column] = T.CreateChecked(1000 * rx + column + 1);
                    var row = Enumerable.Repeat(T.NaN, w).ToArray();

                    PhasePlanes<T>.JoinRow(phaseRow, phaseStride, strideW, padLeft, row);

                    var expected = Enumerable.Range(0, w)
                        .Select(iw => T.CreateChecked(1000 * ((iw + padLeft) % strideW) + (iw + padLeft) / strideW + 1));
                    Assert.Equal(expected, row);
                }
    }

    private static void CheckFills<T>(Conv2dGeometry geometry) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = Input<T>(geometry);
        int rows = Math.Max(1, geometry.OutH - 2);
        using var planes = PhasePlanes<T>.Allocate(geometry, rows, 40);
        // The first fill starts at row 0 (padding above), the second at the last chunk (padding below);
        // each at every SIMD width this CPU accelerates.
        foreach (var (n, g, oh0) in new[] { (1, 1, 0), (0, 1, geometry.OutH - rows), (1, 0, geometry.OutH - rows) })
        {
            Fill(planes, geometry, input, n, g, oh0, 128);
            CheckWindow(planes, geometry, input, n, g, oh0);
            if (Vector512.IsHardwareAccelerated)
            {
                Fill(planes, geometry, input, n, g, oh0, 512);
                CheckWindow(planes, geometry, input, n, g, oh0);
            }
        }
    }

    private static void Fill<T>(PhasePlanes<T> planes, Conv2dGeometry geometry, Tensor<T> input, int n, int g, int oh0, int bits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Array.Fill(planes.Buffer, T.NaN);
        if (bits == 512)
            planes.Fill<Vector512<T>, Simd512<T>>(geometry, input, n, g, oh0);
        else
            planes.Fill<Vector128<T>, Simd128<T>>(geometry, input, n, g, oh0);
    }

    private static void CheckWindow<T>(PhasePlanes<T> planes, Conv2dGeometry geometry, Tensor<T> input, int n, int g, int oh0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var spec = geometry.Spec;
        var elements = planes.Elements;
        int channels = geometry.InChannelsPerGroup;
        for (int c = 0; c < channels; c++)
            for (int ry = 0; ry < spec.StrideH; ry++)
                for (int rx = 0; rx < spec.StrideW; rx++)
                    for (int i = 0; i < planes.PhaseRows; i++)
                        for (int j = 0; j < planes.RowLength; j++)
                        {
                            T expected = Padded(geometry, input, n, g * channels + c, (oh0 + i) * spec.StrideH + ry, j * spec.StrideW + rx);
                            int at = c * planes.ChannelStride + (ry * spec.StrideW + rx) * planes.PhaseStride + i * planes.RowLength + j;
                            Assert.True(expected == elements[at],
                                $"channel {c}, phase ({ry}, {rx}), row {i}, column {j} (n {n}, g {g}, oh0 {oh0}): {elements[at]}, not {expected}");
                        }
        for (int at = channels * planes.ChannelStride; at < planes.Length; at++)
            Assert.True(elements[at] == T.Zero, $"slack element {at} is {elements[at]}, not zero");
    }

    /// <summary>Pad(a_c)[y, x] of sample n, input channel c (of all groups), from the definition of zero padding.</summary>
    private static T Padded<T>(Conv2dGeometry geometry, Tensor<T> input, int n, int c, int y, int x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int row = y - geometry.Spec.PadTop, column = x - geometry.Spec.PadLeft;
        return row >= 0 && row < geometry.InH && column >= 0 && column < geometry.InW ? input[n, c, row, column] : T.Zero;
    }

    /// <summary>Two samples, two groups of two channels, 7 x 9 input, 3 x 2 kernel.</summary>
    private static Conv2dGeometry Geometry(int strideH, int strideW, int padTop, int padBottom, int padLeft, int padRight, int dilation) =>
        Conv2dGeometry.Create([2, 4, 7, 9], [2, 2, 3, 2], new Conv2dSpec
        {
            StrideH = strideH, StrideW = strideW, PadTop = padTop, PadBottom = padBottom, PadLeft = padLeft, PadRight = padRight,
            DilationH = dilation, DilationW = dilation, Groups = 2,
        });

    private static Tensor<T> Input<T>(Conv2dGeometry geometry) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = Tensor<T>.Zeros(geometry.InputShape);
        for (int i = 0; i < input.Length; i++)
            input.Data[i] = T.CreateChecked(i + 1);
        return input;
    }
}

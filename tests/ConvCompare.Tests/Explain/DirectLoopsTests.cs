namespace ConvCompare.Tests.Explain;

/// <summary>The test's own loops against cases worked by hand, so the page tests rest on checked ground.</summary>
public class DirectLoopsTests
{
    [Fact]
    public void ReflectPad_MirrorsWithoutRepeatingTheEdge()
    {
        double[,] x = { { 1, 2, 3 }, { 4, 5, 6 } };
        Assert.Equal(new double[,] { { 5, 4, 5, 6, 5 }, { 2, 1, 2, 3, 2 }, { 5, 4, 5, 6, 5 }, { 2, 1, 2, 3, 2 } }, DirectLoops.ReflectPad(x, 1));
    }

    [Fact]
    public void Stamp_AddsScaledKernelCopiesAtStrideSteps()
    {
        double[,] x = { { 1, 2 } }, k = { { 1, 1 } };
        Assert.Equal(new double[,] { { 1, 1, 2, 2 } }, DirectLoops.Stamp(x, k, 2));
        Assert.Equal(new double[,] { { 1, 3, 2 } }, DirectLoops.Stamp(x, k, 1));
    }

    [Fact]
    public void Correlate_WithStride_SkipsWindows()
    {
        double[,] x = { { 1, 2, 3, 4, 5 } }, k = { { 1, -1 } };
        Assert.Equal(new double[,] { { -1, -1 } }, DirectLoops.Correlate(x, k, 3));
    }

    [Fact]
    public void GradientOfLinear_IsTheCoefficientOfEachElement()
    {
        double[,] x = { { 7, -2 } };
        Assert.Equal(new double[,] { { 3, -5 } }, DirectLoops.GradientOfLinear(x, v => 3 * v[0, 0] - 5 * v[0, 1] + 11));
    }
}

using global::ConvRef.Kernels;

namespace ConvCompare.Tests.ConvRef.Kernels;

/// <summary>
/// The read-only accessors keep the writable ones' contract: on a three-element view of a longer array,
/// the element one past the end and a start one past it fail the assert, and a tail is exactly the
/// elements from its start to the view's end (so the kernels' own asserts, which measure it, see its
/// true length).
/// </summary>
public class ExtentTests
{
    private static readonly double[] Values = [1, 2, 3, 4];

    [Fact]
    public void ReadOnlyElementOnePastTheEnd_FailsTheAssert()
    {
        Assert.Throws<DebugAssertException>(() => Extent.At(new ReadOnlySpan<double>(Values, 0, 3), 3));
        Assert.Equal(3, Extent.At(new ReadOnlySpan<double>(Values, 0, 3), 2));
    }

    [Fact]
    public void ReadOnlyTail_IsTheElementsFromItsStartToTheEnd_AndAStartPastTheEndFailsTheAssert()
    {
        Assert.Throws<DebugAssertException>(() => Extent.From(new ReadOnlySpan<double>(Values, 0, 3), 4).Length);
        Assert.Equal(0, Extent.From(new ReadOnlySpan<double>(Values, 0, 3), 3).Length);
        Assert.Equal([2, 3], Extent.From(new ReadOnlySpan<double>(Values, 0, 3), 1).ToArray());
    }
}

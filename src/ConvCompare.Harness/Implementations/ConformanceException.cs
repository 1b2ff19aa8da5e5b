namespace ConvCompare.Implementations;

/// <summary>
/// An implementation failed a case: thrown by <see cref="Conformance.Assert(IConv2dImplementation, string)"/>,
/// so a test framework reports it as that case's failure. The message names the case, its shrunk
/// variant, the tensor, the worst element with both values and the bound ratio.
/// </summary>
public sealed class ConformanceException : Exception
{
    /// <summary>An empty failure, for serializers; the harness never throws it.</summary>
    public ConformanceException()
    {
    }

    /// <summary>A failure described by <paramref name="message"/> alone.</summary>
    /// <param name="message">What failed.</param>
    public ConformanceException(string message) : base(message)
    {
    }

    /// <summary>A failure described by <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="inner">The cause.</param>
    public ConformanceException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>The case the implementation failed, as <c>convcompare run</c> prints ids.</summary>
    public string CaseId { get; init; } = "";

    /// <summary>The smallest variant of the case on which it still fails (the same id when nothing smaller fails).</summary>
    public string ShrunkId { get; init; } = "";

    /// <summary>The failing tensor: <c>y</c>, <c>dx</c>, <c>dw</c> or <c>db</c>, at second order also <c>d2x</c>, <c>d2w</c> or <c>d2dy</c>; <c>gradcheck</c> when only the numeric gradient check failed; empty when the implementation threw.</summary>
    public string Tensor { get; init; } = "";

    /// <summary>The worst out-of-bound element with both values, e.g. <c>dw[1,0,2,2]: mine 0.5, reference 0.25</c>; empty when none is listed.</summary>
    public string Element { get; init; } = "";

    /// <summary>max |actual - expected| / bound over the tensor: above 1 is beyond rounding error; 0 when the implementation threw.</summary>
    public double BoundRatio { get; init; }
}

namespace ConvCompare.Explain.Model;

/// <summary>
/// One comparison: the largest absolute difference between two computations of the same quantity
/// and the bound it must stay within.
/// </summary>
/// <param name="Quantity">What was compared, e.g. "dJ/dw: ConvRef vs autograd".</param>
/// <param name="MaxAbsDifference">max |x - y| over all elements (NaN when a value is not finite, which fails).</param>
/// <param name="Bound">The allowed maximum; 0 for the integer examples (see <see cref="Examples.ExactIntegers"/>).</param>
internal sealed record Check(string Quantity, double MaxAbsDifference, double Bound)
{
    /// <summary>Within the bound (a NaN difference never passes).</summary>
    public bool Passed => MaxAbsDifference <= Bound;
}

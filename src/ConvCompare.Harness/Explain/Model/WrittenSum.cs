namespace ConvCompare.Explain.Model;

/// <summary>A named number inside a written-out sum, e.g. δ[1,2] = -3.</summary>
internal sealed record Factor(string Symbol, double Value);

/// <summary>One term of a written-out sum: the product of its factors (a single factor for Eq 9).</summary>
internal sealed record SumTerm(IReadOnlyList<Factor> Factors)
{
    /// <summary>The product of the factors' values.</summary>
    public double Value => Factors.Aggregate(1.0, (p, f) => p * f.Value);
}

/// <summary>
/// A sum from the derivation written out term by term with the numbers substituted, e.g. Eq 2's
/// dJ/dw[1,1] = δ[1,1]·a[1,1] + ... ; <see cref="Value"/> is the written arithmetic evaluated here,
/// independently of ConvRef, so it can be checked against ConvRef's tensor.
/// </summary>
/// <param name="Target">What the sum computes, e.g. <c>dJ/dw[1,1]</c>.</param>
/// <param name="Terms">The terms in the derivation's order; empty when nothing reaches the target (a row no window covers).</param>
internal sealed record WrittenSum(string Target, IReadOnlyList<SumTerm> Terms)
{
    /// <summary>The written arithmetic evaluated.</summary>
    public double Value => Terms.Sum(t => t.Value);

    /// <summary>The symbolic form: <c>δ[1,1]·a[1,1] + δ[1,2]·a[1,2]</c>, or <c>0 (no term)</c>.</summary>
    public IReadOnlyList<string> SymbolicTerms =>
        Terms.Select(t => string.Join("·", t.Factors.Select(f => f.Symbol))).ToArray();

    /// <summary>The numeric form of each term: <c>2·(-1)</c>; negative factors in parentheses.</summary>
    public IReadOnlyList<string> NumericTerms =>
        Terms.Select(t => string.Join("·", t.Factors.Select(f => Parenthesized(f.Value)))).ToArray();

    private static string Parenthesized(double v) =>
        v < 0 ? "(" + Numbers.Format(v) + ")" : Numbers.Format(v);
}

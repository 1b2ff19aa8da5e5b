namespace ConvCompare.Checking;

/// <summary>One implementation's verdict on one tensor of a case.</summary>
/// <param name="Tensor">The tensor: <c>y</c>, <c>dx</c>, <c>dw</c>, <c>db</c>, at second order also <c>d2x</c>, <c>d2w</c>, <c>d2dy</c>.</param>
/// <param name="JudgedAgainst">
/// What it was judged against, as the JSON report writes it: the arbiter's name (<c>reference</c>) when the
/// compensated reference judged it, else the other side (the oracle's name for an implementation).
/// </param>
/// <param name="BoundRatio">max |actual - expected| / rounding bound over the tensor: above 1 is beyond rounding error.</param>
/// <param name="Pass">Within bound, and bit for bit the same on one thread where that was checked.</param>
/// <param name="Evidence">When it fails: up to five out-of-bound elements with both values.</param>
public sealed record TensorOutcome(string Tensor, string JudgedAgainst, double BoundRatio, bool Pass, IReadOnlyList<string> Evidence);

namespace ConvCompare.Cases;

/// <summary>
/// What the values of a case look like: uniform in [-1, 1), or one of the patterns of the special-value
/// tier that probe IEEE 754 behaviour every implementation must share. Each has its own id token.
/// </summary>
internal enum ValueKind
{
    /// <summary>a, w, b and dy uniform in [-1, 1) (no id token).</summary>
    Uniform,

    /// <summary>
    /// a and b below the dtype's smallest normal number (<c>sub</c>), so y and dJ/dw are sums of
    /// subnormal products: gradual underflow, not flush to zero, is what the bound's underflow term allows.
    /// </summary>
    Subnormal,

    /// <summary>
    /// a within a factor of 4 of the largest finite float32 (<c>max</c>), with w, b and dy scaled so that
    /// every exact result and every partial sum in any order stays finite: an implementation that
    /// overflows on the way is wrong.
    /// </summary>
    NearMax,

    /// <summary>
    /// Small integers, 40% of them exact zeros (<c>zero</c>): every product and sum is exact in both
    /// dtypes, and many outputs cancel to exactly zero, so the bound allows no error at all there.
    /// </summary>
    ZerosAndCancellation,

    /// <summary>Every element of each tensor equal (<c>equal</c>): all summation orders see the same terms.</summary>
    AllEqual,

    /// <summary>
    /// One to three NaN, +Inf or -Inf in a (<c>nonfinite</c>): compared for propagation, NaN where the
    /// expected value is NaN and an infinity of the same sign where it is infinite. Only a: a
    /// non-finite dy or w would meet padding zeros, and whether Inf times a padding zero (NaN) is part
    /// of the result is a matter of how an implementation pads, not of the definition.
    /// </summary>
    NonFinite,

    /// <summary>
    /// One to three +Inf or -Inf in w (<c>infw</c>), the rest uniform, on a layer without padding: compared
    /// for propagation as <see cref="NonFinite"/> is. Without padding no infinite tap meets a padding zero
    /// in y, and dJ/da (Eq 5) is the definition's sum whatever the stride: the zeros that interleaving puts
    /// between the error's values are no terms of it. Not one of <see cref="ValueKinds.Special"/>'s cycle:
    /// the sweep appends such cases from a stream of their own (<see cref="CaseGeneratorOptions.InfiniteWeightCases"/>).
    /// </summary>
    InfiniteWeights,
}

/// <summary>The id tokens of <see cref="ValueKind"/>.</summary>
internal static class ValueKinds
{
    /// <summary>The special kinds, in the order the special tier cycles through them.</summary>
    public static IReadOnlyList<ValueKind> Special { get; } =
        [ValueKind.Subnormal, ValueKind.NearMax, ValueKind.ZerosAndCancellation, ValueKind.AllEqual, ValueKind.NonFinite];

    /// <summary>The token of <paramref name="kind"/> in ids and reports (uniform for <see cref="ValueKind.Uniform"/>, which ids leave out).</summary>
    public static string Token(ValueKind kind) => kind switch
    {
        ValueKind.Uniform => "uniform",
        ValueKind.Subnormal => "sub",
        ValueKind.NearMax => "max",
        ValueKind.ZerosAndCancellation => "zero",
        ValueKind.AllEqual => "equal",
        ValueKind.NonFinite => "nonfinite",
        ValueKind.InfiniteWeights => "infw",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown value kind"),
    };

    /// <summary>Whether <paramref name="kind"/> puts NaN or infinities into the inputs on purpose.</summary>
    public static bool NonFinite(ValueKind kind) => kind is ValueKind.NonFinite or ValueKind.InfiniteWeights;

    /// <summary>The kind whose token is <paramref name="token"/>; <see cref="ValueKind.Uniform"/> for an empty one.</summary>
    public static ValueKind Parse(string token) =>
        token.Length == 0 ? ValueKind.Uniform : token == Token(ValueKind.InfiniteWeights) ? ValueKind.InfiniteWeights : Special.Single(k => Token(k) == token);
}

using System.Globalization;
using ConvCompare.Comparison;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using ConvRef;

namespace ConvCompare.Cases;

/// <summary>
/// Where a second-order case may clip dJ/dw: at a value c that no correct implementation can place on the other
/// side of any |dJ/dw| than the exact sums lie.
/// </summary>
/// <remarks>
/// <para>To second order, clipping masks gg_w with 1[|dJ/dw| &lt;= c] (the clamp's derivative), a step function of
/// dJ/dw: where one implementation's |dJ/dw_i| is at or below c and another's above, their dL/da and dL/d(dy)
/// differ by a whole term of gg_w_i, which no rounding bound covers. Let r be the compensated reference's dJ/dw
/// (<see cref="CompensatedReference"/>, the judge's own), E_i the bound of an implementation computing in the
/// case's dtype and R_i the reference's (<see cref="RoundingBound.Between"/> gives E_i + R_i, Eq 3/7's K and
/// magnitude). If ||r_i| - c| &gt; E_i + R_i, the exact |dJ/dw_i| is on r_i's side of c by more than E_i
/// (|r_i - dJ/dw_i| &lt;= R_i), so every implementation within its bound, and the reference itself, puts
/// element i on the same side: every mask is the exact one. A case clips only at such a c.</para>
/// <para>With |r| sorted, the elements kept (|r_i| &lt;= c) are the first j, the clipped ones the rest, and c is
/// admissible for that j exactly when max over the first j of |r_i| + E_i + R_i &lt; c &lt; min over the rest of
/// |r_i| - E_i - R_i: one interval per j, empty across a tie (equal |r|, or values closer than their bounds).
/// c is a number of few significant bits near the interval's middle (a multiple of the largest power of two
/// below its half-width), exact in the case's dtype, so every implementation clamps at the same c and the id
/// writes it briefly. The generator picks one admissible interval with the value seed, among those that keep
/// at least one element and clip at least one (else the one below every |r|, which clips them all); where
/// there is none the case stays unclipped.</para>
/// <para>Reading an id runs this check before any resource limit applies, so it is bounded: a second-order case
/// clips only up to <see cref="MaxMultiplyAdds"/> (one compensated dJ/dw and its magnitude, well under a second).</para>
/// <para>A rule of the case, not part of the judge: it draws the case's values (<see cref="CaseInputs"/>, a = g(z) with ConvRef's g as
/// every case's values are drawn) and asks the judge's own reference and bounds where c may lie.</para>
/// </remarks>
internal static class ClipGap
{
    /// <summary>Largest forward cost of a second-order case that clips.</summary>
    public const long MaxMultiplyAdds = 1L << 24;

    /// <summary>The stream the placement draws from, apart from every tensor's (<see cref="CaseInputs"/>).</summary>
    private const ulong PlacementStream = 0x636C6970UL;

    /// <summary>
    /// A clip value for <paramref name="config"/> (its own clip is ignored) in an admissible interval the value seed picks,
    /// or null when there is none or the case is above <see cref="MaxMultiplyAdds"/>.
    /// </summary>
    public static double? Place(CaseConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.MultiplyAdds > MaxMultiplyAdds)
            return null;
        var (magnitudes, bounds) = Clearances(config);
        var admissible = Admissible(magnitudes, bounds, config.Dtype);
        if (admissible.Count == 0)
            return null;
        var rng = new SplitMix64(SplitMix64.Derive(config.ValueSeed, PlacementStream));
        return admissible[rng.Between(0, admissible.Count - 1)];
    }

    /// <summary>
    /// Null when the clip of <paramref name="config"/> (and its value in the case's dtype, which the implementations
    /// clamp at) keeps clear of every |dJ/dw| by more than the dtype's bound plus the reference's, otherwise one sentence saying where it does not.
    /// </summary>
    public static string? Problem(CaseConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        double clip = config.Clip ?? throw new ArgumentException("the case has no clip value", nameof(config));
        string dtype = config.Dtype == CaseDtype.F32 ? "float32" : "float64";
        if (config.MultiplyAdds > MaxMultiplyAdds)
            return $"a second-order case clips only up to {MaxMultiplyAdds} multiply-adds (its clip is checked against the reference's dJ/dw when the id is read), and this one has {config.MultiplyAdds}";
        var (magnitudes, bounds) = Clearances(config);
        double rounded = CaseInputs.Round(clip, config.Dtype);
        double low = Math.Min(clip, rounded), high = Math.Max(clip, rounded);
        int nearest = -1;
        for (int i = 0; i < magnitudes.Length; i++)
            if (magnitudes[i] + bounds[i] >= low && magnitudes[i] - bounds[i] <= high
                && (nearest < 0 || Math.Abs(magnitudes[i] - clip) < Math.Abs(magnitudes[nearest] - clip)))
                nearest = i;
        return nearest < 0 ? null : string.Create(CultureInfo.InvariantCulture,
            $"the clip value {clip:R} of a second-order case lies within the rounding bound ({bounds[nearest]:G3}) of |dJ/dw| = {magnitudes[nearest]:R}, so correct implementations may clamp that entry differently: a second-order clip must keep clear of every |dJ/dw| by more than the {dtype} bound plus the reference's");
    }

    /// <summary>
    /// One clip value per admissible interval (see remarks) of |dJ/dw| values <paramref name="magnitudes"/> with clearances
    /// <paramref name="bounds"/>, exact in <paramref name="dtype"/>, in increasing order: those that keep at least one element and
    /// clip at least one, or else the one below every element (if admissible); empty when there is none.
    /// </summary>
    internal static IReadOnlyList<double> Admissible(double[] magnitudes, double[] bounds, CaseDtype dtype)
    {
        ArgumentNullException.ThrowIfNull(magnitudes);
        ArgumentNullException.ThrowIfNull(bounds);
        int n = magnitudes.Length;
        var order = Enumerable.Range(0, n).OrderBy(i => magnitudes[i]).ThenBy(i => i).ToArray();
        // below[j] = min over sorted positions j.. of |r| - bound: what c must stay under to clip them all.
        var below = new double[n + 1];
        below[n] = double.PositiveInfinity;
        for (int j = n - 1; j >= 0; j--)
            below[j] = Math.Min(below[j + 1], magnitudes[order[j]] - bounds[order[j]]);
        var interior = new List<double>();
        double above = 0;
        for (int j = 1; j < n; j++)
        {
            above = Math.Max(above, magnitudes[order[j - 1]] + bounds[order[j - 1]]);
            if (Inside(above, below[j], dtype) is { } c)
                interior.Add(c);
        }
        return interior.Count > 0 || n == 0 ? interior : Inside(0, below[0], dtype) is { } all ? [all] : [];
    }

    /// <summary>A number of few significant bits strictly inside (<paramref name="low"/>, <paramref name="high"/>), positive and exact in <paramref name="dtype"/>, or null.</summary>
    private static double? Inside(double low, double high, CaseDtype dtype)
    {
        if (!(low < high) || !double.IsFinite(high))
            return null;
        double middle = low + (high - low) / 2;
        double step = Math.ScaleB(1, Math.ILogB((high - low) / 2));
        double c = CaseInputs.Round(Math.Round(middle / step) * step, dtype);
        return c > 0 && c > low && c < high ? c : null;
    }

    /// <summary>|dJ/dw| of the compensated reference (unclipped) and the bound between the case's dtype and the reference, per element.</summary>
    private static (double[] Magnitudes, double[] Bounds) Clearances(CaseConfig config)
    {
        var plain = config with { Clip = null, Order = 1 };
        var inputs = CaseInputs.Create(plain);
        var reference = CompensatedReference.Compute(plain, inputs, TensorKind.Dw);
        var bounds = RoundingBound.Deferred(plain, inputs).Between(TensorKind.Dw, Arithmetic.For(config.Dtype), Arithmetic.CompensatedFloat64);
        return (Array.ConvertAll(reference.Data, Math.Abs), bounds);
    }
}

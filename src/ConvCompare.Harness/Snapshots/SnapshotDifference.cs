using System.Globalization;

namespace ConvCompare.Snapshots;

/// <summary>One way a snapshot moved: a number beyond its tolerance, or a changed text/structure.</summary>
/// <param name="Path">The JSON path, <c>$.tensors.dw.values[3]</c>.</param>
/// <param name="Where">What it is (<c>dw[0,1,0,2]</c>), or the path again for non-numbers.</param>
/// <param name="Stored">The stored text, or <c>(absent)</c>.</param>
/// <param name="Now">The text now, or <c>(absent)</c>.</param>
/// <param name="Tolerance">The number's tolerance, when both sides are numbers.</param>
internal sealed record SnapshotDifference(string Path, string Where, string Stored, string Now, NumberTolerance? Tolerance)
{
    /// <summary>|stored - now| when both sides are numbers.</summary>
    public double? Distance =>
        Tolerance is not null &&
        double.TryParse(Stored, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) &&
        double.TryParse(Now, NumberStyles.Float, CultureInfo.InvariantCulture, out double n)
            ? Math.Abs(s - n)
            : null;

    /// <summary>One readable line: what, stored vs now, and by how many bounds and ulps.</summary>
    public override string ToString()
    {
        string line = $"{Where}: stored {Stored}, now {Now}";
        if (Distance is not { } d || Tolerance is not { } t)
            return Where == Path ? line : line + $" ({Path})";
        line += string.Create(CultureInfo.InvariantCulture, $", |diff| {d:G3}");
        line += t.Bound > 0
            ? string.Create(CultureInfo.InvariantCulture, $" = {d / t.Bound:G3} x its bound {t.Bound:G3}")
            : " (must be exact)";
        if (t.UnitRoundoff > 0 && double.TryParse(Stored, NumberStyles.Float, CultureInfo.InvariantCulture, out double s))
            line += string.Create(CultureInfo.InvariantCulture, $" = {d / Rounding.Ulp(s, t.UnitRoundoff):G3} ulps");
        return Where == Path ? line : line + $" ({Path})";
    }
}

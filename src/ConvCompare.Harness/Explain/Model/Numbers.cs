using System.Globalization;

namespace ConvCompare.Explain.Model;

/// <summary>Number formatting shared by every renderer (invariant culture; integers without a decimal point).</summary>
internal static class Numbers
{
    /// <summary>Integers as <c>-3</c>, others in round-trip form; negative zero as 0.</summary>
    public static string Format(double v) =>
        v == 0 ? "0" : v == Math.Round(v) && Math.Abs(v) < 1e15
            ? v.ToString("F0", CultureInfo.InvariantCulture)
            : v.ToString("R", CultureInfo.InvariantCulture);
}

using ConvCompare.Numerics;

namespace ConvCompare.Snapshots;

/// <summary>How far one stored number may move between two correct runs, and how to report it.</summary>
/// <param name="Bound">Largest allowed |stored - now|; zero means exact.</param>
/// <param name="UnitRoundoff">u of the number's dtype (2^-53 or 2^-24), to express a difference in ulps; zero when not a float.</param>
/// <param name="Where">What the number is, for a diff line: <c>dw[1,0,2,1]</c>, <c>dx sum</c>.</param>
internal readonly record struct NumberTolerance(double Bound, double UnitRoundoff, string Where)
{
    /// <summary>The number is a float32 value and is written in float's round-trip form.</summary>
    public bool IsSingle => UnitRoundoff == Arithmetic.Float32.UnitRoundoff;

    /// <summary>An exact number (a verdict's decade, an integer worked example) of the given dtype.</summary>
    public static NumberTolerance Exact(double unitRoundoff, string where) => new(0, unitRoundoff, where);
}

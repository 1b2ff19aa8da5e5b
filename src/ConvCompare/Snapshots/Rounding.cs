namespace ConvCompare.Snapshots;

/// <summary>Ulps: the unit in which a snapshot diff also reports a move.</summary>
internal static class Rounding
{
    /// <summary>u for float32, 2^-24: marks numbers written in float's round-trip form.</summary>
    public static double UnitRoundoffSingle => Numerics.Arithmetic.Float32.UnitRoundoff;

    /// <summary>u for float64, 2^-53.</summary>
    public static double UnitRoundoffDouble => Numerics.Arithmetic.Float64.UnitRoundoff;

    /// <summary>The spacing of the dtype's values at |<paramref name="value"/>|.</summary>
    public static double Ulp(double value, double unitRoundoff)
    {
        double a = Math.Abs(value);
        if (unitRoundoff == UnitRoundoffSingle)
        {
            float f = (float)a;
            return MathF.BitIncrement(f) - f;
        }
        return Math.BitIncrement(a) - a;
    }
}

using ConvCompare.Numerics;

namespace ConvCompare.Snapshots;

/// <summary>Ulps: the unit in which a snapshot diff also reports a move.</summary>
internal static class Rounding
{
    /// <summary>The spacing of the dtype's values at |<paramref name="value"/>|.</summary>
    public static double Ulp(double value, double unitRoundoff)
    {
        double a = Math.Abs(value);
        if (unitRoundoff == Arithmetic.Float32.UnitRoundoff)
        {
            float f = (float)a;
            return MathF.BitIncrement(f) - f;
        }
        return Math.BitIncrement(a) - a;
    }
}

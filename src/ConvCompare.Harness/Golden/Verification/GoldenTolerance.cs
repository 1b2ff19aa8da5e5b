using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Numerics;

namespace ConvCompare.Golden.Verification;

/// <summary>
/// Per-element tolerances for comparing a recomputed tensor with a golden file's expected values:
/// the harness's <see cref="RoundingBound"/>, plus the rounding of storing a float64 result as float32.
/// </summary>
/// <remarks>
/// The recomputation is within <c>RoundingBound.Of(kind, computing)</c> of the exact value (the
/// file's dtype for an implementation, Dot2 for the compensated reference); the file's producer
/// computed in float64 (the format says so) and is within <c>RoundingBound.Of(kind, float64)</c> of
/// it. A float32 file then stores that result rounded to nearest float, which moves it by at most
/// u_32 |exact result| &lt;= u_32/(1 - u_32) |stored| (Higham, eq. 2.5), u_32 = 2^-24. The tolerance
/// is the sum of the three. For a float64 file the third term is zero.
/// </remarks>
internal static class GoldenTolerance
{
    /// <summary>The tolerance for every element of <paramref name="kind"/>, recomputed in <paramref name="computing"/>.</summary>
    public static double[] Of(RoundingBound bound, TensorKind kind, GoldenCase golden, Arithmetic computing)
    {
        ArgumentNullException.ThrowIfNull(bound);
        ArgumentNullException.ThrowIfNull(golden);
        var tolerance = bound.Between(kind, computing, Arithmetic.Float64);
        if (golden.Dtype == CaseDtype.F32)
        {
            double u = Arithmetic.Float32.UnitRoundoff;
            double storage = u / (1 - u);
            var expected = golden.Expected[kind]!.Data;
            for (int i = 0; i < tolerance.Length; i++)
                tolerance[i] += storage * Math.Abs(expected[i]);
        }
        return tolerance;
    }
}

using ConvCompare.Implementations;

namespace ConvCompare.Limits;

/// <summary>The cost plan of a set of registered implementations.</summary>
internal static class CostPlans
{
    /// <summary>
    /// What computing <paramref name="implementations"/> costs. <see cref="CaseCost"/> counts ConvRef's
    /// two algorithms as they compute; ConvRef's fast algorithm (<see cref="BuiltInImplementations.Fast"/>)
    /// is counted as itself, and any other implementation as the readable one, whose padded and
    /// interleaved planes are the larger need: the safe side for an implementation the harness knows nothing of.
    /// </summary>
    public static CostPlan For(IReadOnlyCollection<IConv2dImplementation> implementations, int oracleRuns, bool gradientCheck, string name) =>
        new(implementations.Any(i => !BuiltInImplementations.IsFast(i)), implementations.Any(BuiltInImplementations.IsFast), oracleRuns, gradientCheck, name);
}

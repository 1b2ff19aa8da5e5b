using System.Globalization;
using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Numerics;

namespace ConvCompare.Tests.ConvRef.Support;

/// <summary>
/// The assertions that hold two computations to a tolerance entry by entry; for a case's outputs the
/// tolerance is the harness's <see cref="RoundingBound"/> between the two arithmetics (Higham's gamma_K
/// times the sum of absolute products, per implementation, summed over both). A test helper around
/// the harness's one bound, not a second bound.
/// </summary>
internal static class AgreementTolerances
{
    /// <summary>
    /// Asserts every element of every output of <paramref name="actual"/> lies within the rounding bound
    /// of <paramref name="expected"/> (y, dJ/da or delta^(l-1), dJ/dw, dJ/db), and that both have a dJ/db
    /// or neither; the message starts with <paramref name="label"/> and the output's name.
    /// </summary>
    public static void AssertOutputsAgree(string label, CaseConfig config, CaseInputs inputs,
        CaseOutputs expected, Arithmetic expectedArithmetic, CaseOutputs actual, Arithmetic actualArithmetic)
    {
        var bound = RoundingBound.Compute(config, inputs);
        foreach (var kind in TensorKinds.All)
        {
            if (expected[kind] is not { } e)
            {
                Assert.Null(actual[kind]);
                continue;
            }
            Assert.NotNull(actual[kind]);
            AssertWithin($"{label} {kind.Name()}", e.Data, actual[kind]!.Data, bound.Between(kind, expectedArithmetic, actualArithmetic));
        }
    }

    /// <summary>Asserts |expected - actual| &lt;= tolerance entry by entry; the message names the quantity, the index and the numbers.</summary>
    public static void AssertWithin(string what, IReadOnlyList<double> expected, IReadOnlyList<double> actual, IReadOnlyList<double> tolerance)
    {
        if (Violation(expected, actual, tolerance) is { } i)
            Assert.Fail(string.Create(CultureInfo.InvariantCulture,
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}, difference {Math.Abs(expected[i] - actual[i]):R} exceeds the rounding bound {tolerance[i]:R}"));
    }

    /// <summary>The first index where the difference exceeds the tolerance (NaN counts as exceeding), or null.</summary>
    public static int? Violation(IReadOnlyList<double> expected, IReadOnlyList<double> actual, IReadOnlyList<double> tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance[i]))
                return i;
        return null;
    }
}

using System.Numerics;
using ConvCompare.Oracles;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Family;

/// <summary>y, dJ/dx (or δ^(l-1)), dJ/dw and dJ/db of a <see cref="FamilyCase"/>, widened to float64 and flattened.</summary>
internal sealed record FamilyRun(double[] Output, double[] Input, double[] Weights, double[]? Bias)
{
    /// <summary>Through ConvRef in precision T.</summary>
    public static FamilyRun Of<T>(FamilyCase c, Conv2dAlgorithm algorithm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = c.Op.Forward(c.InputTensor<T>(), c.WeightTensor<T>(), c.BiasTensor<T>(), c.Spec, algorithm);
        var g = c.Op.Backward(c.InputTensor<T>(), c.WeightTensor<T>(), c.Bias is not null, c.DeltaTensor<T>(), c.Spec, c.Options<T>(), algorithm);
        return new FamilyRun(Wide(y), Wide(g.Input), Wide(g.Weights), g.Bias is null ? null : Wide(g.Bias));
    }

    /// <summary>Through TorchSharp's functions and autograd in float64.</summary>
    public static FamilyRun Torch(FamilyCase c)
    {
        var r = TorchConvolutions.Compute(c.Op, c.Spec, c.InputTensor<double>(), c.WeightTensor<double>(), c.BiasTensor<double>(), c.DeltaTensor<double>(),
            c.Activation, c.PreviousZTensor, c.Clip);
        return new FamilyRun(r.Output.Data, r.InputGradient.Data, r.WeightGradient.Data, r.BiasGradient?.Data);
    }

    /// <summary>Asserts every quantity of <paramref name="actual"/> is within the bounds of <paramref name="expected"/>; the message names the quantity, the index and the numbers.</summary>
    public static void AssertAgree(FamilyRun expected, FamilyRun actual, FamilyBounds.Tolerances tolerances, string label)
    {
        if (FirstViolation(expected, actual, tolerances) is { } violation)
            Assert.Fail($"{label}: {violation}");
    }

    /// <summary>The first entry whose difference exceeds its bound (NaN counts as exceeding), described; null when all agree.</summary>
    public static string? FirstViolation(FamilyRun expected, FamilyRun actual, FamilyBounds.Tolerances tolerances)
    {
        return Check("y", expected.Output, actual.Output, tolerances.Output)
            ?? Check("dJ/dx", expected.Input, actual.Input, tolerances.Input)
            ?? Check("dJ/dw", expected.Weights, actual.Weights, tolerances.Weights)
            ?? (expected.Bias is null != actual.Bias is null ? "dJ/db present on one side only"
                : expected.Bias is null ? null : Check("dJ/db", expected.Bias, actual.Bias!, tolerances.Bias!));

        static string? Check(string what, double[] e, double[] a, double[] t)
        {
            if (e.Length != a.Length)
                return $"{what} has {a.Length} entries, expected {e.Length}";
            for (int i = 0; i < e.Length; i++)
                if (!(Math.Abs(e[i] - a[i]) <= t[i]))
                    return FormattableString.Invariant($"{what}[{i}]: expected {e[i]:R}, got {a[i]:R}, difference {Math.Abs(e[i] - a[i]):R} exceeds the rounding bound {t[i]:R}");
            return null;
        }
    }

    private static double[] Wide<T>(Tensor<T> t) where T : unmanaged, IFloatingPointIeee754<T> => [.. t.Data.Select(double.CreateChecked)];
}

using System.Globalization;
using System.Numerics;
using ConvCompare.Oracles;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.SecondOrder;

/// <summary>dL/da, dL/dw, dL/dδ and dL/dz^(l-1) of a <see cref="SecondOrderCase"/>, widened to float64 and flattened.</summary>
internal sealed record SecondOrderRun(double[] Input, double[] Weights, double[] Delta, double[]? PreviousZ)
{
    /// <summary>Through ConvRef's double backward in precision T: the layer's entry point for a layer case, the family's otherwise.</summary>
    public static SecondOrderRun Of<T>(SecondOrderCase s, Conv2dAlgorithm algorithm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c = s.Case;
        var r = s.LayerSpec is { } spec
            ? Conv2d.DoubleBackward(c.InputTensor<T>(), c.WeightTensor<T>(), c.DeltaTensor<T>(), s.Upstream<T>(), spec, c.Options<T>(), algorithm)
            : c.Op.DoubleBackward(c.InputTensor<T>(), c.WeightTensor<T>(), c.DeltaTensor<T>(), s.Upstream<T>(), c.Spec, c.Options<T>(), algorithm);
        return new SecondOrderRun(Wide(r.Input), Wide(r.Weights), Wide(r.Delta), r.PreviousZ is null ? null : Wide(r.PreviousZ));
    }

    /// <summary>Through TorchSharp's autograd, differentiating its own backward pass, in float64.</summary>
    public static SecondOrderRun Torch(SecondOrderCase s)
    {
        var c = s.Case;
        var up = s.Upstream<double>();
        var r = TorchDoubleBackward.Compute(c.Op, c.Spec, c.InputTensor<double>(), c.WeightTensor<double>(), c.DeltaTensor<double>(),
            up.Input, up.Weights, up.Bias, c.Activation, c.PreviousZTensor, c.Clip);
        return new SecondOrderRun(r.Input.Data, r.Weights.Data, r.Delta.Data, r.PreviousZ?.Data);
    }

    /// <summary>Asserts every quantity of <paramref name="actual"/> is within the bounds of <paramref name="expected"/>.</summary>
    public static void AssertAgree(SecondOrderRun expected, SecondOrderRun actual, SecondOrderBounds.Tolerances tolerances, string label)
    {
        if (FirstViolation(expected, actual, tolerances) is { } violation)
            Assert.Fail($"{label}: {violation}");
    }

    /// <summary>The first entry whose difference exceeds its bound (NaN counts as exceeding), described; null when all agree.</summary>
    public static string? FirstViolation(SecondOrderRun expected, SecondOrderRun actual, SecondOrderBounds.Tolerances tolerances) =>
        Check("dL/ddelta", expected.Delta, actual.Delta, tolerances.Delta)
        ?? Check("dL/dw", expected.Weights, actual.Weights, tolerances.Weights)
        ?? Check("dL/da", expected.Input, actual.Input, tolerances.Input)
        ?? (expected.PreviousZ is null != actual.PreviousZ is null ? "dL/dz present on one side only"
            : expected.PreviousZ is null ? null : Check("dL/dz", expected.PreviousZ, actual.PreviousZ!, tolerances.PreviousZ!));

    private static string? Check(string what, double[] e, double[] a, double[] t)
    {
        if (e.Length != a.Length)
            return $"{what} has {a.Length} entries, expected {e.Length}";
        for (int i = 0; i < e.Length; i++)
            if (!(Math.Abs(e[i] - a[i]) <= t[i]))
                return string.Create(CultureInfo.InvariantCulture,
                    $"{what}[{i}]: expected {e[i]:R}, got {a[i]:R}, difference {Math.Abs(e[i] - a[i]):R} exceeds the rounding bound {t[i]:R}");
        return null;
    }

    private static double[] Wide<T>(Tensor<T> t) where T : unmanaged, IFloatingPointIeee754<T> => [.. t.Data.Select(double.CreateChecked)];
}

using System.Numerics;
using ConvRef;

namespace ConvCompare.Golden.Verification;

/// <summary>Recomputes a golden case with ConvRef, in the precision the file stores (float32 files in float32).</summary>
internal static class ConvRefRecompute
{
    /// <summary>y = conv2d(x, w, b) (Eq 1) and the gradients of J = sum(y .* dy): dx (Eq 5/8), dw (Eq 3/7), db (Eq 9).</summary>
    public static GoldenComputation Run(GoldenCase golden, Conv2dAlgorithm algorithm) =>
        golden.DType == GoldenDType.Float32 ? Run<float>(golden, algorithm) : Run<double>(golden, algorithm);

    private static GoldenComputation Run<T>(GoldenCase golden, Conv2dAlgorithm algorithm)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Exact for float32 files: their values are floats widened to double.
        var x = golden.X.Cast<T>();
        var w = golden.W.Cast<T>();
        var y = Conv2d.Forward(x, w, golden.B?.Cast<T>(), golden.Spec, algorithm);
        var gradients = Conv2d.Backward(x, w, golden.HasBias, golden.Dy.Cast<T>(), golden.Spec, algorithm: algorithm);
        return new GoldenComputation(y.Cast<double>(), gradients.Input.Cast<double>(), gradients.Weights.Cast<double>(),
            gradients.Bias?.Cast<double>());
    }
}

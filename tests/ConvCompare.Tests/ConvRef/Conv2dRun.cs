using System.Numerics;
using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef;

/// <summary>Forward and backward of a <see cref="ConvCase"/> through ConvRef in precision T, results widened to float64.</summary>
internal sealed record Conv2dRun(double[] Z, double[] Input, double[] Weights, double[]? Bias)
{
    public static Conv2dRun Of<T>(ConvCase c, Conv2dAlgorithm algorithm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var z = Conv2d.Forward(c.InputTensor<T>(), c.WeightTensor<T>(), c.BiasTensor<T>(), c.Spec, algorithm);
        var g = Conv2d.Backward(c.InputTensor<T>(), c.WeightTensor<T>(), c.HasBias, c.DeltaTensor<T>(), c.Spec, c.Options<T>(), algorithm);
        return new Conv2dRun(Wide(z), Wide(g.Input), Wide(g.Weights), g.Bias is null ? null : Wide(g.Bias));
    }

    private static double[] Wide<T>(Tensor<T> t) where T : unmanaged, IFloatingPointIeee754<T>
        => [.. t.Data.Select(double.CreateChecked)];
}

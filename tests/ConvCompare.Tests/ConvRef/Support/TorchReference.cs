using ConvCompare.Oracles;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Support;

/// <summary>
/// TorchSharp's conv2d and autograd on a <see cref="ConvCase"/>, through the harness's own oracle code
/// (<see cref="TorchConvolutions"/>), always in float64 (on the same values the float32 runs use:
/// TorchSharp's own float32 input gradient is intermittently wrong on some CPUs, see docs/platform.md).
/// </summary>
internal static class TorchReference
{
    public sealed record Result(double[] Z, double[] Input, double[] Weights, double[]? Bias);

    public static Result Compute(ConvCase c)
    {
        var r = TorchConvolutions.Compute(Convolution.Conv2d, TorchConvolutions.FamilySpec(c.Spec), Tensor(c.Input, c.InputShape),
            Tensor(c.Weights, c.WeightShape), c.Bias is null ? null : Tensor(c.Bias, [c.Bias.Length]), Tensor(c.Delta, c.OutputShape),
            c.Activation, c.PreviousZ is null ? null : Tensor(c.PreviousZ, c.InputShape), c.Clip);
        return new Result(r.Output.Data, r.InputGradient.Data, r.WeightGradient.Data, r.BiasGradient?.Data);
    }

    private static Tensor<double> Tensor(double[] values, int[] shape) => new(shape, values);
}

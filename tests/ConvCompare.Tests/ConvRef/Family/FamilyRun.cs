using ConvCompare.Oracles;

namespace ConvCompare.Tests.ConvRef.Family;

/// <summary>y, dJ/dx (or δ^(l-1)), dJ/dw and dJ/db of a <see cref="FamilyCase"/> through TorchSharp in float64, flattened.</summary>
internal sealed record FamilyRun(double[] Output, double[] Input, double[] Weights, double[]? Bias)
{
    /// <summary>Through TorchSharp's functions and autograd in float64.</summary>
    public static FamilyRun Torch(FamilyCase c)
    {
        var r = TorchConvolutions.Compute(c.Op, c.Spec, c.InputTensor<double>(), c.WeightTensor<double>(), c.BiasTensor<double>(), c.DeltaTensor<double>(),
            c.Activation, c.PreviousZTensor, c.Clip);
        return new FamilyRun(r.Output.Data, r.InputGradient.Data, r.WeightGradient.Data, r.BiasGradient?.Data);
    }
}

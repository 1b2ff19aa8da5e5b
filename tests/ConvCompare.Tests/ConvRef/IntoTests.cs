using global::ConvRef;
using ConvCompare.Tests.ConvRef.Support;

namespace ConvCompare.Tests.ConvRef;

/// <summary>The entry points that write into caller-owned tensors give what the allocating ones return, whatever was there before.</summary>
public class IntoTests
{
    [Theory]
    [InlineData(Conv2dAlgorithm.Serial)]
    [InlineData(Conv2dAlgorithm.Vectorized)]
    public void IntoVariants_OverwriteStaleContents_AndMatchTheAllocatingCalls(Conv2dAlgorithm algorithm)
    {
        var c = ConvCase.Random(31, withActivation: true, withClip: true);
        var input = c.InputTensor<double>();
        var weights = c.WeightTensor<double>();
        var z = Conv2d.Forward(input, weights, c.BiasTensor<double>(), c.Spec, algorithm);
        var grads = Conv2d.Backward(input, weights, true, c.DeltaTensor<double>(), c.Spec, c.Options<double>(), algorithm);

        var output = Filled(z.Shape);
        Conv2d.ForwardInto(input, weights, c.BiasTensor<double>(), c.Spec, output, algorithm);
        var into = new Conv2dGradients<double>(Filled(grads.Input.Shape), Filled(grads.Weights.Shape), Filled([weights.Shape[0]]));
        Conv2d.BackwardInto(input, weights, c.DeltaTensor<double>(), c.Spec, into, c.Options<double>(), algorithm);

        Assert.Equal(z.Data, output.Data);
        Assert.Equal(grads.Input.Data, into.Input.Data);
        Assert.Equal(grads.Weights.Data, into.Weights.Data);
        Assert.Equal(grads.Bias!.Data, into.Bias!.Data);
    }

    private static Tensor<double> Filled(IReadOnlyList<int> shape)
    {
        var t = Tensor<double>.Zeros([.. shape]);
        Array.Fill(t.Data, 12345.0);
        return t;
    }
}

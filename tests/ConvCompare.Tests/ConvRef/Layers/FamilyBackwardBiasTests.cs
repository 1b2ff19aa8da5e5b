using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Layers;

/// <summary>The family's backward pass returns dJ/db exactly when the layer has a bias, as the layer's own entry point does.</summary>
public class FamilyBackwardBiasTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BiasGradient_IsReturnedOnlyForALayerWithABias(bool hasBias)
    {
        var input = new Tensor<double>([1, 1, 3], [1, 2, 3]);
        var weights = new Tensor<double>([2, 1, 2], [1, 0, 0, 1]);
        var delta = new Tensor<double>([1, 2, 2], [1, 2, 3, 4]);
        var gradients = Convolution.Conv1d.Backward(input, weights, hasBias, delta, ConvSpec.Default);
        if (hasBias)
            Assert.Equal([3, 7], gradients.Bias!.Data);
        else
            Assert.Null(gradients.Bias);
    }
}

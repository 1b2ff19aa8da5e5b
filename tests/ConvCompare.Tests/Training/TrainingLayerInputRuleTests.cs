using global::ConvRef;
using static ConvCompare.Tests.Training.Support.LayerCheck;

namespace ConvCompare.Tests.Training;

/// <summary>
/// Each input rule of the training network's layers (dense, flatten, the two poolings, softmax with
/// cross-entropy): a broken rule is refused with an <see cref="ArgumentException"/> that names the
/// parameter and says the rule in its message, and the edge that is still allowed is computed.
/// </summary>
public class TrainingLayerInputRuleTests
{
    private static ArgumentException Refused(Action call, string parameter, string message)
    {
        var error = Assert.Throws<ArgumentException>(call);
        Assert.Equal(parameter, error.ParamName);
        Assert.StartsWith(message, error.Message);
        return error;
    }

    [Fact]
    public void DenseInputThatIsNotAMatrix_IsRefusedNamingInput() =>
        Refused(() => Dense.Forward(Tensor([2, 3, 1], new double[6]), Tensor([4, 3], new double[12]), null),
            "input", "a dense layer needs an N x In input, got [2,3,1]");

    [Fact]
    public void DenseWeightsWithAnotherInputWidthOrRank_AreRefusedNamingWeights()
    {
        Refused(() => Dense.Forward(Tensor([2, 3], new double[6]), Tensor([4, 2], new double[8]), null),
            "weights", "weights [4,2] must be Out x 3 for input [2,3]");
        Refused(() => Dense.Forward(Tensor([2, 3], new double[6]), Tensor([1, 3, 1], new double[3]), null),
            "weights", "weights [1,3,1] must be Out x 3");
    }

    [Fact]
    public void DenseBiasOfAnotherLengthOrRank_IsRefusedNamingBias()
    {
        Refused(() => Dense.Forward(Tensor([2, 3], new double[6]), Tensor([4, 3], new double[12]), Tensor([3], new double[3])),
            "bias", "bias [3] must have length 4");
        Refused(() => Dense.Forward(Tensor([2, 3], new double[6]), Tensor([4, 3], new double[12]), Tensor([4, 1], new double[4])),
            "bias", "bias [4,1] must have length 4");
    }

    [Fact]
    public void DenseWithoutBias_IsThetaTimesInputAlone()
    {
        // 1 x 2 input, 2 x 2 weights: z = theta a exactly, with no bias term added.
        var z = Dense.Forward(Tensor([1, 2], [1, 2]), Tensor([2, 2], [3, 4, 5, 6]), null);
        Assert.Equal([11, 17], z.Data);
    }

    [Fact]
    public void DenseDeltaOfAnotherShape_IsRefusedNamingDelta() =>
        Refused(() => Dense.Backward(Tensor([2, 3], new double[6]), Tensor([4, 3], new double[12]), Tensor([2, 3], new double[6])),
            "delta", "delta [2,3] must be [2,4] for input [2,3] and weights [4,3]");

    [Fact]
    public void DenseActivationWithoutPreviousZOfTheInputsShape_IsRefusedNamingOptions()
    {
        var input = Tensor([2, 3], new double[6]);
        var weights = Tensor([4, 3], new double[12]);
        var delta = Tensor([2, 4], new double[8]);
        Refused(() => Dense.Backward(input, weights, delta, new BackwardOptions<double> { PreviousActivation = Activation.Tanh }),
            "options", "the activation Tanh needs PreviousZ of the input's shape [2,3]");
        Refused(() => Dense.Backward(input, weights, delta,
                new BackwardOptions<double> { PreviousActivation = Activation.Tanh, PreviousZ = Tensor([3, 2], new double[6]) }),
            "options", "the activation Tanh needs PreviousZ of the input's shape [2,3]");
    }

    [Fact]
    public void FlattenOfAScalar_IsRefusedNamingInput() =>
        Refused(() => Flatten.Forward(Tensor([], [1])), "input", "flatten needs a batch dimension, got a scalar");

    [Fact]
    public void FlattenOfAnEmptyBatch_IsZeroByZero()
    {
        var flat = Flatten.Forward(Tensor([0, 3, 2], []));
        Assert.Equal([0, 0], flat.Shape);
    }

    [Fact]
    public void FlattenBackwardWithTheWrongElementCount_SaysBothShapes() =>
        Refused(() => Flatten.Backward(Tensor([2, 12], new double[24]), [2, 3, 2, 3]),
            "delta", "delta [2,12] does not have the element count of input shape [2,3,2,3]");

    [Fact]
    public void PoolingInputThatIsNotRank4_IsRefusedNamingInput()
    {
        Refused(() => MaxPool2d.Forward(Tensor([1, 2, 2], new double[4])), "input", "pooling needs an N x C x H x W input, got [1,2,2]");
        Refused(() => AvgPool2d.Forward(Tensor([1, 1, 1, 2, 2], new double[4])), "input", "pooling needs an N x C x H x W input, got [1,1,1,2,2]");
    }

    [Fact]
    public void PoolingBackwardWithAnInputShapeThatIsNotRank4_IsRefusedNamingInputShape()
    {
        Refused(() => AvgPool2d.Backward(Tensor([1, 1, 1, 1], [1]), [1, 2, 2]),
            "inputShape", "pooling needs an N x C x H x W input shape, got [1,2,2]");
        Refused(() => MaxPool2d.Backward(Tensor([1, 1, 1, 1], [1]), [0], [1, 1, 2, 2, 1]),
            "inputShape", "pooling needs an N x C x H x W input shape, got [1,1,2,2,1]");
    }

    [Fact]
    public void PoolingBackwardWithADeltaNotOfThePooledShape_IsRefusedNamingDelta()
    {
        Refused(() => AvgPool2d.Backward(Tensor([1, 1, 2, 1], [1, 2]), [1, 1, 4, 4]),
            "delta", "delta [1,1,2,1] does not match the pooled shape [1,1,2,2] of input [1,1,4,4]");
        Refused(() => MaxPool2d.Backward(Tensor([1, 1, 1, 2], [1, 2]), [0, 1], [1, 1, 4, 4]),
            "delta", "delta [1,1,1,2] does not match the pooled shape [1,1,2,2] of input [1,1,4,4]");
    }

    [Fact]
    public void MaxPoolArgMaxOfAnotherLength_IsRefusedNamingArgMax() =>
        Refused(() => MaxPool2d.Backward(Tensor([1, 1, 1, 1], [1]), [0, 1], [1, 1, 2, 2]),
            "argMax", "argMax holds 2 indices but delta [1,1,1,1] has 1 elements");

    [Fact]
    public void MaxPoolArgMaxBelowZeroOrPastTheEnd_IsRefusedWithItsPosition()
    {
        Refused(() => MaxPool2d.Backward(Tensor([1, 1, 1, 2], [1, 2]), [0, -1], [1, 1, 2, 4]),
            "argMax", "argMax[1] = -1 is outside the input's 8 elements");
        Refused(() => MaxPool2d.Backward(Tensor([1, 1, 1, 2], [1, 2]), [8, 0], [1, 1, 2, 4]),
            "argMax", "argMax[0] = 8 is outside the input's 8 elements");
        // The last element is inside.
        var gradient = MaxPool2d.Backward(Tensor([1, 1, 1, 2], [1, 2]), [7, 0], [1, 1, 2, 4]);
        Assert.Equal([2, 0, 0, 0, 0, 0, 0, 1], gradient.Data);
    }

    [Fact]
    public void MaxPoolArgMaxPointingTwiceAtOneInput_AddsBothErrors()
    {
        var gradient = MaxPool2d.Backward(Tensor([1, 1, 1, 2], [1.5, 2.25]), [3, 3], [1, 1, 2, 4]);
        Assert.Equal([0, 0, 0, 3.75, 0, 0, 0, 0], gradient.Data);
    }

    [Fact]
    public void MaxPoolNaN_WinsItsWindow_TheLastOneWhenThereAreSeveral()
    {
        // Window 1: a NaN at the bottom-left beats larger numbers after it; window 2: NaNs at top-left and
        // bottom-right, the last one wins; window 3: no NaN, the largest number wins.
        double[] x =
        [
            1, 5, double.NaN, 0, 1, 2,
            double.NaN, 9, 3, double.NaN, 4, 0,
        ];
        var (output, argMax) = MaxPool2d.Forward(Tensor([1, 1, 2, 6], x));
        Assert.Equal([6, 9, 10], argMax);
        Assert.True(double.IsNaN(output.Data[0]) && double.IsNaN(output.Data[1]));
        Assert.Equal(4, output.Data[2]);
    }

    [Fact]
    public void SoftmaxOfScoresThatAreNotAMatrixWithClasses_IsRefusedNamingLogits()
    {
        Refused(() => SoftmaxCrossEntropy.Softmax(Tensor([2, 0], [])), "logits", "logits [2,0] must be N x C with C > 0");
        Refused(() => SoftmaxCrossEntropy.Softmax(Tensor([6], new double[6])), "logits", "logits [6] must be N x C with C > 0");
        Refused(() => SoftmaxCrossEntropy.Forward(Tensor([1, 2, 3], new double[6]), [0]), "logits", "logits [1,2,3] must be N x C with C > 0");
    }

    [Fact]
    public void CrossEntropyWithAnotherNumberOfLabels_IsRefusedNamingTheScores()
    {
        Refused(() => SoftmaxCrossEntropy.Forward(Tensor([2, 3], new double[6]), [0]), "logits", "logits [2,3] has 2 rows but there are 1 labels");
        Refused(() => SoftmaxCrossEntropy.Backward(Tensor([2, 3], new double[6]), [0, 1, 2]),
            "probabilities", "probabilities [2,3] has 2 rows but there are 3 labels");
    }

    [Fact]
    public void LabelBelowZeroOrAtTheClassCount_IsRefusedNamingLabels_AndTheLastClassIsAllowed()
    {
        Refused(() => SoftmaxCrossEntropy.Forward(Tensor([2, 3], new double[6]), [-1, 0]), "labels", "label -1 of sample 0 is outside [0, 3)");
        Refused(() => SoftmaxCrossEntropy.Backward(Tensor([2, 3], new double[6]), [0, 3]), "labels", "label 3 of sample 1 is outside [0, 3)");
        // Equal logits: every probability is exactly 1/2 and the loss is log 2.
        var (loss, probabilities) = SoftmaxCrossEntropy.Forward(Tensor([1, 2], [0, 0]), [1]);
        Assert.Equal(Math.Log(2), loss);
        Assert.Equal([0.5, 0.5], probabilities.Data);
    }
}

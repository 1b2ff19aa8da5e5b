using ConvCompare.Training;
using global::ConvRef;

namespace ConvCompare.Tests.Training;

/// <summary>The whole network, ConvRef against TorchSharp, through the same mini-batches.</summary>
public class TrainingParityTests
{
    private static readonly TrainingOptions Short = new(Steps: 20, Batch: 16, LearningRate: 0.05, Momentum: 0.9, Clip: null, Seed: 7, Float32: false);

    [Fact]
    public void TwentyFloat64Steps_StayWithinTheRoundingBoundAtEveryStep()
    {
        var result = TrainingRun.Run<double>(Short);

        Assert.Equal(20, result.Steps.Count);
        Assert.Null(result.FirstDivergence);
        Assert.All(result.Steps, s => Assert.True(s.WithinBound, $"step {s.Step}: {s}"));
        Assert.True(result.Steps[^1].LossConvRef < result.Steps[0].LossConvRef, "the loss should fall over 20 steps");
    }

    [Fact]
    public void ClippedFloat32Steps_StayWithinTheFloat32Bound()
    {
        var result = TrainingRun.Run<float>(Short with { Steps = 5, Float32 = true, Clip = 0.01 });

        Assert.Null(result.FirstDivergence);
        // float32 parameters differ from TorchSharp's float64-computed ones by float32 rounding, not by float64 rounding.
        Assert.Contains(result.Steps, s => s.WorstRelativeDeviation > 1e-12);
    }

    [Fact]
    public void MaxPoolBackwardThatSpreadsTheErrorEvenly_IsCaughtAtStepOneInConv1()
    {
        MaxPoolBackward<double> spreadEvenly = (delta, _, inputShape) => AvgPool2d.Backward(delta, inputShape);

        var result = TrainingRun.Run(Short with { Steps = 2 }, maxPoolBackward: spreadEvenly);

        var first = Assert.IsType<StepRecord>(result.FirstDivergence);
        Assert.Equal(1, first.Step);
        // The forward pass is untouched, so the first loss agrees; the wrong routing reaches only conv1's gradients.
        Assert.True(Math.Abs(first.LossConvRef - first.LossTorch) <= first.LossBound);
        Assert.StartsWith("conv1.", first.WorstParameter);
        Assert.True(first.BoundUsage > 1e3, $"bound usage {first.BoundUsage}");
    }

    [Fact]
    public void Conv1ErrorOffByOnePartInAMillion_IsCaughtAtStepOne()
    {
        MaxPoolBackward<double> slightlyScaled = (delta, argMax, inputShape) =>
        {
            var gradient = MaxPool2d.Backward(delta, argMax, inputShape);
            for (int i = 0; i < gradient.Length; i++)
                gradient.Data[i] *= 1 + 1e-6;
            return gradient;
        };

        var result = TrainingRun.Run(Short with { Steps = 1 }, maxPoolBackward: slightlyScaled);

        Assert.Equal(1, result.FirstDivergence?.Step);
        Assert.StartsWith("conv1.", result.FirstDivergence!.WorstParameter);
    }
}

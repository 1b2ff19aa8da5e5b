using ConvCompare.Training;

namespace ConvCompare.Tests.Training;

public class MlNetEvaluationTests
{
    private static readonly LabelledImages Test = ShapeDataset.Generate(3, 8, 80).Test;

    [Fact]
    public void PerfectPredictions_GiveAccuracyOneAndADiagonalConfusionMatrix()
    {
        var probabilities = new double[Test.Count * ShapeDataset.ClassCount];
        for (int n = 0; n < Test.Count; n++)
            probabilities[n * ShapeDataset.ClassCount + Test.Labels[n]] = 1;

        var metrics = MlNetEvaluation.Evaluate("perfect", Test, probabilities);

        Assert.Equal(1, metrics.MicroAccuracy);
        Assert.Equal(1, metrics.MacroAccuracy);
        Assert.Equal(0, metrics.LogLoss, 6);
        for (int r = 0; r < ShapeDataset.ClassCount; r++)
            for (int c = 0; c < ShapeDataset.ClassCount; c++)
                Assert.Equal(r == c ? Test.Count / ShapeDataset.ClassCount : 0, metrics.ConfusionMatrix[r][c]);
    }

    [Fact]
    public void PredictionsShiftedByOneClass_GiveAccuracyZero()
    {
        var probabilities = new double[Test.Count * ShapeDataset.ClassCount];
        for (int n = 0; n < Test.Count; n++)
            probabilities[n * ShapeDataset.ClassCount + (Test.Labels[n] + 1) % ShapeDataset.ClassCount] = 1;

        Assert.Equal(0, MlNetEvaluation.Evaluate("shifted", Test, probabilities).MicroAccuracy);
    }

    [Fact]
    public void UniformPredictions_GiveLogLossLnEight()
    {
        double[] uniform = Enumerable.Repeat(1.0 / ShapeDataset.ClassCount, Test.Count * ShapeDataset.ClassCount).ToArray();
        Assert.Equal(Math.Log(ShapeDataset.ClassCount), MlNetEvaluation.Evaluate("uniform", Test, uniform).LogLoss, 5);
    }
}

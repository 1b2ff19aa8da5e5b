using System.Numerics;
using ConvCompare.Numerics;
using ConvRef;

namespace ConvCompare.Training;

/// <summary>What <c>convcompare train</c> was asked to do.</summary>
internal sealed record TrainingOptions(int Steps, int Batch, double LearningRate, double Momentum, double? Clip, ulong Seed, bool Float32);

/// <summary>One step of the side-by-side run.</summary>
/// <param name="Step">The step's number.</param>
/// <param name="LossConvRef">The batch loss of the ConvRef network.</param>
/// <param name="LossTorch">The batch loss of the TorchSharp network.</param>
/// <param name="LossBound">The bound on |loss ConvRef - loss TorchSharp|.</param>
/// <param name="WorstRelativeDeviation">max over parameter tensors of max_i |p_ConvRef - p_TorchSharp| / max_i |p_TorchSharp|.</param>
/// <param name="BoundUsage">max over every parameter element of |p_ConvRef - p_TorchSharp| / EP (1 = at the bound).</param>
/// <param name="WorstParameter">The tensor where <see cref="BoundUsage"/> was largest.</param>
/// <param name="RelativeBound">max over parameter tensors of max_i EP_i / max_i |p_i|: how much deviation the bound allows;
/// at 1 or more it no longer constrains the parameters.</param>
internal sealed record StepRecord(int Step, double LossConvRef, double LossTorch, double LossBound,
    double WorstRelativeDeviation, double BoundUsage, string WorstParameter, double RelativeBound)
{
    /// <summary>Both the loss and every parameter are within their bounds (NaN is not).</summary>
    public bool WithinBound => Math.Abs(LossConvRef - LossTorch) <= LossBound && BoundUsage <= 1;

    /// <summary>
    /// Training diverged numerically on both sides alike: the loss is not a finite number in either
    /// network at this step. Nothing is left to compare (where the parameters hold NaN or infinity is
    /// down to how each side propagates them, e.g. through a ReLU that is off), and it is not a parity
    /// failure; one side alone going non-finite is one.
    /// </summary>
    public bool BothNonFinite { get; init; }
}

/// <summary>The whole run: the trace and the test-split probabilities of both trained models.</summary>
internal sealed record TrainingResult(TrainingOptions Options, int AccumulationDepth, double GammaK, IReadOnlyList<StepRecord> Steps,
    ShapeDataset Data, double[] ConvRefTestProbabilities, double[] TorchTestProbabilities)
{
    /// <summary>The first step where ConvRef and TorchSharp differ beyond the bound: a parity failure.</summary>
    public StepRecord? FirstDivergence => Steps.FirstOrDefault(s => !s.WithinBound && !s.BothNonFinite);

    /// <summary>The step where training diverged numerically on both sides alike (the run stops there), or null.</summary>
    public StepRecord? NumericalDivergence => Steps.Count > 0 && Steps[^1].BothNonFinite ? Steps[^1] : null;
}

/// <summary>Trains <see cref="SmallCnn"/> in ConvRef and in TorchSharp from the same weights on the same mini-batches and compares them after every step.</summary>
internal static class TrainingRun
{
    public static TrainingResult Run(TrainingOptions options, Action<StepRecord>? progress = null) =>
        options.Float32 ? Run<float>(options, progress) : Run<double>(options, progress);

    /// <param name="options">The run.</param>
    /// <param name="progress">Called after every step.</param>
    /// <param name="maxPoolBackward">Replaces ConvRef's max-pooling backward pass; tests only.</param>
    internal static TrainingResult Run<T>(TrainingOptions options, Action<StepRecord>? progress = null, MaxPoolBackward<T>? maxPoolBackward = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = ShapeDataset.Generate(options.Seed);
        double[][] initial = [.. SmallCnn.InitialParameters(options.Seed).Select(RoundTo<T>)];
        var sgd = new Sgd<T>(T.CreateChecked(options.LearningRate), T.CreateChecked(options.Momentum),
            options.Clip is { } c ? T.CreateChecked(c) : null);
        var convRef = new ConvRefCnn<T>(initial, sgd, maxPoolBackward);
        using var torchCnn = new TorchCnn(initial, options.LearningRate, options.Momentum, options.Clip, float32Parameters: options.Float32);
        var bound = new ParityBound(typeof(T) == typeof(float) ? Arithmetic.Float32 : Arithmetic.Float64, options.Batch, options.LearningRate, options.Momentum);
        var batches = new MiniBatches(data.Train, options.Batch, options.Seed);
        var steps = new List<StepRecord>(options.Steps);
        for (int t = 1; t <= options.Steps; t++)
        {
            var (pixels, labels) = batches.Next();
            pixels = RoundTo<T>(pixels);
            var images = new Tensor<T>([labels.Length, 1, ShapeDataset.ImageSize, ShapeDataset.ImageSize], [.. pixels.Select(T.CreateChecked)]);

            var previousVelocities = convRef.Velocities();
            var step = convRef.ComputeGradients(images, labels);
            var magnitudes = RoundingMagnitudes.Compute(convRef.Parameters, step, labels);
            double[][] gradients = [.. step.Gradients.Select(ToDoubles)];
            double lossBound = bound.LossBound(magnitudes, gradients);
            convRef.Update(step);
            double torchLoss = torchCnn.TrainStep(pixels, labels);
            double[][] parameters = [.. convRef.Parameters.Select(ToDoubles)];
            bound.Advance(magnitudes, gradients, previousVelocities, convRef.Velocities(), parameters);

            var record = Compare(t, double.CreateChecked(step.Loss), torchLoss, lossBound, parameters, torchCnn.ParameterValues(), bound);
            steps.Add(record);
            progress?.Invoke(record);
            if (record.BothNonFinite)
                break;
        }

        var test = new Tensor<T>([data.Test.Count, 1, ShapeDataset.ImageSize, ShapeDataset.ImageSize], [.. data.Test.Pixels.Select(T.CreateChecked)]);
        return new TrainingResult(options, bound.AccumulationDepth, bound.GammaK, steps, data,
            ToDoubles(convRef.Probabilities(test)), torchCnn.Probabilities(RoundTo<T>(data.Test.Pixels), data.Test.Count));
    }

    private static StepRecord Compare(int step, double lossConvRef, double lossTorch, double lossBound,
        double[][] convRef, double[][] torch, ParityBound bound)
    {
        double worstRelative = 0, worstUsage = 0, relativeBound = 0;
        bool bothNonFinite = !double.IsFinite(lossConvRef) && !double.IsFinite(lossTorch);
        string worstName = SmallCnn.Parameters[0].Name;
        for (int k = 0; k < convRef.Length; k++)
        {
            var ep = bound.Parameter(k);
            double largest = 0, deviation = 0;
            for (int i = 0; i < convRef[k].Length; i++)
            {
                double d = Math.Abs(convRef[k][i] - torch[k][i]);
                deviation = Math.Max(deviation, d);
                largest = Math.Max(largest, Math.Abs(torch[k][i]));
                double usage = d == 0 ? 0 : d / ep[i];
                if (!(usage <= worstUsage))
                {
                    worstUsage = double.IsNaN(usage) ? double.PositiveInfinity : usage;
                    worstName = SmallCnn.Parameters[k].Name;
                }
            }
            worstRelative = Math.Max(worstRelative, largest == 0 ? deviation : deviation / largest);
            double widest = 0;
            foreach (double e in ep)
                widest = Math.Max(widest, e);
            relativeBound = Math.Max(relativeBound, largest == 0 ? widest : widest / largest);
        }
        return new StepRecord(step, lossConvRef, lossTorch, lossBound, worstRelative, worstUsage, worstName, relativeBound) { BothNonFinite = bothNonFinite };
    }

    private static double[] RoundTo<T>(double[] values) where T : unmanaged, IFloatingPointIeee754<T> =>
        [.. values.Select(v => double.CreateChecked(T.CreateChecked(v)))];

    private static double[] ToDoubles<T>(Tensor<T> tensor) where T : unmanaged, IFloatingPointIeee754<T> =>
        [.. tensor.Data.Select(double.CreateChecked)];
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ConvCompare.Files;
using ConvCompare.Limits;
using ConvCompare.Oracles;
using ConvCompare.Reports;
using ConvCompare.Training;

namespace ConvCompare.Cli;

/// <summary>
/// <c>convcompare train</c>: the same small CNN trained in ConvRef and in TorchSharp, compared after every
/// step against a rounding-error bound, then both evaluated next to a linear ML.NET baseline.
/// </summary>
internal static class TrainCommand
{
    private const int MaxSteps = 100_000;

    internal static Command Create()
    {
        var steps = new Option<int>("--steps") { Description = "SGD steps to take (1 to 100000).", DefaultValueFactory = _ => 200 };
        var batch = new Option<int>("--batch") { Description = "Mini-batch size (1 to the 2400 training images).", DefaultValueFactory = _ => 64 };
        var learningRate = new Option<double>("--lr") { Description = "Learning rate (positive).", DefaultValueFactory = _ => 0.05, CustomParser = InvariantNumber.Parse };
        var momentum = new Option<double>("--momentum") { Description = "Momentum in [0, 1), PyTorch's convention v = mu v + g.", DefaultValueFactory = _ => 0.9, CustomParser = InvariantNumber.Parse };
        var clip = new Option<double?>("--clip") { Description = "Clamp every gradient element to [-c, c] (the derivation's clipvalue); off by default.", CustomParser = InvariantNumber.ParseOptional };
        var seed = SharedOptions.Seed("Seed for the data set, initial weights and batch order.");
        var dtype = new Option<string>("--dtype") { Description = "f64 or f32 (TorchSharp computes in float64 on the float32 values either way).", DefaultValueFactory = _ => "f64" };
        var json = new Option<FileInfo?>("--json") { HelpName = "FILE", Description = "Write the per-step trace and the metrics to this JSON file." };
        var plot = new Option<FileInfo?>("--plot") { HelpName = "FILE", Description = "Write the loss curves and their difference (log axis) to this SVG file." };
        var command = new Command("train", "Train a small CNN in ConvRef and in TorchSharp step for step, compare them, and evaluate both against an ML.NET linear baseline.")
        {
            steps, batch, learningRate, momentum, clip, seed, dtype, json, plot,
        };
        var limits = LimitOptions.AddTo(command);
        command.SetAction(parse =>
        {
            string? problem = Validate(parse.GetValue(steps), parse.GetValue(batch), parse.GetValue(learningRate), parse.GetValue(momentum),
                parse.GetValue(clip), parse.GetValue(dtype)!, parse.GetValue(json), parse.GetValue(plot));
            if (problem is not null)
                return ExitCodes.Bad(problem);
            if (!limits.TryRead(parse, out var resourceLimits, out string limitError))
                return ExitCodes.Bad(limitError);
            if (resourceLimits.Refusal($"train with --steps {parse.GetValue(steps)} --batch {parse.GetValue(batch)}",
                    TrainCost.Of(parse.GetValue(steps), parse.GetValue(batch))) is { } refusal)
                return ExitCodes.Bad(refusal);
            var options = new TrainingOptions(parse.GetValue(steps), parse.GetValue(batch), parse.GetValue(learningRate),
                parse.GetValue(momentum), parse.GetValue(clip), parse.GetValue(seed), parse.GetValue(dtype) == "f32");
            return Execute(options, parse.GetValue(json), parse.GetValue(plot));
        });
        return command;
    }

    private static string? Validate(int steps, int batch, double learningRate, double momentum, double? clip, string dtype, FileInfo? json, FileInfo? plot)
    {
        if (steps is < 1 or > MaxSteps)
            return $"--steps must be between 1 and {MaxSteps}, got {steps}.";
        if (batch < 1 || batch > ShapeDataset.TrainCount)
            return $"--batch must be between 1 and {ShapeDataset.TrainCount} (the training images), got {batch}.";
        if (!double.IsFinite(learningRate) || learningRate <= 0)
            return $"--lr must be a finite positive number, got {TrainConsoleReport.Format(learningRate)}.";
        if (!(momentum >= 0 && momentum < 1))
            return $"--momentum must be in [0, 1), got {TrainConsoleReport.Format(momentum)}.";
        if (clip is { } c && !(c > 0 && double.IsFinite(c)))
            return $"--clip must be a finite positive number, got {TrainConsoleReport.Format(c)}.";
        if (dtype is not ("f64" or "f32"))
            return $"--dtype must be f64 or f32, got '{dtype}'.";
        return ReportPaths.Clash([("--json", json?.FullName), ("--plot", plot?.FullName)])
               ?? ReportPaths.Problem(json, "--json") ?? ReportPaths.Problem(plot, "--plot");
    }

    private static int Execute(TrainingOptions options, FileInfo? json, FileInfo? plot)
    {
        if (TorchRuntime.Problem is { } problem)
            return ExitCodes.NoTorch(problem);
        // One libtorch thread: this network's operations are so small that waking a second thread costs
        // more than it saves (measured here: 20 steps took 3x longer with two threads on a busy machine).
        TorchSharp.torch.set_num_threads(1);
        var report = new TrainConsoleReport(plain: ConsoleReport.Plain);
        report.Header(options);
        var clock = Stopwatch.StartNew();
        var result = report.WithProgress(options.Steps, progress => TrainingRun.Run(options, progress));
        double trainingSeconds = clock.Elapsed.TotalSeconds;
        report.Trace(result, trainingSeconds);

        clock.Restart();
        // Metrics of networks whose parameters are not finite would be NaN printed as numbers; there is nothing to evaluate.
        ClassificationMetrics[] metrics = result.NumericalDivergence is not null ? [] :
        [
            MlNetEvaluation.Evaluate("ConvRef CNN", result.Data.Test, result.ConvRefTestProbabilities),
            MlNetEvaluation.Evaluate("TorchSharp CNN", result.Data.Test, result.TorchTestProbabilities),
            MlNetEvaluation.Baseline(result.Data, options.Seed),
        ];
        if (metrics.Length > 0)
            report.Metrics(metrics, clock.Elapsed.TotalSeconds);
        else
            report.NotEvaluated();

        int verdict = result.FirstDivergence is not null ? ExitCodes.Failed
            : result.NumericalDivergence is { } numerical ? ExitCodes.Unfinished(
                $"training diverged numerically on both sides at step {numerical.Step} (not a parity failure), so the remaining steps could not be compared")
            : ExitCodes.Passed;
        foreach (var (file, kind, write) in new (FileInfo?, string, Action<Stream>)[]
                 {
                     (json, "trace", stream => TraceJson.Write(stream, result, metrics)),
                     (plot, "plot", stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(LossPlotSvg.Render(result)))),
                 })
        {
            if (file is null)
                continue;
            if (ReportPaths.WriteOrSay($"the {kind} {file.FullName}", file.FullName, temporary => AtomicFile.Fill(temporary, write)) is { } writeProblem)
                return ReportPaths.Finish(verdict, writeProblem);
            report.Wrote(kind, file.FullName);
        }
        return verdict;
    }
}

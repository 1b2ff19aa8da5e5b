using System.Globalization;
using ConvCompare.Training;
using Spectre.Console;

namespace ConvCompare.Training;

/// <summary><c>convcompare train</c>'s output: Spectre.Console tables and a progress bar on a terminal, plain lines when redirected or under CI.</summary>
internal sealed class TrainConsoleReport(bool plain)
{
    /// <summary>Up to this many steps are all listed; longer runs list a spread of steps plus the first step out of bound.</summary>
    private const int ListedSteps = 20;

    public void Header(TrainingOptions o)
    {
        Line($"train: {(o.Float32 ? "float32" : "float64")}, {o.Steps} steps, batch {o.Batch}, lr {Format(o.LearningRate)}, momentum {Format(o.Momentum)}, " +
             $"clip {(o.Clip is { } c ? Format(c) : "off")}, seed {o.Seed}; {ShapeDataset.TrainCount} training / {ShapeDataset.TestCount} test images of {ShapeDataset.ClassCount} shapes");
        Line("network: conv(1->8, 3x3, pad 1) -> ReLU -> maxpool 2 -> conv(8->16, 3x3, stride 2) -> ReLU -> flatten -> dense(144->8) -> softmax cross-entropy");
    }

    public TrainingResult WithProgress(int steps, Func<Action<StepRecord>, TrainingResult> run)
    {
        if (plain)
        {
            int every = Math.Max(1, steps / 10);
            return run(r =>
            {
                if (r.Step % every == 0 || r.Step == steps)
                    Console.WriteLine(Invariant($"step {r.Step}/{steps}: loss ConvRef {r.LossConvRef:F6}, TorchSharp {r.LossTorch:F6}"));
            });
        }
        TrainingResult? result = null;
        AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("training both networks", maxValue: steps);
                result = run(r =>
                {
                    task.Value = r.Step;
                    task.Description = Invariant($"step {r.Step}/{steps}, loss {r.LossConvRef:F4}");
                });
            });
        return result!;
    }

    public void Trace(TrainingResult result, double seconds)
    {
        string[] headers = ["step", "loss ConvRef", "loss TorchSharp", "|difference|", "loss bound", "worst rel. param dev.", "rel. bound", "bound usage", "in bound"];
        var rows = Listed(result.Steps).Select(s => new[]
        {
            s.Step.ToString(CultureInfo.InvariantCulture), Invariant($"{s.LossConvRef:F10}"), Invariant($"{s.LossTorch:F10}"),
            E(Math.Abs(s.LossConvRef - s.LossTorch)), E(s.LossBound), E(s.WorstRelativeDeviation), E(s.RelativeBound), E(s.BoundUsage), s.BothNonFinite ? "diverged (both)" : s.WithinBound ? "yes" : "NO",
        }).ToList();
        Line($"per-step comparison ({rows.Count} of {result.Steps.Count} steps shown; bound: K = {result.AccumulationDepth}, gamma_K = {E(result.GammaK)}; rel. bound = largest bound / largest parameter, per tensor; bound usage = max |p_ConvRef - p_TorchSharp| / bound over all parameters):");
        Table(headers, rows);
        var worst = result.Steps.Where(s => !s.BothNonFinite).MaxBy(s => s.BoundUsage) ?? result.Steps[^1];
        Line(Invariant($"trained both in {seconds:F1} s; largest bound usage {E(worst.BoundUsage)} at step {worst.Step} ({worst.WorstParameter})"));
        if (result.NumericalDivergence is { } n && result.FirstDivergence is null)
            Line($"DIVERGED NUMERICALLY ON BOTH SIDES: at step {n.Step} the loss is no longer a finite number in ConvRef or in TorchSharp: " +
                 "the training itself diverged, alike on both sides, which is not a parity failure" +
                 (n.Step switch { 1 => "", 2 => " (step 1 was within the rounding-error bound)", _ => $" (steps 1 to {n.Step - 1} were within the rounding-error bound)" }) + "; try a smaller --lr.");
        else if (result.FirstDivergence is { } d)
            Line($"DIVERGED: at step {d.Step} ConvRef and TorchSharp differ beyond the rounding-error bound (loss |difference| {E(Math.Abs(d.LossConvRef - d.LossTorch))} vs bound {E(d.LossBound)}; parameter bound usage {E(d.BoundUsage)} in {d.WorstParameter}).");
        else
            Line($"parity: all {result.Steps.Count} steps within the rounding-error bound.");
        var loose = result.Steps.FirstOrDefault(s => s.RelativeBound >= 1 || s.LossBound >= s.LossTorch);
        if (loose is not null)
            Line($"note: from step {loose.Step} on the bound is as large as the values it bounds (rel. bound {E(loose.RelativeBound)}, loss bound {E(loose.LossBound)}), " +
                 "so it no longer constrains them: the worst-case rounding of every step adds up (float32 reaches this quickly); the steps before are checked tightly.");
    }

    public void Metrics(IReadOnlyList<ClassificationMetrics> metrics, double seconds)
    {
        Line(Invariant($"test split evaluated with ML.NET's MulticlassClassification.Evaluate ({seconds:F1} s including the baseline's training):"));
        Table(["metric", .. metrics.Select(m => m.Model)],
        [
            ["micro accuracy", .. metrics.Select(m => Invariant($"{m.MicroAccuracy:F4}"))],
            ["macro accuracy", .. metrics.Select(m => Invariant($"{m.MacroAccuracy:F4}"))],
            ["log-loss", .. metrics.Select(m => Invariant($"{m.LogLoss:F4}"))],
        ]);
        foreach (var m in metrics)
        {
            Line($"confusion matrix, {m.Model} (rows: true {string.Join(" ", Enum.GetNames<ShapeClass>())}; columns: predicted, same order):");
            foreach (var row in m.ConfusionMatrix)
                Line("  " + string.Join(" ", row.Select(c => c.ToString("F0", CultureInfo.InvariantCulture).PadLeft(4))));
        }
    }

    public void NotEvaluated() =>
        Line("test split not evaluated: the trained parameters are not finite numbers, so accuracy and log-loss would be meaningless.");

    public void Wrote(string what, string path) => Line($"wrote {what} to {path}");

    private static IEnumerable<StepRecord> Listed(IReadOnlyList<StepRecord> steps)
    {
        if (steps.Count <= ListedSteps)
            return steps;
        int every = (int)Math.Ceiling(steps.Count / (double)ListedSteps);
        int firstOut = steps.FirstOrDefault(s => !s.WithinBound)?.Step ?? 0;
        return steps.Where(s => s.Step <= 3 || s.Step % every == 0 || s.Step == steps.Count || s.Step == firstOut);
    }

    private void Table(string[] headers, List<string[]> rows)
    {
        if (plain)
        {
            int[] widths = [.. headers.Select((h, i) => Math.Max(h.Length, rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max()))];
            Console.WriteLine(string.Join("  ", headers.Select((h, i) => h.PadLeft(widths[i]))));
            foreach (var row in rows)
                Console.WriteLine(string.Join("  ", row.Select((c, i) => c.PadLeft(widths[i]))));
            return;
        }
        var table = new Table().RoundedBorder();
        foreach (string h in headers)
            table.AddColumn(new TableColumn(Markup.Escape(h)).RightAligned());
        foreach (var row in rows)
            table.AddRow([.. row.Select(Markup.Escape)]);
        AnsiConsole.Write(table);
    }

    private void Line(string text)
    {
        if (plain)
            Console.WriteLine(text);
        else
            AnsiConsole.MarkupLine(Markup.Escape(text));
    }

    /// <summary>A hyperparameter as the header and the command's errors print it: 4 significant digits, invariant culture.</summary>
    internal static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);


    private static string E(double value) => value.ToString("0.00E+00", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

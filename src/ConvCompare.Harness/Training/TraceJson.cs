using System.Text.Json;
using ConvCompare.Reports;

namespace ConvCompare.Training;

/// <summary>Writes a run's per-step trace and evaluation as JSON (numbers in invariant round-trip form; non-finite numbers as strings, which JSON cannot hold as numbers).</summary>
internal static class TraceJson
{
    public static void Write(Stream stream, TrainingResult result, IReadOnlyList<ClassificationMetrics> evaluation)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        var options = result.Options;
        json.WriteStartObject();
        ReportSchema.WriteVersion(json);
        json.WriteString("command", "train");
        json.WriteString("dtype", options.Float32 ? "f32" : "f64");
        json.WriteNumber("steps", options.Steps);
        json.WriteNumber("batch", options.Batch);
        Number(json, "learning_rate", options.LearningRate);
        Number(json, "momentum", options.Momentum);
        if (options.Clip is { } clip)
            Number(json, "clip", clip);
        else
            json.WriteNull("clip");
        json.WriteNumber("seed", options.Seed);
        json.WriteStartObject("bound");
        json.WriteNumber("accumulation_depth", result.AccumulationDepth);
        Number(json, "gamma_k", result.GammaK);
        json.WriteEndObject();
        json.WriteBoolean("within_bound", result.FirstDivergence is null);
        if (result.FirstDivergence is { } first)
            json.WriteNumber("first_divergence", first.Step);
        else
            json.WriteNull("first_divergence");
        if (result.NumericalDivergence is { } numerical)
            json.WriteNumber("numerical_divergence_on_both_sides", numerical.Step);
        else
            json.WriteNull("numerical_divergence_on_both_sides");

        json.WriteStartArray("trace");
        foreach (var step in result.Steps)
        {
            json.WriteStartObject();
            json.WriteNumber("step", step.Step);
            Number(json, "loss_convref", step.LossConvRef);
            Number(json, "loss_torchsharp", step.LossTorch);
            Number(json, "loss_bound", step.LossBound);
            Number(json, "worst_relative_deviation", step.WorstRelativeDeviation);
            Number(json, "relative_bound", step.RelativeBound);
            Number(json, "bound_usage", step.BoundUsage);
            json.WriteString("worst_parameter", step.WorstParameter);
            json.WriteBoolean("within_bound", step.WithinBound);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("evaluation");
        foreach (var metrics in evaluation)
        {
            json.WriteStartObject();
            json.WriteString("model", metrics.Model);
            Number(json, "micro_accuracy", metrics.MicroAccuracy);
            Number(json, "macro_accuracy", metrics.MacroAccuracy);
            Number(json, "log_loss", metrics.LogLoss);
            json.WriteStartArray("confusion_matrix");
            foreach (var row in metrics.ConfusionMatrix)
            {
                json.WriteStartArray();
                foreach (double count in row)
                    Number(json, null, count);
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string? name, double value)
    {
        if (name is not null)
            json.WritePropertyName(name);
        if (double.IsFinite(value))
            json.WriteNumberValue(value);
        else
            json.WriteStringValue(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

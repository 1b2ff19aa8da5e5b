using System.Text.Json;

namespace ConvCompare.Training;

/// <summary>Writes a run's per-step trace and evaluation as JSON (numbers in invariant round-trip form; non-finite numbers as strings, which JSON cannot hold as numbers).</summary>
internal static class TraceJson
{
    public static void Write(Stream stream, TrainingResult result, IReadOnlyList<ClassificationMetrics> evaluation)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        var options = result.Options;
        json.WriteStartObject();
        json.WriteString("command", "train");
        json.WriteString("dtype", options.Float32 ? "f32" : "f64");
        json.WriteNumber("steps", options.Steps);
        json.WriteNumber("batch", options.Batch);
        Number(json, "learningRate", options.LearningRate);
        Number(json, "momentum", options.Momentum);
        if (options.Clip is { } clip)
            Number(json, "clip", clip);
        else
            json.WriteNull("clip");
        json.WriteNumber("seed", options.Seed);
        json.WriteStartObject("bound");
        json.WriteNumber("accumulationDepth", result.AccumulationDepth);
        Number(json, "gammaK", result.GammaK);
        json.WriteEndObject();
        json.WriteBoolean("withinBound", result.FirstDivergence is null);
        if (result.FirstDivergence is { } first)
            json.WriteNumber("firstDivergence", first.Step);
        else
            json.WriteNull("firstDivergence");
        if (result.NumericalDivergence is { } numerical)
            json.WriteNumber("numericalDivergenceOnBothSides", numerical.Step);
        else
            json.WriteNull("numericalDivergenceOnBothSides");

        json.WriteStartArray("trace");
        foreach (var step in result.Steps)
        {
            json.WriteStartObject();
            json.WriteNumber("step", step.Step);
            Number(json, "lossConvRef", step.LossConvRef);
            Number(json, "lossTorchSharp", step.LossTorch);
            Number(json, "lossBound", step.LossBound);
            Number(json, "worstRelativeDeviation", step.WorstRelativeDeviation);
            Number(json, "relativeBound", step.RelativeBound);
            Number(json, "boundUsage", step.BoundUsage);
            json.WriteString("worstParameter", step.WorstParameter);
            json.WriteBoolean("withinBound", step.WithinBound);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("evaluation");
        foreach (var metrics in evaluation)
        {
            json.WriteStartObject();
            json.WriteString("model", metrics.Model);
            Number(json, "microAccuracy", metrics.MicroAccuracy);
            Number(json, "macroAccuracy", metrics.MacroAccuracy);
            Number(json, "logLoss", metrics.LogLoss);
            json.WriteStartArray("confusionMatrix");
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

using System.Text.Encodings.Web;
using System.Text.Json;
using ConvCompare.Golden.Verification;
using ConvCompare.Oracles;

namespace ConvCompare.Golden;

/// <summary>
/// The <c>golden --json</c> report: top-level <c>files</c>, one entry per file with <c>file</c>,
/// <c>pass</c>, <c>error</c>, <c>dtype</c>, <c>source</c>, <c>oracle</c> and <c>results</c> keyed by
/// implementation (<c>serial</c>, <c>vectorized</c>, <c>torch</c>), each with <c>pass</c>, <c>error</c>
/// and <c>tensors</c> (<c>y</c>, <c>dx</c>, <c>dw</c>, <c>db</c>) holding <c>max_abs</c>, <c>max_rel</c>,
/// <c>bound_ratio</c>, <c>worst_index</c>, <c>pass</c>. A number that is not finite is written as null.
/// </summary>
internal static class GoldenJsonReport
{
    /// <summary>Writes the report for <paramref name="verdicts"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IReadOnlyList<GoldenFileVerdict> verdicts, bool torchRequested)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("tool", "convcompare golden");
        json.WriteString("version", typeof(GoldenJsonReport).Assembly.GetName().Version?.ToString(3));
        if (torchRequested)
        {
            json.WriteString("torchsharp", TorchRuntime.TorchSharpVersion);
            json.WriteString("libtorch", TorchRuntime.LibTorchVersion);
        }
        json.WriteStartArray("files");
        foreach (var verdict in verdicts)
            WriteFile(json, verdict);
        json.WriteEndArray();
        json.WriteStartObject("summary");
        json.WriteNumber("total", verdicts.Count);
        json.WriteNumber("passed", verdicts.Count(v => v.Pass));
        json.WriteNumber("failed", verdicts.Count(v => !v.Pass));
        json.WriteNumber("unreadable", verdicts.Count(v => v.Error is not null));
        json.WriteNumber("oracle_faults", verdicts.Count(v => v.OracleFault));
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteFile(Utf8JsonWriter json, GoldenFileVerdict verdict)
    {
        json.WriteStartObject();
        json.WriteString("file", verdict.File);
        json.WriteBoolean("pass", verdict.Pass);
        json.WriteString("error", verdict.Error);
        json.WriteString("dtype", verdict.Case is null ? null : GoldenFormat.DTypeText(verdict.Case.DType));
        json.WriteString("source", verdict.Case?.Source);
        var torch = verdict.Verdicts.FirstOrDefault(v => v.Implementation == GoldenImplementation.Torch);
        json.WriteString("oracle", torch is null ? null : torch.Pass ? "agree" : "fault");
        json.WriteStartObject("results");
        foreach (var result in verdict.Verdicts)
        {
            json.WriteStartObject(result.Implementation.Name());
            json.WriteBoolean("pass", result.Pass);
            json.WriteString("error", result.Error);
            json.WriteStartObject("tensors");
            foreach (var tensor in result.Tensors)
            {
                json.WriteStartObject(tensor.Tensor);
                Number(json, "max_abs", tensor.MaxAbs);
                Number(json, "max_rel", tensor.MaxRel);
                Number(json, "bound_ratio", tensor.BoundRatio);
                json.WriteNumber("worst_index", tensor.WorstIndex);
                json.WriteBoolean("pass", tensor.Pass);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>JSON has no infinity or NaN; such a value (always a failure) is written as null.</summary>
    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
            json.WriteNumber(name, value);
        else
            json.WriteNull(name);
    }
}

using System.Text.Encodings.Web;
using System.Text.Json;
using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Golden.Verification;
using ConvCompare.Implementations;
using ConvCompare.Oracles;
using ConvCompare.Reports;

namespace ConvCompare.Golden;

/// <summary>
/// The <c>golden --json</c> report: top-level <c>files</c>, one entry per file with <c>file</c>,
/// <c>pass</c>, <c>error</c>, <c>dtype</c>, <c>source</c>, <c>oracle</c>, <c>file_fault</c>, <c>reference</c>
/// (the compensated reference against the file, for the tensors it arbitrated) and <c>results</c> keyed by
/// implementation (<c>serial</c>, <c>vectorized</c>, <c>torch</c>), each with <c>pass</c>, <c>error</c>
/// and <c>tensors</c> (<c>y</c>, <c>dx</c>, <c>dw</c>, <c>db</c>) holding <c>max_abs</c>, <c>max_rel</c>,
/// <c>bound_ratio</c>, <c>assert_close</c>, <c>out_of_bound</c> (count), <c>out_of_bound_elements</c>
/// (the worst few, e.g. <c>dw[0,1,2,2]</c>) and <c>pass</c> against the file, and <c>versus_reference</c>
/// (the same fields, deciding <c>pass</c>) where the file is at fault. A number that is not finite is written as null.
/// </summary>
internal static class GoldenJsonReport
{
    /// <summary>Writes the report for <paramref name="verdicts"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IReadOnlyList<GoldenFileVerdict> verdicts, bool torchRequested)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        ReportSchema.WriteVersion(json);
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
        json.WriteNumber("file_faults", verdicts.Count(v => v.FileFault));
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
        json.WriteString("dtype", verdict.Case is null ? null : GoldenFormat.DTypeText(verdict.Case.Dtype));
        json.WriteString("source", verdict.Case?.Source);
        json.WriteString("op", verdict.Case?.Config.Op.Name());
        json.WriteString("padding_mode", verdict.Case?.Config.PaddingMode.Token());
        json.WriteString("oracle", verdict.Oracle is null ? null : verdict.Oracle.Pass ? "agree" : "fault");
        json.WriteBoolean("file_fault", verdict.FileFault);
        var shapes = verdict.Case?.Expected;
        json.WriteStartObject(BuiltInImplementations.ArbiterName);
        foreach (var tensor in verdict.ReferenceVersusFile)
            Tensor(json, tensor, shapes!);
        json.WriteEndObject();
        json.WriteStartObject("results");
        foreach (var result in verdict.Verdicts)
        {
            json.WriteStartObject(result.Implementation);
            json.WriteBoolean("pass", result.Pass);
            json.WriteString("error", result.Error);
            json.WriteStartObject("tensors");
            foreach (var tensor in result.Tensors)
            {
                json.WriteStartObject(tensor.Kind.Name());
                Metrics(json, tensor, shapes!);
                if (result.VersusReference.FirstOrDefault(r => r.Kind == tensor.Kind) is { } versusReference)
                    Tensor(json, versusReference, shapes!, "versus_reference");
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Tensor(Utf8JsonWriter json, TensorComparison tensor, CaseOutputs shapes, string? name = null)
    {
        json.WriteStartObject(name ?? tensor.Kind.Name());
        Metrics(json, tensor, shapes);
        json.WriteEndObject();
    }

    private static void Metrics(Utf8JsonWriter json, TensorComparison tensor, CaseOutputs shapes)
    {
        Number(json, "max_abs", tensor.MaxAbs);
        Number(json, "max_rel", tensor.MaxRel);
        Number(json, "bound_ratio", tensor.BoundRatio);
        json.WriteBoolean("assert_close", tensor.AssertClose);
        json.WriteNumber("out_of_bound", tensor.OutOfBoundCount);
        json.WriteStartArray("out_of_bound_elements");
        var shape = shapes[tensor.Kind]!.Shape;
        foreach (int index in tensor.OutOfBound)
            json.WriteStringValue(TensorComparison.ElementName(tensor.Kind.Name(), shape, index));
        json.WriteEndArray();
        json.WriteBoolean("pass", tensor.Pass);
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

using System.Text.Encodings.Web;
using System.Text.Json;
using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Golden;
using ConvCompare.Implementations;
using ConvCompare.Oracles;
using ConvCompare.Reports;

namespace ConvCompare.Kit;

/// <summary>
/// The machine-readable report of <c>judge</c> (<c>--json FILE</c>): snake_case, <c>schema_version</c>
/// first. Per case its status (pass, fail, unusable), the output file's problem, and per output tensor
/// the metrics against the reference; non-finite numbers are written as null.
/// </summary>
internal static class KitJsonReport
{
    /// <summary>Writes <paramref name="judgement"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, KitJudgement judgement)
    {
        ArgumentNullException.ThrowIfNull(judgement);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        ReportSchema.WriteVersion(json);
        json.WriteString("tool", "convcompare");
        json.WriteString("version", JsonReport.Version);
        json.WriteString("command", "judge");
        json.WriteString("kit", judgement.Kit);
        json.WriteString("outputs", judgement.Outputs);
        json.WriteString("judged_against", BuiltInImplementations.ArbiterName);
        json.WriteBoolean(BuiltInImplementations.OracleName, judgement.Torch);
        if (judgement.Torch)
        {
            json.WriteString("torchsharp", TorchRuntime.TorchSharpVersion);
            json.WriteString("libtorch", TorchRuntime.LibTorchVersion);
        }
        json.WriteStartObject("summary");
        json.WriteNumber("cases", judgement.Cases.Count);
        json.WriteNumber("passed", judgement.Passed);
        json.WriteNumber("failed", judgement.Failed);
        json.WriteNumber("unusable", judgement.Unusable);
        json.WriteNumber("stray_files", judgement.Strays.Count);
        json.WriteNumber("oracle_faults", judgement.OracleFaults);
        json.WriteNumber("exit_code", judgement.ExitCode);
        JsonReport.Number(json, "seconds", Math.Round(judgement.Seconds, 3));
        json.WriteEndObject();
        json.WriteStartArray("stray_files");
        foreach (var stray in judgement.Strays)
        {
            json.WriteStartObject();
            json.WriteString("file", stray.File);
            json.WriteString("problem", stray.Sentence);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("cases");
        foreach (var verdict in judgement.Cases)
            WriteCase(json, verdict, judgement.Kit);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteCase(Utf8JsonWriter json, KitCaseVerdict verdict, string kit)
    {
        json.WriteStartObject();
        json.WriteString("id", verdict.Id);
        json.WriteString("dtype", GoldenFormat.DTypeText(verdict.Config.Dtype));
        json.WriteString("activation", KitFormat.ActivationName(verdict.Config.Activation));
        json.WriteBoolean("bias", verdict.Config.Bias);
        json.WriteString("output", verdict.Output);
        json.WriteString("status", verdict.Problem is not null ? "unusable" : verdict.Pass ? "pass" : "fail");
        json.WriteBoolean("pass", verdict.Pass);
        json.WriteString("problem", verdict.Problem);
        json.WriteStartObject("tensors");
        foreach (var tensor in verdict.Tensors)
        {
            json.WriteStartObject(KitFormat.OutputName(verdict.Config, tensor.Kind));
            JsonReport.Comparison(json, tensor.Judged);
            json.WriteBoolean("pass", tensor.Pass);
            json.WriteNumber("out_of_bound", tensor.Judged.OutOfBoundCount);
            json.WriteStartArray("evidence");
            foreach (string e in tensor.Evidence)
                json.WriteStringValue(e);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndObject();
        if (verdict.Torch is { } torch)
        {
            json.WriteStartObject(BuiltInImplementations.OracleName);
            json.WriteBoolean("fault", torch.Fault);
            json.WriteString("error", torch.Error);
            json.WriteStartObject("tensors");
            foreach (var c in torch.VersusReference)
            {
                json.WriteStartObject(KitFormat.OutputName(verdict.Config, c.Kind));
                JsonReport.Comparison(json, c);
                json.WriteBoolean("pass", c.Pass);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        else
            json.WriteNull(BuiltInImplementations.OracleName);
        if (verdict.Failed)
            json.WriteString("repro", KitConsoleReport.Repro(verdict, kit));
        if (verdict.ShrunkId is { } shrunk)
            json.WriteString("shrunk_id", shrunk);
        json.WriteEndObject();
    }
}

using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Oracles;
using ConvCompare.Runner;

namespace ConvCompare.Reports;

/// <summary>
/// The machine-readable report of a run (<c>--json FILE</c>). Non-finite numbers (a NaN from an
/// implementation makes a bound ratio infinite) are written as null.
/// </summary>
internal static class JsonReport
{
    /// <summary>Which fields are the same on every machine for the same arguments, and which are not; written into every report.</summary>
    public static readonly (string MachineIndependent, string MachineDependent) FieldStability = (
        "seed, requested_cases, shard, dtype, impl and, per case, id, dtype, n, cin, h, w, cout, kh, kw, stride, padding, dilation, groups, bias, " +
        "activation, clip, impl and gradcheck.{mode, checks, worst, max_error, tolerance, pass}: the case list, the inputs and everything derived " +
        "from ConvRef and the harness's own sums (the numeric side differentiates the harness's definition-level forward, summed in an order fixed by its loops; the vectorized " +
        "implementation's own gradients sum in an order that follows the machine's vector width, so for impl vectorized max_error can differ in " +
        "the last bits; inputs of sigmoid and tanh cases are the same as far as the C runtime's exp and tanh agree to the last bit)",
        "tensors.* (every number compares with TorchSharp, whose libtorch picks kernels per CPU), oracle and gradcheck.oracle_pass (TorchSharp's " +
        "faults can be intermittent), pass (decided against TorchSharp first, so it can only differ where TorchSharp does), summary.oracle_faults, " +
        "seconds, torchsharp, libtorch");

    /// <summary>Writes <paramref name="report"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var summary = report.Summary;
        json.WriteStartObject();
        json.WriteString("tool", "convcompare");
        json.WriteString("version", Version);
        json.WriteString("command", report.Command);
        if (report.Seed is { } seed)
            json.WriteNumber("seed", seed);
        else
            json.WriteNull("seed");
        json.WriteNumber("requested_cases", report.RequestedCases);
        json.WriteString("shard", report.Shard.ToString());
        json.WriteString("dtype", report.Dtype);
        json.WriteString("impl", report.Implementations);
        json.WriteBoolean("strict_oracle", summary.StrictOracle);
        json.WriteString("torchsharp", TorchRuntime.TorchSharpVersion);
        json.WriteString("libtorch", TorchRuntime.LibTorchVersion);
        json.WriteStartObject("field_stability");
        json.WriteString("machine_independent", FieldStability.MachineIndependent);
        json.WriteString("machine_dependent", FieldStability.MachineDependent);
        json.WriteEndObject();
        json.WriteStartObject("summary");
        json.WriteNumber("total", summary.Total);
        json.WriteNumber("passed", summary.Passed);
        json.WriteNumber("failed", summary.Failed);
        json.WriteNumber("oracle_faults", summary.OracleFaults);
        json.WriteNumber("cases", summary.Cases);
        Number(json, "seconds", Math.Round(report.Seconds, 3));
        json.WriteStartObject("coverage");
        foreach (var (name, count) in summary.Coverage)
            json.WriteNumber(name, count);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartArray("cases");
        foreach (var result in summary.Results)
            WriteResult(json, result);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static string Version =>
        typeof(JsonReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    private static void WriteResult(Utf8JsonWriter json, CaseResult r)
    {
        var c = r.Config;
        json.WriteStartObject();
        json.WriteString("id", r.Id);
        json.WriteString("dtype", RunReport.DtypeName(c.Dtype));
        json.WriteNumber("n", c.N);
        json.WriteNumber("cin", c.Cin);
        json.WriteNumber("h", c.H);
        json.WriteNumber("w", c.W);
        json.WriteNumber("cout", c.Cout);
        json.WriteNumber("kh", c.KH);
        json.WriteNumber("kw", c.KW);
        Ints(json, "stride", c.StrideH, c.StrideW);
        Ints(json, "padding", c.PadTop, c.PadBottom, c.PadLeft, c.PadRight);
        Ints(json, "dilation", c.DilationH, c.DilationW);
        json.WriteNumber("groups", c.Groups);
        json.WriteBoolean("bias", c.Bias);
        json.WriteString("activation", CaseId.ActivationToken(c.Activation));
        if (c.Clip is { } clip)
            json.WriteNumber("clip", clip);
        else
            json.WriteNull("clip");
        json.WriteString("impl", r.Implementation);
        json.WriteStartObject("tensors");
        foreach (var t in r.Tensors)
        {
            json.WriteStartObject(t.Kind.Name());
            Comparison(json, t.VersusOracle);
            json.WriteBoolean("pass", t.Pass);
            if (t.Arbitrated)
            {
                json.WriteStartObject("arbitration");
                Number(json, "convref_bound_ratio", t.ConvRefVersusReference!.BoundRatio);
                json.WriteBoolean("convref_pass", t.ConvRefVersusReference.Pass);
                Number(json, "oracle_bound_ratio", t.OracleVersusReference!.BoundRatio);
                json.WriteBoolean("oracle_pass", t.OracleVersusReference.Pass);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteStartObject("gradcheck");
        json.WriteString("mode", r.GradCheck.ModeName);
        Number(json, "max_error", r.GradCheck.MaxError);
        Number(json, "tolerance", r.GradCheck.Tolerance);
        json.WriteBoolean("pass", r.GradCheck.Pass);
        json.WriteNumber("checks", r.GradCheck.Checks);
        json.WriteString("worst", r.GradCheck.Worst);
        json.WriteBoolean("oracle_pass", r.OracleGradCheck.Pass);
        json.WriteEndObject();
        json.WriteStartObject("oracle");
        json.WriteString("verdict", r.OracleAgrees ? "agree" : "fault");
        if (!r.OracleAgrees)
        {
            json.WriteStartArray("faults");
            foreach (var fault in r.OracleFaults)
            {
                json.WriteStartObject();
                json.WriteString("tensor", fault.What);
                json.WriteString("detail", fault.Detail);
                json.WriteStartArray("elements");
                foreach (var e in fault.Elements)
                    json.WriteStringValue(e);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteString("repro", RunReport.Repro(r.Id));
        }
        json.WriteEndObject();
        json.WriteBoolean("pass", r.Pass);
        if (r.Error is { } error)
            json.WriteString("error", error);
        if (r.ShrunkId is { } shrunk)
            json.WriteString("shrunk_id", shrunk);
        Number(json, "seconds", Math.Round(r.Seconds, 4));
        json.WriteEndObject();
    }

    private static void Comparison(Utf8JsonWriter json, TensorComparison t)
    {
        Number(json, "max_abs", t.MaxAbs);
        Number(json, "max_rel", t.MaxRel);
        Number(json, "bound_ratio", t.BoundRatio);
        json.WriteBoolean("assert_close", t.AssertClose);
    }

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
            json.WriteNumber(name, value);
        else
            json.WriteNull(name);
    }

    private static void Ints(Utf8JsonWriter json, string name, params int[] values)
    {
        json.WriteStartArray(name);
        foreach (int v in values)
            json.WriteNumberValue(v);
        json.WriteEndArray();
    }
}

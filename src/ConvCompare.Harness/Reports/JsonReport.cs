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
        "schema_version, seed, requested_cases, shard, tier, dtype, impl and, per result, id, dtype, n, cin, h, w, cout, kh, kw, stride, padding, dilation, groups, bias, " +
        "activation, clip, impl, role and, for impl serial, gradcheck.{mode, checks, worst, max_error, tolerance, pass}: the case list, the inputs and " +
        "everything derived from ConvRef's serial algorithm and the harness's own sums (the numeric side differentiates the harness's definition-level " +
        "forward, summed in an order fixed by its loops; the vectorized implementation's own gradients sum in an order that follows the machine's vector " +
        "width, so for impl vectorized max_error can differ in the last bits; inputs of sigmoid and tanh cases are the same as far as the C runtime's exp " +
        "and tanh agree to the last bit); error_inputs.requested_cases and, per error-input case, id, rule, op, statement, expected_parameter, impl, role, " +
        "and for ConvRef's implementations their attempts, disagreement, verdict and pass (ConvRef's refusals are its own validation's words)",
        "tensors.* (every ConvRef number is compared with TorchSharp first, whose libtorch picks kernels per CPU, and with the reference only where " +
        "they disagree), every field of the results with impl torch (TorchSharp's faults can be intermittent), pass (decided against TorchSharp " +
        "first, so it can only differ where TorchSharp does), summary.oracle_faults, seconds, torchsharp, libtorch, and in error_inputs every " +
        "seconds, the counts and the attempts of impl torch (libtorch's messages differ between its versions and builds), and the disagreement and " +
        "verdict of any entry that quote them");

    /// <summary>Writes <paramref name="report"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var summary = report.Summary;
        json.WriteStartObject();
        ReportSchema.WriteVersion(json);
        json.WriteString("tool", "convcompare");
        json.WriteString("version", Version);
        json.WriteString("command", report.Command);
        if (report.Seed is { } seed)
            json.WriteNumber("seed", seed);
        else
            json.WriteNull("seed");
        json.WriteNumber("requested_cases", report.RequestedCases);
        json.WriteString("shard", report.Shard.ToString());
        json.WriteString("tier", report.Tier);
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
        json.WriteNumber("convref_failures", summary.ConvRefFailures);
        json.WriteNumber("oracle_faults", summary.OracleFaults);
        json.WriteNumber("cases", summary.Cases);
        json.WriteStartObject("implementations");
        foreach (var count in summary.Implementations)
        {
            json.WriteStartObject(count.Implementation);
            json.WriteString("role", ReportSchema.Role(count.IsOracle));
            json.WriteNumber("results", count.Compared);
            json.WriteNumber("failed", count.Failed);
            json.WriteNumber("crashed", count.Crashed);
            json.WriteEndObject();
        }
        json.WriteEndObject();
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
        if (report.RequestedErrorCases > 0)
            ErrorInputReport.WriteJson(json, report);
        json.WriteEndObject();
    }

    /// <summary>The program version a report names; <c>merge</c> refuses reports of another version.</summary>
    public static string Version =>
        typeof(JsonReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    private static void WriteResult(Utf8JsonWriter json, CaseResult r)
    {
        var c = r.Config;
        json.WriteStartObject();
        json.WriteString("id", r.Id);
        json.WriteString("dtype", RunReport.DtypeName(c.Dtype));
        json.WriteNumber("n", c.Shape.N);
        json.WriteNumber("cin", c.Shape.Cin);
        json.WriteNumber("h", c.Shape.H);
        json.WriteNumber("w", c.Shape.W);
        json.WriteNumber("cout", c.Shape.Cout);
        json.WriteNumber("kh", c.Shape.KH);
        json.WriteNumber("kw", c.Shape.KW);
        Ints(json, "stride", c.Geometry.StrideH, c.Geometry.StrideW);
        Ints(json, "padding", c.Geometry.PadTop, c.Geometry.PadBottom, c.Geometry.PadLeft, c.Geometry.PadRight);
        Ints(json, "dilation", c.Geometry.DilationH, c.Geometry.DilationW);
        json.WriteNumber("groups", c.Geometry.Groups);
        if (c.Family is { } family)
        {
            // A family case's own words: the fields above are its height and width axes only.
            json.WriteString("op", family.Op.Name());
            json.WriteString("padding_mode", family.Mode.Token());
            Ints(json, "input_shape", c.InputShape);
            Ints(json, "weight_shape", c.WeightShape);
            Ints(json, "output_shape", c.OutputShape);
        }
        json.WriteBoolean("bias", c.Bias);
        json.WriteString("activation", CaseId.ActivationToken(c.Activation));
        if (c.Clip is { } clip)
            json.WriteNumber("clip", clip);
        else
            json.WriteNull("clip");
        json.WriteString("impl", r.Implementation);
        json.WriteString("role", ReportSchema.Role(r.IsOracle));
        json.WriteStartObject("tensors");
        foreach (var t in r.Tensors)
        {
            json.WriteStartObject(t.Kind.Name());
            json.WriteString("judged_against", ReportSchema.JudgedAgainst(r.IsOracle, t.Arbitrated));
            Comparison(json, t.Judged);
            json.WriteBoolean("pass", t.Pass);
            if (t.Arbitrated && t.Agreement is { } agreement)
                Number(json, "agreement_bound_ratio", agreement.BoundRatio);
            json.WriteNumber("out_of_bound", t.Judged.OutOfBoundCount);
            if (t.Threads is { } threads)
            {
                json.WriteStartObject("thread_check");
                json.WriteNumber("threads", threads.Threads);
                json.WriteBoolean("pass", threads.Pass);
                json.WriteString("message", threads.Pass ? null : threads.Message(r.Implementation));
                json.WriteEndObject();
            }
            json.WriteStartArray("evidence");
            foreach (var e in t.Evidence)
                json.WriteStringValue(e);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndObject();
        if (r.GradCheck is { } check)
            GradCheck(json, "gradcheck", check);
        else
            json.WriteNull("gradcheck");
        // Only at second order, so that every first-order report is what it was.
        if (r.GradGradCheck is { } secondOrder)
            GradCheck(json, "gradgradcheck", secondOrder);
        json.WriteBoolean("pass", r.Pass);
        json.WriteBoolean("crashed", r.Crashed);
        json.WriteString("error", r.Error);
        if (!r.Pass)
            json.WriteString("repro", RunReport.Repro(r.Id));
        if (r.ShrunkId is { } shrunk)
            json.WriteString("shrunk_id", shrunk);
        Number(json, "seconds", Math.Round(r.Seconds, 4));
        json.WriteEndObject();
    }

    private static void GradCheck(Utf8JsonWriter json, string name, GradCheck.GradCheckResult check)
    {
        json.WriteStartObject(name);
        json.WriteString("mode", check.ModeName);
        Number(json, "max_error", check.MaxError);
        Number(json, "tolerance", check.Tolerance);
        json.WriteBoolean("pass", check.Pass);
        json.WriteNumber("checks", check.Checks);
        json.WriteString("worst", check.Worst);
        json.WriteEndObject();
    }

    /// <summary>A tensor comparison's numbers, as every JSON report writes them.</summary>
    internal static void Comparison(Utf8JsonWriter json, TensorComparison t)
    {
        Number(json, "max_abs", t.MaxAbs);
        Number(json, "max_rel", t.MaxRel);
        Number(json, "bound_ratio", t.BoundRatio);
        json.WriteBoolean("assert_close", t.AssertClose);
    }

    /// <summary>A number, or null where it is not finite (JSON has no NaN or infinity).</summary>
    internal static void Number(Utf8JsonWriter json, string name, double value)
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

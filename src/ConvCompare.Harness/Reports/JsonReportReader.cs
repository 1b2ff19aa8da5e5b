using System.Text.Json;
using ConvCompare.Cases;
using ConvCompare.Implementations;
using ConvCompare.Comparison;
using ConvCompare.GradCheck;
using ConvCompare.Limits;
using ConvCompare.Runner;

namespace ConvCompare.Reports;

/// <summary>A run report read back from its JSON file, with what the writer wrote besides the report itself.</summary>
/// <param name="File">The file as the user named it.</param>
/// <param name="SchemaVersion">Its <c>schema_version</c>.</param>
/// <param name="Version">The program version that wrote it.</param>
/// <param name="Report">The report: arguments and results, with the summary recomputed from the results.</param>
internal sealed record ReadReport(string File, int SchemaVersion, string Version, RunReport Report);

/// <summary>
/// Reads what <see cref="JsonReport"/> writes, as untrusted input: a regular file of bounded size,
/// every field checked for its type and range, and the verdicts the file states checked against the
/// verdicts its numbers give (and its summary against its results), so a hand-edited or truncated
/// report is refused rather than merged. A problem is one sentence naming the file and the field.
/// </summary>
internal static class JsonReportReader
{
    /// <summary>Deeper than any report nests (the top object, cases, a case, tensors, a tensor, evidence).</summary>
    private const int MaxDepth = 8;

    /// <summary>Reads <paramref name="path"/>, at most <paramref name="maxBytes"/> bytes; null with one sentence in <paramref name="problem"/> when it is not a run report this program can read.</summary>
    public static ReadReport? Read(string path, long maxBytes, out string problem)
    {
        ArgumentNullException.ThrowIfNull(path);
        string shown = UntrustedText.Escape(path);
        maxBytes = Math.Min(maxBytes, Array.MaxLength);
        if (InputFile.Problem(path, maxBytes, ResourceLimits.MemoryOption) is { } fileProblem)
        {
            problem = $"{shown}: the file {fileProblem}";
            return null;
        }
        try
        {
            byte[] bytes = File.ReadAllBytes(path);
            if (bytes.Length > maxBytes)
                throw new InvalidDataException($"the file grew to {bytes.Length} bytes while it was read, more than the {maxBytes} bytes allowed");
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = MaxDepth });
            problem = "";
            return Parse(path, document.RootElement);
        }
        catch (JsonException ex)
        {
            problem = $"{shown}: not JSON ({UntrustedText.Show(ex.Message)})";
        }
        catch (InvalidDataException ex)
        {
            problem = $"{shown}: {ex.Message}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"{shown}: the file cannot be read ({UntrustedText.Escape(ex.Message.TrimEnd('.'))})";
        }
        return null;
    }

    private static ReadReport Parse(string path, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw Bad("the top level is not an object");
        int schema = Int(root, ReportSchema.VersionField, "");
        if (schema != ReportSchema.Version)
            throw Bad($"schema_version is {schema}, and this program reads version {ReportSchema.Version} only");
        if (Text(root, "tool", "") != "convcompare")
            throw Bad("tool is not convcompare, so this is not a run report");
        string command = Text(root, "command", "");
        if (command != "run")
            throw Bad($"command is {UntrustedText.Show(command)}, and only the reports of run are merged");
        string version = Text(root, "version", "");
        ulong seed = Get(root, "seed", "", JsonValueKind.Number).TryGetUInt64(out ulong s) ? s : throw Bad("seed is not a 64-bit unsigned integer");
        int requested = Int(root, "requested_cases", "");
        var errorInputs = root.TryGetProperty("error_inputs", out var errorsElement) ? ErrorInputs(errorsElement) : ([], 0);
        if (requested < 1 && errorInputs.Requested < 1)
            throw Bad("requested_cases is less than 1, and there are no error inputs");
        if (!Shard.TryParse(Text(root, "shard", ""), out var shard, out _))
            throw Bad("shard is not i/n with 1 <= i <= n");
        string tier = Text(root, "tier", "");
        string dtype = Text(root, "dtype", "");
        string impl = Text(root, "impl", "");
        bool strict = Bool(root, "strict_oracle", "");
        var summary = Get(root, "summary", "", JsonValueKind.Object);
        var cases = Get(root, "cases", "", JsonValueKind.Array);
        var results = new List<CaseResult>(cases.GetArrayLength());
        int index = 0;
        foreach (var entry in cases.EnumerateArray())
            results.Add(Result(entry, $"cases[{index++}]."));
        var report = new RunReport(command, seed, requested, shard, tier, dtype, impl, new RunSummary(results, strict),
            Number(summary, "seconds", "summary.") is var seconds && double.IsFinite(seconds) ? seconds : 0)
        {
            RequestedErrorCases = errorInputs.Requested,
            ErrorInputs = errorInputs.Results,
        };
        foreach (var (name, value) in new[] { ("total", report.Summary.Total), ("passed", report.Summary.Passed), ("failed", report.Summary.Failed), ("cases", report.Summary.Cases) })
            if (Int(summary, name, "summary.") != value)
                throw Bad($"summary.{name} is {Int(summary, name, "summary.")}, but its cases give {value}");
        return new ReadReport(path, schema, version, report);
    }

    private static CaseResult Result(JsonElement entry, string at)
    {
        if (entry.ValueKind != JsonValueKind.Object)
            throw Bad($"{at.TrimEnd('.')} is not an object");
        string id = Text(entry, "id", at);
        if (!CaseId.TryParse(id, out var config, out _))
            throw Bad($"{at}id {UntrustedText.Show(id)} is not a case id");
        string impl = Text(entry, "impl", at);
        if (!ImplementationRegistry.IsWellFormedName(impl))
            throw Bad($"{at}impl is {UntrustedText.Show(impl)}, not an implementation name (lower-case letters, digits and '-')");
        string role = Text(entry, "role", at);
        bool isOracle = role == ReportSchema.OracleRole || (role == ReportSchema.ImplementationRole ? false
            : throw Bad($"{at}role is neither {ReportSchema.OracleRole} nor {ReportSchema.ImplementationRole}"));
        double seconds = Number(entry, "seconds", at);
        var error = Get(entry, "error", at, JsonValueKind.String, JsonValueKind.Null);
        var result = new CaseResult(config, impl, isOracle, Tensors(entry, at, isOracle), GradCheckOf(entry, at, impl),
            double.IsFinite(seconds) ? seconds : 0)
        {
            Error = error.ValueKind == JsonValueKind.String ? error.GetString() : null,
            ShrunkId = entry.TryGetProperty("shrunk_id", out var shrunk) && shrunk.ValueKind == JsonValueKind.String ? shrunk.GetString() : null,
            GradGradCheck = entry.TryGetProperty("gradgradcheck", out _) ? GradCheckOf(entry, at, impl, "gradgradcheck") : null,
        };
        if (Bool(entry, "crashed", at) != result.Crashed)
            throw Bad($"{at}crashed does not agree with its error");
        if (Bool(entry, "pass", at) != result.Pass)
            throw Bad($"{at}pass does not agree with its tensors and gradient check");
        return result;
    }

    /// <summary>
    /// The <c>error_inputs</c> object: each case rebuilt from its id, each attempt's outcome read back, and the
    /// verdict the file states checked against the outcomes and the parameter the case expects.
    /// </summary>
    private static (IReadOnlyList<ErrorResult> Results, int Requested) ErrorInputs(JsonElement element)
    {
        const string at = "error_inputs.";
        if (element.ValueKind != JsonValueKind.Object)
            throw Bad("error_inputs is not an object");
        int requested = Int(element, "requested_cases", at);
        var results = new List<ErrorResult>();
        int index = 0;
        foreach (var entry in Get(element, "cases", at, JsonValueKind.Array).EnumerateArray())
        {
            string here = $"{at}cases[{index++}].";
            if (entry.ValueKind != JsonValueKind.Object)
                throw Bad($"{here.TrimEnd('.')} is not an object");
            string id = Text(entry, "id", here);
            if (!ErrorCase.TryParse(id, out var errorCase, out _))
                throw Bad($"{here}id {UntrustedText.Show(id)} is not an error-input id");
            string impl = Text(entry, "impl", here);
            if (!ImplementationRegistry.IsWellFormedName(impl))
                throw Bad($"{here}impl is {UntrustedText.Show(impl)}, not an implementation name (lower-case letters, digits and '-')");
            bool isOracle = Text(entry, "role", here) switch
            {
                "oracle" => true,
                "convref" => false,
                _ => throw Bad($"{here}role is neither oracle nor convref"),
            };
            var attempts = new List<ErrorAttempt>();
            foreach (var a in Get(entry, "attempts", here, JsonValueKind.Array).EnumerateArray())
            {
                if (a.ValueKind != JsonValueKind.Object)
                    throw Bad($"{here}attempts holds a value that is not an object");
                var pass = Text(a, "pass", here + "attempts.") switch
                {
                    "forward" => ErrorPasses.Forward,
                    "backward" => ErrorPasses.Backward,
                    "double_backward" => ErrorPasses.DoubleBackward,
                    _ => throw Bad($"{here}attempts.pass is not forward, backward or double_backward"),
                };
                var outcome = Enum.GetValues<ErrorOutcome>().Where(o => ErrorInputReport.Token(o) == Text(a, "outcome", here + "attempts.")).Cast<ErrorOutcome?>().FirstOrDefault()
                    ?? throw Bad($"{here}attempts.outcome is not refused, wrong_parameter, crashed or accepted");
                var parameter = Get(a, "parameter", here + "attempts.", JsonValueKind.String, JsonValueKind.Null);
                string? named = parameter.ValueKind == JsonValueKind.String ? parameter.GetString() : null;
                bool argumentError = outcome is ErrorOutcome.Refused or ErrorOutcome.WrongParameter;
                if (!isOracle && argumentError && (outcome == ErrorOutcome.Refused) != ErrorRule.Names(named, errorCase.Parameter))
                    throw Bad($"{here}attempts.outcome does not agree with the parameter it names and the one the case expects");
                attempts.Add(new ErrorAttempt(pass, outcome, named, Text(a, "message", here + "attempts.")));
            }
            var disagreement = Get(entry, "disagreement", here, JsonValueKind.String, JsonValueKind.Null);
            var result = new ErrorResult(errorCase, impl, isOracle, attempts, Number(entry, "seconds", here) is var s && double.IsFinite(s) ? s : 0)
            {
                Disagreement = disagreement.ValueKind == JsonValueKind.String ? disagreement.GetString() : null,
            };
            if (Bool(entry, "pass", here) != result.Pass)
                throw Bad($"{here}pass does not agree with its attempts");
            results.Add(result);
        }
        return (results, requested);
    }

    private static List<TensorVerdict> Tensors(JsonElement entry, string at, bool isOracle)
    {
        var verdicts = new List<TensorVerdict>();
        foreach (var tensor in Get(entry, "tensors", at, JsonValueKind.Object).EnumerateObject())
        {
            var kind = TensorKinds.Reported.Where(k => k.Name() == tensor.Name).Cast<TensorKind?>().FirstOrDefault()
                ?? throw Bad($"{at}tensors names {UntrustedText.Show(tensor.Name)}, not y, dx, dw, db, d2x, d2w, d2dy or d2z");
            string here = $"{at}tensors.{kind.Name()}.";
            var t = tensor.Value;
            if (t.ValueKind != JsonValueKind.Object)
                throw Bad($"{here.TrimEnd('.')} is not an object");
            string against = Text(t, "judged_against", here);
            bool arbitrated = against == ReportSchema.JudgedAgainst(isOracle, arbitrated: true);
            if (!arbitrated && against != ReportSchema.JudgedAgainst(isOracle, arbitrated: false))
                throw Bad($"{here}judged_against is {UntrustedText.Show(against)}, which this role is never judged against");
            var judged = new TensorComparison(kind, Number(t, "max_abs", here), Number(t, "max_rel", here), Ratio(t, "bound_ratio", here),
                Bool(t, "assert_close", here), [], Int(t, "out_of_bound", here));
            var evidence = Get(t, "evidence", here, JsonValueKind.Array).EnumerateArray()
                .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Bad($"{here}evidence holds a value that is not a string")).ToList();
            TensorVerdict verdict = arbitrated
                ? new TensorVerdict(kind, t.TryGetProperty("agreement_bound_ratio", out _)
                    ? new TensorComparison(kind, double.NaN, double.NaN, Ratio(t, "agreement_bound_ratio", here), false, [], 0) : null, judged, evidence)
                : new TensorVerdict(kind, judged, null, evidence);
            if (Bool(t, "pass", here) != verdict.Pass)
                throw Bad($"{here}pass does not agree with its bound_ratio");
            verdicts.Add(verdict);
        }
        return verdicts;
    }

    private static GradCheckResult? GradCheckOf(JsonElement entry, string at, string impl, string name = "gradcheck")
    {
        var check = Get(entry, name, at, JsonValueKind.Object, JsonValueKind.Null);
        if (check.ValueKind == JsonValueKind.Null)
            return null;
        string here = at + name + ".";
        var mode = Text(check, "mode", here) switch
        {
            "full" => GradCheckMode.Full,
            "fast" => GradCheckMode.Fast,
            _ => throw Bad($"{here}mode is neither full nor fast"),
        };
        return new GradCheckResult(impl, mode, Int(check, "checks", here), Number(check, "max_error", here), Number(check, "tolerance", here),
            Text(check, "worst", here), Bool(check, "pass", here));
    }

    private static JsonElement Get(JsonElement parent, string name, string at, params JsonValueKind[] kinds)
    {
        if (!parent.TryGetProperty(name, out var value))
            throw Bad($"{at}{name} is missing");
        if (!kinds.Contains(value.ValueKind))
            throw Bad($"{at}{name} is {Kind(value.ValueKind)}, not {string.Join(" or ", kinds.Select(Kind))}");
        return value;
    }

    private static string Text(JsonElement parent, string name, string at) => Get(parent, name, at, JsonValueKind.String).GetString()!;

    private static bool Bool(JsonElement parent, string name, string at) =>
        Get(parent, name, at, JsonValueKind.True, JsonValueKind.False).GetBoolean();

    private static int Int(JsonElement parent, string name, string at) =>
        Get(parent, name, at, JsonValueKind.Number).TryGetInt32(out int value) && value >= 0 ? value
            : throw Bad($"{at}{name} is not a whole number from 0 to {int.MaxValue}");

    /// <summary>A number, or NaN where the writer wrote null for a value that was not finite.</summary>
    private static double Number(JsonElement parent, string name, string at)
    {
        var value = Get(parent, name, at, JsonValueKind.Number, JsonValueKind.Null);
        return value.ValueKind == JsonValueKind.Null ? double.NaN : value.GetDouble();
    }

    /// <summary>A bound ratio; null stands for one that was not finite, which fails as +infinity does (a NaN from an implementation makes the ratio infinite).</summary>
    private static double Ratio(JsonElement parent, string name, string at) =>
        Number(parent, name, at) is var ratio && double.IsNaN(ratio) ? double.PositiveInfinity : ratio;

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static InvalidDataException Bad(string what) => new(what);
}

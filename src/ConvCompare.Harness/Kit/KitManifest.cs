using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using ConvCompare.Cases;
using ConvCompare.Golden;
using ConvCompare.Limits;
using ConvCompare.Reports;

namespace ConvCompare.Kit;

/// <summary>
/// The kit's <see cref="KitFormat.Manifest"/>: the cases, their ids and dtypes, and for each exactly
/// which input file to read and which output file to write, with every tensor's name and shape.
/// Snake_case, <c>schema_version</c> first, like every JSON file the program writes.
/// </summary>
/// <remarks>
/// The judge reads back only what it cannot derive: the schema version and the case ids. Every path
/// and shape follows from an id by the contract, so a manifest edited to point elsewhere (another
/// folder, a path with "..") cannot make the judge read or blame any file but the contract's.
/// </remarks>
internal static class KitManifest
{
    /// <summary>Most cases a manifest may list: each is a file, so more is a typo, not a request.</summary>
    public const int MaxCases = 100_000;

    /// <summary>Largest manifest read: far beyond <see cref="MaxCases"/> entries of a few hundred bytes.</summary>
    public const long MaxBytes = 256L << 20;

    /// <summary>Longest case id read: a real one has well under a hundred characters.</summary>
    private const int MaxIdLength = 200;

    /// <summary>Writes the manifest of <paramref name="cases"/>.</summary>
    public static void Write(Stream stream, IReadOnlyList<CaseConfig> cases, KitOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(origin);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        int version = KitFormat.VersionOf(cases);
        json.WriteStartObject();
        json.WriteNumber(ReportSchema.VersionField, version);
        json.WriteString("kind", "convcompare conformance kit");
        json.WriteString("tool", "convcompare");
        json.WriteString("version", JsonReport.Version);
        if (origin.Seed is { } seed)
            json.WriteNumber("seed", seed);
        else
            json.WriteNull("seed");
        json.WriteString("tier", origin.Tier);
        json.WriteString("dtype", origin.Dtype);
        json.WriteString("inputs", KitFormat.InputsFolder);
        json.WriteString("outputs", KitFormat.OutputsFolder);
        json.WriteNumber("leaky_slope", CaseConfig.LeakySlope);
        json.WriteStartArray("cases");
        foreach (var config in cases)
        {
            string id = CaseId.Format(config);
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteString("dtype", GoldenFormat.DTypeText(config.Dtype));
            json.WriteString("stored_dtype", KitFormat.StoredDType(config.Dtype));
            json.WriteString("activation", KitFormat.ActivationName(config.Activation));
            json.WriteBoolean("bias", config.Bias);
            json.WriteBoolean("nonfinite", ValueKinds.NonFinite(config.Values));
            if (version == KitFormat.FamilyVersion)
                KitManifestGeometry.Write(json, config);
            json.WriteString("input", KitFormat.InputPath(id));
            Shapes(json, "input_tensors", KitFormat.Inputs(config));
            json.WriteString("output", KitFormat.OutputPath(id));
            Shapes(json, "output_tensors", [.. KitFormat.Outputs(config).Select(o => (o.Name, o.Shape))]);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>
    /// The cases of the kit in <paramref name="folder"/>, in the manifest's order; null with one sentence
    /// in <paramref name="problem"/> naming the manifest and the rule it breaks.
    /// </summary>
    public static IReadOnlyList<CaseConfig>? Read(string folder, long maxFileBytes, out string problem)
    {
        string path = Path.Combine(folder, KitFormat.Manifest);
        string shown = UntrustedText.Escape(path);
        if (InputFile.Problem(path, Math.Min(maxFileBytes, MaxBytes), ResourceLimits.MemoryOption) is { } fileProblem)
        {
            problem = $"{shown}: the kit's manifest {fileProblem}; a kit is a folder written by the kit command";
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 16 });
            return Cases(document.RootElement, shown, out problem);
        }
        catch (JsonException ex)
        {
            problem = $"{shown}: the kit's manifest is not valid JSON ({UntrustedText.Show(ex.Message.Split('\n')[0].TrimEnd('.'))})";
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"{shown}: the kit's manifest cannot be read ({UntrustedText.Show(ex.Message.TrimEnd('.'))})";
            return null;
        }
    }

    private static List<CaseConfig>? Cases(JsonElement root, string shown, out string problem)
    {
        problem = "";
        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = $"{shown}: the kit's manifest is not a JSON object";
            return null;
        }
        if (!root.TryGetProperty(ReportSchema.VersionField, out var version) || version.ValueKind != JsonValueKind.Number ||
            !version.TryGetInt32(out int v) || v is not (KitFormat.Version or KitFormat.FamilyVersion))
        {
            problem = string.Create(CultureInfo.InvariantCulture,
                $"{shown}: the kit's manifest must have \"{ReportSchema.VersionField}\": {KitFormat.Version} or {KitFormat.FamilyVersion}, the versions of the kit contract this judge knows (it has {(root.TryGetProperty(ReportSchema.VersionField, out var given) ? UntrustedText.Show(given.GetRawText()) : "none")})");
            return null;
        }
        if (!root.TryGetProperty("cases", out var cases) || cases.ValueKind != JsonValueKind.Array)
        {
            problem = $"{shown}: the kit's manifest has no \"cases\" array";
            return null;
        }
        if (cases.GetArrayLength() is 0 or > MaxCases)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"{shown}: the kit's manifest lists {cases.GetArrayLength()} cases; a kit has 1 to {MaxCases}");
            return null;
        }
        var configs = new List<CaseConfig>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int index = 0;
        foreach (var entry in cases.EnumerateArray())
        {
            string where = string.Create(CultureInfo.InvariantCulture, $"{shown}: case {index++}");
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String)
            {
                problem = $"{where} has no string \"id\"";
                return null;
            }
            string id = idElement.GetString()!;
            if (id.Length > MaxIdLength)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"{where}: the id '{UntrustedText.Show(id)}' is longer than the {MaxIdLength} characters any case id has");
                return null;
            }
            if (!CaseId.TryParse(id, out var config, out string error))
            {
                problem = $"{where}: {UntrustedText.Escape(error)}";
                return null;
            }
            if (config.Clip is not null)
            {
                problem = $"{where}: the case id '{id}' clips dJ/dw, which the kit contract does not ask of an implementation";
                return null;
            }
            if (config.Family is not null && v == KitFormat.Version)
            {
                problem = string.Create(CultureInfo.InvariantCulture,
                    $"{where}: the case id '{id}' is a case of the convolution family ({config.Op.Name()}), which a kit of \"{ReportSchema.VersionField}\": {KitFormat.Version} cannot hold (version {KitFormat.FamilyVersion} can); write the kit again");
                return null;
            }
            if (!seen.Add(id))
            {
                problem = $"{where}: the case id '{id}' is listed twice";
                return null;
            }
            configs.Add(config);
        }
        return configs;
    }

    private static void Shapes(Utf8JsonWriter json, string name, IReadOnlyList<(string Name, int[] Shape)> tensors)
    {
        json.WriteStartObject(name);
        foreach (var (tensor, shape) in tensors)
        {
            json.WriteStartArray(tensor);
            foreach (int d in shape)
                json.WriteNumberValue(d);
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }
}

using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConvCompare.Snapshots;

/// <summary>
/// One snapshot as it is now: a JSON tree written with a fixed key order, plus the tolerance of every
/// number in it that may move with rounding. Numbers without a registered tolerance compare exactly.
/// </summary>
internal sealed class SnapshotDocument
{
    private static readonly JsonSerializerOptions Format = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly Dictionary<string, NumberTolerance> _tolerances = new(StringComparer.Ordinal);

    /// <summary>The tree; containers are attached before numbers are added so their paths are final.</summary>
    public JsonObject Root { get; } = new();

    /// <summary>Tolerances by JSON path (<c>$.tensors.dw.values[3]</c>).</summary>
    public IReadOnlyDictionary<string, NumberTolerance> Tolerances => _tolerances;

    /// <summary>Sets <paramref name="parent"/>[<paramref name="key"/>] to a number that may move by <paramref name="tolerance"/>.</summary>
    public void Add(JsonObject parent, string key, double value, NumberTolerance tolerance)
    {
        ArgumentNullException.ThrowIfNull(parent);
        parent[key] = Number(value, tolerance.IsSingle);
        _tolerances[parent[key]!.GetPath()] = tolerance;
    }

    /// <summary>Appends a number that may move by <paramref name="tolerance"/>.</summary>
    public void Append(JsonArray array, double value, NumberTolerance tolerance)
    {
        ArgumentNullException.ThrowIfNull(array);
        array.Add(Number(value, tolerance.IsSingle));
        _tolerances[array[^1]!.GetPath()] = tolerance;
    }

    /// <summary>The file text: two-space indentation, one array element per line, LF line ends, final newline.</summary>
    public string ToJson() => ToJson(Root);

    /// <summary>The file text of any tree, in the snapshot format.</summary>
    public static string ToJson(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.ToJsonString(Format) + "\n";
    }

    // float32 values are written in float's shortest round-trip form (1.1, not 1.10000002384);
    // both sides of a comparison go through the same text, so the parse back is consistent.
    private static JsonNode Number(double value, bool isSingle) =>
        isSingle ? JsonValue.Create((float)value) : JsonValue.Create(value);
}

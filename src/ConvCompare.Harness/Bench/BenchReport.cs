using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvCompare.Bench;

/// <summary>The JSON written by <c>bench --json</c>: the machine and one entry per measurement.</summary>
internal sealed record BenchReport(string Tool, string Version, MachineInfo Machine, IReadOnlyList<BenchMeasurement> Measurements)
{
    /// <summary>The report convention's version (see <see cref="Reports.ReportSchema"/>), written first.</summary>
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; init; } = Reports.ReportSchema.Version;

    /// <summary>The FMA peaks the percentages were computed against; none in the tuned child's report.</summary>
    public IReadOnlyList<FmaPeak.Result> Peaks { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The report as JSON text.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static BenchReport Read(string path) =>
        JsonSerializer.Deserialize<BenchReport>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path} holds no bench report");
}

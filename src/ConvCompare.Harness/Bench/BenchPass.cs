using System.Text.Json.Serialization;

namespace ConvCompare.Bench;

/// <summary>What one timed call does.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BenchPass>))]
internal enum BenchPass
{
    /// <summary>Forward only.</summary>
    [JsonStringEnumMemberName("fwd")]
    Fwd,
    /// <summary>Forward, then dJ/da, dJ/dw and dJ/db.</summary>
    [JsonStringEnumMemberName("fwdbwd")]
    FwdBwd,
}

using System.Text.Json;

namespace ConvCompare.Reports;

/// <summary>
/// The one convention of every JSON report the program writes: snake_case field names and a top-level
/// <c>schema_version</c>. A field's meaning never changes within a version; a change of meaning, a
/// rename or a removal raises the version, so a script (or <c>merge</c>) that knows version 1 can trust it.
/// </summary>
internal static class ReportSchema
{
    /// <summary>The schema version of every report this build writes.</summary>
    public const int Version = 1;

    /// <summary>The name of the field that carries <see cref="Version"/>.</summary>
    public const string VersionField = "schema_version";

    /// <summary>Writes the version field; the first field of every report, so a reader meets it before anything whose meaning it fixes.</summary>
    public static void WriteVersion(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteNumber(VersionField, Version);
    }
}

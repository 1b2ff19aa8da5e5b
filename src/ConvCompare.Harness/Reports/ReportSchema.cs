using System.Text.Json;
using ConvCompare.Implementations;

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

    /// <summary>
    /// The <c>role</c> of a result of an implementation under test, and what the oracle's tensors say they
    /// were judged against when the implementations judged them; the word version 1 fixed when ConvRef
    /// was the only implementation, kept for every registered one.
    /// </summary>
    public const string ImplementationRole = "convref";

    /// <summary>The <c>role</c> of the oracle's result.</summary>
    public const string OracleRole = "oracle";

    /// <summary>The role of a result, <see cref="OracleRole"/> or <see cref="ImplementationRole"/>.</summary>
    /// <param name="isOracle">Whether the result is the oracle's.</param>
    public static string Role(bool isOracle) => isOracle ? OracleRole : ImplementationRole;

    /// <summary>
    /// What a tensor was judged against: the arbiter's name when the reference judged it, else the other
    /// side (the oracle's name for an implementation, <see cref="ImplementationRole"/> for the oracle).
    /// </summary>
    /// <param name="isOracle">Whether the tensor is the oracle's.</param>
    /// <param name="arbitrated">Whether the reference judged it.</param>
    public static string JudgedAgainst(bool isOracle, bool arbitrated) =>
        arbitrated ? BuiltInImplementations.ArbiterName : isOracle ? ImplementationRole : BuiltInImplementations.OracleName;

    /// <summary>Writes the version field; the first field of every report, so a reader meets it before anything whose meaning it fixes.</summary>
    public static void WriteVersion(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteNumber(VersionField, Version);
    }
}

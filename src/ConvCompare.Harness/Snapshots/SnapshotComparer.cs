using System.Globalization;
using System.Text.Json;

namespace ConvCompare.Snapshots;

/// <summary>
/// Compares a stored snapshot with the current one, element by element: strings, booleans and
/// structure exactly, numbers within the tolerance the current document registered for their path
/// (exactly when it registered none).
/// </summary>
internal static class SnapshotComparer
{
    /// <summary>Every difference between <paramref name="storedJson"/> and <paramref name="now"/>, in document order.</summary>
    /// <exception cref="JsonException">The stored text is not JSON.</exception>
    public static IReadOnlyList<SnapshotDifference> Compare(string storedJson, SnapshotDocument now)
    {
        ArgumentNullException.ThrowIfNull(now);
        using var stored = JsonDocument.Parse(storedJson);
        // The current side goes through its own file text so both sides parse the same digits.
        using var current = JsonDocument.Parse(now.ToJson());
        var differences = new List<SnapshotDifference>();
        Compare(stored.RootElement, current.RootElement, "$", now.Tolerances, differences);
        return differences;
    }

    private static void Compare(JsonElement stored, JsonElement now, string path,
        IReadOnlyDictionary<string, NumberTolerance> tolerances, List<SnapshotDifference> differences)
    {
        if (stored.ValueKind != now.ValueKind)
        {
            differences.Add(new(path, path, Text(stored), Text(now), null));
            return;
        }
        switch (stored.ValueKind)
        {
            case JsonValueKind.Object:
                var nowProperties = now.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                foreach (var property in stored.EnumerateObject())
                {
                    string child = path + "." + property.Name;
                    if (nowProperties.Remove(property.Name, out var nowValue))
                        Compare(property.Value, nowValue, child, tolerances, differences);
                    else
                        differences.Add(new(child, child, Text(property.Value), "(absent)", null));
                }
                foreach (var (name, value) in nowProperties)
                    differences.Add(new(path + "." + name, path + "." + name, "(absent)", Text(value), null));
                break;
            case JsonValueKind.Array:
                int storedLength = stored.GetArrayLength(), nowLength = now.GetArrayLength();
                if (storedLength != nowLength)
                {
                    differences.Add(new(path, path + " length", storedLength.ToString(CultureInfo.InvariantCulture),
                        nowLength.ToString(CultureInfo.InvariantCulture), null));
                    return;
                }
                for (int i = 0; i < storedLength; i++)
                    Compare(stored[i], now[i], path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", tolerances, differences);
                break;
            case JsonValueKind.Number:
                var tolerance = tolerances.TryGetValue(path, out var t) ? t : NumberTolerance.Exact(0, path);
                if (!(Math.Abs(stored.GetDouble() - now.GetDouble()) <= tolerance.Bound))
                    differences.Add(new(path, tolerance.Where, stored.GetRawText(), now.GetRawText(), tolerance));
                break;
            default:
                if (stored.GetRawText() != now.GetRawText())
                    differences.Add(new(path, path, Text(stored), Text(now), null));
                break;
        }
    }

    private static string Text(JsonElement element) =>
        element.ValueKind is JsonValueKind.Object or JsonValueKind.Array
            ? element.ValueKind.ToString().ToLowerInvariant()
            : element.GetRawText();
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConvCompare.Snapshots;

/// <summary>
/// What <c>snapshots accept</c> stores: the received snapshot, except that every number still within
/// its tolerance of the stored one keeps its stored digits. A review diff then shows only what really
/// moved, not the last bits of the CPU that ran the last time.
/// </summary>
internal static class SnapshotMerge
{
    /// <summary>
    /// The received tree with the stored value kept at every number path where the two are within the
    /// tolerance registered for that path (exactly equal where none is); paths are those
    /// <see cref="SnapshotComparer"/> uses.
    /// </summary>
    public static JsonNode Merge(JsonNode? stored, JsonNode received, IReadOnlyDictionary<string, NumberTolerance> tolerances)
    {
        ArgumentNullException.ThrowIfNull(received);
        ArgumentNullException.ThrowIfNull(tolerances);
        return Merge(stored, received, "$", tolerances);
    }

    private static JsonNode Merge(JsonNode? stored, JsonNode received, string path, IReadOnlyDictionary<string, NumberTolerance> tolerances)
    {
        switch (received)
        {
            case JsonObject receivedObject when stored is JsonObject storedObject:
                var mergedObject = new JsonObject();
                foreach (var (name, value) in receivedObject)
                    mergedObject[name] = value is null ? null : Merge(storedObject[name], value, path + "." + name, tolerances);
                return mergedObject;
            case JsonArray receivedArray when stored is JsonArray storedArray && storedArray.Count == receivedArray.Count:
                var mergedArray = new JsonArray();
                for (int i = 0; i < receivedArray.Count; i++)
                {
                    mergedArray.Add(receivedArray[i] is { } element
                        ? Merge(storedArray[i], element, path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", tolerances)
                        : null);
                }
                return mergedArray;
            case JsonValue receivedValue when stored is JsonValue storedValue
                                              && receivedValue.GetValueKind() == JsonValueKind.Number && storedValue.GetValueKind() == JsonValueKind.Number:
                double bound = tolerances.TryGetValue(path, out var tolerance) ? tolerance.Bound : 0;
                return Math.Abs(storedValue.GetValue<double>() - receivedValue.GetValue<double>()) <= bound
                    ? stored.DeepClone()
                    : received.DeepClone();
            default:
                return received.DeepClone();
        }
    }
}

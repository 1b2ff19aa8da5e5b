using ConvRef;

namespace ConvCompare.Snapshots;

/// <summary>Every snapshot the repository stores, by name, with the code that produces its current version.</summary>
internal static class SnapshotCatalog
{
    /// <summary>All snapshot names, in a fixed order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Builders().Select(b => b.Name)];

    /// <summary>The current version of snapshot <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No snapshot has that name.</exception>
    public static SnapshotDocument Build(string name) =>
        Builders().FirstOrDefault(b => b.Name == name).Build?.Invoke()
        ?? throw new ArgumentException($"no snapshot is named '{name}'", nameof(name));

    private static IEnumerable<(string Name, Func<SnapshotDocument> Build)> Builders()
    {
        foreach (var example in WorkedExample.All)
            yield return (example.Name, () => example.Snapshot(Conv2dAlgorithm.Vectorized));
    }
}

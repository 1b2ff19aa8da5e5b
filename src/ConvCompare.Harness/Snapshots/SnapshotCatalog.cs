namespace ConvCompare.Snapshots;

/// <summary>Every snapshot the repository stores, by name, with the code that produces its current version.</summary>
internal static class SnapshotCatalog
{
    private static readonly IReadOnlyList<(string Name, Func<SnapshotDocument> Build)> Builders =
    [
        .. WorkedExample.All.Select(e => (e.Name, (Func<SnapshotDocument>)(() => e.Snapshot(e.Results())))),
        .. ScenarioTable.All.Select(s => (ScenarioName(s), (Func<SnapshotDocument>)(() =>
            ScenarioSnapshot.Snapshot(s, ScenarioSnapshot.Results(s), ScenarioSnapshot.Verdicts(s))))),
        (GeneratorSnapshot.Name, GeneratorSnapshot.Snapshot),
    ];

    /// <summary>All snapshot names, in a fixed order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Builders.Select(b => b.Name)];

    /// <summary>The snapshot name of a scenario: <c>scenarios/&lt;name&gt;</c>.</summary>
    public static string ScenarioName(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return "scenarios/" + scenario.Name;
    }

    /// <summary>The current version of snapshot <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No snapshot has that name.</exception>
    public static SnapshotDocument Build(string name) =>
        Builders.FirstOrDefault(b => b.Name == name).Build?.Invoke()
        ?? throw new ArgumentException($"no snapshot is named '{name}'", nameof(name));
}

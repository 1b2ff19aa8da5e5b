using System.Text.Json.Nodes;
using ConvCompare.Cases;

namespace ConvCompare.Snapshots;

/// <summary>
/// The case ids <c>convcompare run --seed 42 --cases 100</c> sweeps. A change to the generator
/// silently changes what every CI run covers; this snapshot makes it show in review.
/// </summary>
internal static class GeneratorSnapshot
{
    /// <summary>The sweep's seed.</summary>
    public const ulong Seed = 42;

    /// <summary>The sweep's length.</summary>
    public const int Cases = 100;

    /// <summary>The snapshot's name.</summary>
    public const string Name = "generator/seed42-cases100";

    /// <summary>The ids, one per line, compared exactly.</summary>
    public static SnapshotDocument Snapshot()
    {
        var document = new SnapshotDocument();
        document.Root["command"] = $"convcompare run --seed {Seed} --cases {Cases}";
        document.Root["seed"] = Seed;
        document.Root["cases"] = Cases;
        document.Root["ids"] = new JsonArray([.. new CaseGenerator(Seed).Sweep(Cases, Shard.All)
            .Select(c => (JsonNode)JsonValue.Create(CaseId.Format(c.Case)))]);
        return document;
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using ConvCompare.Files;

namespace ConvCompare.Snapshots;

/// <summary>
/// The folder of stored snapshots (<c>&lt;name&gt;.json</c>, committed) and of received ones
/// (<c>&lt;name&gt;.received.json</c>, ignored by git) waiting to be accepted.
/// </summary>
/// <remarks>
/// Why not a snapshot package: Verify does not restore here, and Snapshooter.Xunit compares exact
/// JSON text, writes into <c>__snapshots__</c> folders beside the tests and keys strictness on
/// <c>SNAPSHOOTER_STRICT_MODE</c>. These snapshots need a tolerance per number derived from its
/// rounding bound, a diff that says by how many bounds a number moved, one folder at the repository
/// root, and a missing snapshot that fails everywhere; with Snapshooter only the file handling would be left to
/// reuse, and that is the small part.
/// </remarks>
internal sealed class SnapshotStore
{
    private const string StoredExtension = ".json";
    private const string ReceivedExtension = ".received.json";

    /// <summary>A store over <paramref name="folder"/>.</summary>
    public SnapshotStore(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        Folder = Path.GetFullPath(folder);
    }

    /// <summary>The repository's <c>snapshots/</c> folder.</summary>
    public static SnapshotStore ForRepository(string startDirectory) => new(SnapshotFolder.Locate(startDirectory));

    /// <summary>The root folder; snapshot names may contain subfolders (<c>scenarios/eq1</c>).</summary>
    public string Folder { get; }

    /// <summary>Path of the stored file of <paramref name="name"/>.</summary>
    public string StoredPath(string name) => Path.Combine(Folder, name + StoredExtension);

    /// <summary>Path of the received file of <paramref name="name"/>.</summary>
    public string ReceivedPath(string name) => Path.Combine(Folder, name + ReceivedExtension);

    /// <summary>
    /// Compares <paramref name="now"/> with the stored snapshot. A match removes a stale received file;
    /// a mismatch writes the received file; so does a missing snapshot, which fails like a mismatch on
    /// every machine (a first run never passes on values nobody has reviewed), until it is accepted.
    /// </summary>
    public SnapshotCheck Verify(string name, SnapshotDocument now)
    {
        ArgumentNullException.ThrowIfNull(now);
        string stored = StoredPath(name), received = ReceivedPath(name);
        if (!File.Exists(stored))
        {
            Write(received, now.ToJson());
            return new(name, SnapshotOutcome.Missing, [], received);
        }
        IReadOnlyList<SnapshotDifference> differences;
        try
        {
            differences = SnapshotComparer.Compare(File.ReadAllText(stored), now);
        }
        catch (JsonException ex)
        {
            Write(received, now.ToJson());
            return new(name, SnapshotOutcome.Unreadable, [], received)
            {
                Problem = $"{stored} is not valid JSON ({ex.Message.Split('\n')[0].TrimEnd('.')})",
            };
        }
        if (differences.Count == 0)
        {
            File.Delete(received);
            return new(name, SnapshotOutcome.Matched, [], null);
        }
        Write(received, now.ToJson());
        return new(name, SnapshotOutcome.Changed, differences, received);
    }

    /// <summary>Names of the snapshots that have a received file, sorted.</summary>
    public IReadOnlyList<string> Pending() =>
        !Directory.Exists(Folder)
            ? []
            : Directory.EnumerateFiles(Folder, "*" + ReceivedExtension, SearchOption.AllDirectories)
                .Select(path => Path.GetRelativePath(Folder, path)[..^ReceivedExtension.Length].Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .ToList();

    /// <summary>
    /// Accepts each received file that parses as JSON, belongs to a snapshot in <paramref name="known"/>
    /// and differs from the stored one; numbers still within their tolerance (from the current version,
    /// <paramref name="current"/>) keep their stored digits. A received file that matches within
    /// tolerance is removed as stale; one that is refused stays where it is.
    /// </summary>
    public IReadOnlyList<AcceptOutcome> Accept(IReadOnlyCollection<string> known, Func<string, SnapshotDocument> current)
    {
        ArgumentNullException.ThrowIfNull(known);
        ArgumentNullException.ThrowIfNull(current);
        var outcomes = new List<AcceptOutcome>();
        foreach (string name in Pending())
        {
            string received = ReceivedPath(name), stored = StoredPath(name);
            if (!known.Contains(name))
            {
                outcomes.Add(new(name, AcceptResult.Refused, $"{received} belongs to no snapshot this repository stores; remove it"));
                continue;
            }
            JsonNode? receivedTree;
            try
            {
                receivedTree = JsonNode.Parse(File.ReadAllText(received));
            }
            catch (JsonException ex)
            {
                outcomes.Add(new(name, AcceptResult.Refused, $"{received} is not valid JSON ({ex.Message.Split('\n')[0].TrimEnd('.')})"));
                continue;
            }
            if (receivedTree is not JsonObject)
            {
                outcomes.Add(new(name, AcceptResult.Refused, $"{received} does not hold a snapshot (a JSON object)"));
                continue;
            }
            string text = StoredTree(stored) is { } storedTree
                ? SnapshotDocument.ToJson(SnapshotMerge.Merge(storedTree, receivedTree, current(name).Tolerances))
                : SnapshotDocument.ToJson(receivedTree);
            if (File.Exists(stored) && File.ReadAllText(stored) == text)
            {
                File.Delete(received);
                outcomes.Add(new(name, AcceptResult.Unchanged, null));
                continue;
            }
            AtomicFile.WriteAllText(stored, text);
            File.Delete(received);
            outcomes.Add(new(name, AcceptResult.Accepted, null));
        }
        return outcomes;
    }

    /// <summary>The stored tree, or null when there is none or it is not JSON (then the received file replaces it whole).</summary>
    private static JsonNode? StoredTree(string stored)
    {
        if (!File.Exists(stored))
            return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(stored));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, text);
    }
}

using System.Text;
using ConvCompare.Cli;

namespace ConvCompare.Snapshots;

/// <summary>What verifying one snapshot found.</summary>
internal enum SnapshotOutcome
{
    /// <summary>Every number within its tolerance, everything else equal.</summary>
    Matched,
    /// <summary>There was no stored snapshot: the current version waits as the received file until it is accepted.</summary>
    Missing,
    /// <summary>Something moved beyond its tolerance.</summary>
    Changed,
    /// <summary>The stored file is not valid JSON (a bad merge, a hand edit).</summary>
    Unreadable,
}

/// <summary>The result of <see cref="SnapshotStore.Verify"/> for one snapshot.</summary>
/// <param name="Name">The snapshot's name.</param>
/// <param name="Outcome">What was found.</param>
/// <param name="Differences">What moved, for <see cref="SnapshotOutcome.Changed"/>.</param>
/// <param name="ReceivedPath">Where the current version was written for review, if it was.</param>
internal sealed record SnapshotCheck(string Name, SnapshotOutcome Outcome, IReadOnlyList<SnapshotDifference> Differences, string? ReceivedPath)
{
    /// <summary>How many differences a report lists before it summarizes the rest.</summary>
    public const int ReportedDifferences = 20;

    /// <summary>Why the stored file could not be read, for <see cref="SnapshotOutcome.Unreadable"/>.</summary>
    public string? Problem { get; init; }

    /// <summary>Matched.</summary>
    public bool Passed => Outcome == SnapshotOutcome.Matched;

    /// <summary>A readable report: the outcome, the first differences, and what to do.</summary>
    public string Report()
    {
        var text = new StringBuilder();
        switch (Outcome)
        {
            case SnapshotOutcome.Matched:
                return $"snapshot {Name}: matches";
            case SnapshotOutcome.Missing:
                return $"snapshot {Name}: missing; the current version is in {ReceivedPath}. " +
                       $"Review it, then run '{CommandText.Of("snapshots", "accept")}' and commit the file.";
            case SnapshotOutcome.Unreadable:
                return $"snapshot {Name}: {Problem}; the current version is in {ReceivedPath} " +
                       "(accept it with '" + CommandText.Of("snapshots", "accept") + "' or repair the file).";
        }
        text.AppendLine($"snapshot {Name}: {Differences.Count} value(s) moved beyond their tolerance:");
        foreach (var difference in Differences.Take(ReportedDifferences))
            text.AppendLine("  " + difference);
        if (Differences.Count > ReportedDifferences)
            text.AppendLine($"  ... and {Differences.Count - ReportedDifferences} more");
        text.Append($"The current version is in {ReceivedPath}; if the change is intended, run '{CommandText.Of("snapshots", "accept")}' and commit.");
        return text.ToString();
    }
}

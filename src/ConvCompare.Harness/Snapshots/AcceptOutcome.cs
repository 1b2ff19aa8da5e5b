namespace ConvCompare.Snapshots;

/// <summary>What <c>snapshots accept</c> did with one received file.</summary>
internal enum AcceptResult
{
    /// <summary>Stored in place of the old version.</summary>
    Accepted,

    /// <summary>Within tolerance of the stored version everywhere: removed as stale, nothing stored.</summary>
    Unchanged,

    /// <summary>Not a snapshot of this repository, or not JSON: left in place, nothing stored.</summary>
    Refused,
}

/// <summary>The outcome for snapshot <paramref name="Name"/>; <paramref name="Problem"/> says why it was refused.</summary>
internal sealed record AcceptOutcome(string Name, AcceptResult Result, string? Problem);

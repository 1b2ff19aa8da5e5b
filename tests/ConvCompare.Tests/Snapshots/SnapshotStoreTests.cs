using System.Text.Json.Nodes;
using ConvCompare.Numerics;
using ConvCompare.Snapshots;

namespace ConvCompare.Tests.Snapshots;

public class SnapshotStoreTests
{
    private const string Name = "scenarios/sample";
    private const double Bound = 1e-12;

    /// <summary>A document with one rounded float64 number (value 0.5, bound 1e-12) and one exact text field.</summary>
    private static SnapshotDocument Sample(double value = 0.5, string text = "n1c1h3w3")
    {
        var document = new SnapshotDocument();
        document.Root["case_id"] = text;
        var tensors = new JsonObject();
        document.Root["tensors"] = tensors;
        document.Add(tensors, "y", value, new NumberTolerance(Bound, Arithmetic.Float64.UnitRoundoff, "y[0,0,1,1]"));
        return document;
    }

    /// <summary>Makes <paramref name="document"/> the stored snapshot, as a first run and an accept do.</summary>
    private static void Store(SnapshotStore store, SnapshotDocument document)
    {
        store.Verify(Name, document);
        store.AcceptAll();
    }

    [Fact]
    public void NewSnapshot_FailsItsFirstRun_AndWritesOnlyTheReceivedFile()
    {
        using var folder = new TempSnapshotFolder();
        var store = new SnapshotStore(folder.Path);

        var check = store.Verify(Name, Sample());

        Assert.Equal(SnapshotOutcome.Missing, check.Outcome);
        Assert.False(check.Passed);
        Assert.False(File.Exists(store.StoredPath(Name)));
        Assert.True(File.Exists(store.ReceivedPath(Name)));
        Assert.Contains("snapshots accept", check.Report(), StringComparison.Ordinal);
    }

    [Fact]
    public void NewSnapshot_OnceAccepted_Matches()
    {
        using var folder = new TempSnapshotFolder();
        var store = new SnapshotStore(folder.Path);
        store.Verify(Name, Sample());

        Assert.Equal([Name], store.AcceptAll());

        Assert.Equal(SnapshotOutcome.Matched, store.Verify(Name, Sample()).Outcome);
        Assert.False(File.Exists(store.ReceivedPath(Name)));
    }

    [Fact]
    public void NumberMovedBeyondItsBound_FailsWithADiffNamingIt_AndWritesTheReceivedFile()
    {
        using var folder = new TempSnapshotFolder();
        var store = new SnapshotStore(folder.Path);
        Store(store, Sample());

        var check = store.Verify(Name, Sample(0.5 + 3 * Bound));

        Assert.Equal(SnapshotOutcome.Changed, check.Outcome);
        var difference = Assert.Single(check.Differences);
        Assert.Equal("$.tensors.y", difference.Path);
        string report = check.Report();
        Assert.Contains("y[0,0,1,1]: stored 0.5, now 0.500000000003", report, StringComparison.Ordinal);
        Assert.Contains("x its bound", report, StringComparison.Ordinal);
        Assert.Contains("ulps", report, StringComparison.Ordinal);
        Assert.True(File.Exists(store.ReceivedPath(Name)));
    }

    [Fact]
    public void NumberMovedWithinItsBound_Passes_AndRemovesAStaleReceivedFile()
    {
        using var folder = new TempSnapshotFolder();
        var store = new SnapshotStore(folder.Path);
        Store(store, Sample());
        store.Verify(Name, Sample(0.5 + 3 * Bound));

        var check = store.Verify(Name, Sample(0.5 + 0.5 * Bound));

        Assert.Equal(SnapshotOutcome.Matched, check.Outcome);
        Assert.False(File.Exists(store.ReceivedPath(Name)));
    }

    [Fact]
    public void ChangedText_Fails_WhateverTheNumbers()
    {
        using var folder = new TempSnapshotFolder();
        var store = new SnapshotStore(folder.Path);
        Store(store, Sample());

        var check = store.Verify(Name, Sample(text: "n2c1h3w3"));

        var difference = Assert.Single(check.Differences);
        Assert.Equal("$.case_id", difference.Path);
        Assert.Contains("stored \"n1c1h3w3\", now \"n2c1h3w3\"", difference.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AddedOrRemovedFields_AreDifferences()
    {
        var stored = Sample();
        var now = Sample();
        now.Root["extra"] = 1;
        ((JsonObject)now.Root["tensors"]!).Remove("y");

        var differences = SnapshotComparer.Compare(stored.ToJson(), now);

        Assert.Contains(differences, d => d.Path == "$.tensors.y" && d.Now == "(absent)");
        Assert.Contains(differences, d => d.Path == "$.extra" && d.Stored == "(absent)");
    }

    [Fact]
    public void AcceptAll_MovesReceivedOverStored_AndPendingListsThem()
    {
        using var folder = new TempSnapshotFolder();
        var store = new SnapshotStore(folder.Path);
        Store(store, Sample());
        store.Verify(Name, Sample(0.75));
        Assert.Equal([Name], store.Pending());

        Assert.Equal([Name], store.AcceptAll());

        Assert.Empty(store.Pending());
        Assert.Contains("0.75", File.ReadAllText(store.StoredPath(Name)), StringComparison.Ordinal);
        Assert.Equal(SnapshotOutcome.Matched, store.Verify(Name, Sample(0.75)).Outcome);
    }

    [Fact]
    public void Float32Numbers_AreWrittenInFloatRoundTripForm()
    {
        var document = new SnapshotDocument();
        document.Add(document.Root, "v", 0.1f, new NumberTolerance(0, Arithmetic.Float32.UnitRoundoff, "v"));

        Assert.Contains("\"v\": 0.1\n", document.ToJson(), StringComparison.Ordinal);
        Assert.Empty(SnapshotComparer.Compare(document.ToJson(), document));
    }

    [Fact]
    public void CorruptStoredFile_FailsWithOneSentenceNamingIt_AndWritesTheReceivedFile()
    {
        using var folder = new TempSnapshotFolder();
        var store = new SnapshotStore(folder.Path);
        Store(store, Sample());
        File.WriteAllText(store.StoredPath(Name), "{ \"case_id\": 1,,");

        var check = store.Verify(Name, Sample());

        Assert.Equal(SnapshotOutcome.Unreadable, check.Outcome);
        Assert.False(check.Passed);
        Assert.Contains(store.StoredPath(Name) + " is not valid JSON", check.Report(), StringComparison.Ordinal);
        Assert.True(File.Exists(store.ReceivedPath(Name)));
    }

    [Theory]
    [InlineData(0.0, VerdictSnapshot.FloorDecade)]
    [InlineData(1e-7, VerdictSnapshot.FloorDecade)]
    [InlineData(0.0042, -3)]
    [InlineData(0.05, -2)]
    [InlineData(0.999, -1)]
    [InlineData(1.0, 0)]
    [InlineData(37.0, 1)]
    [InlineData(double.PositiveInfinity, 99)]
    [InlineData(double.NaN, 99)]
    public void Decade_IsTheFloorOfLog10_ClampedBelow(double ratio, int decade) =>
        Assert.Equal(decade, VerdictSnapshot.Decade(ratio));

    [Fact]
    public void SnapshotFolder_IsFoundBesideTheSolution()
    {
        string folder = SnapshotFolder.Locate(AppContext.BaseDirectory);

        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(folder)!, SnapshotFolder.SolutionFile)));
        Assert.Equal(SnapshotFolder.Name, Path.GetFileName(folder));
    }
}

using ConvCompare.Snapshots;
using TorchSharp;

namespace ConvCompare.Tests.Snapshots;

/// <summary>
/// Verifies every snapshot in the repository's snapshots/ folder against the code as it is now. A
/// mismatch writes &lt;name&gt;.received.json beside the stored file; a missing snapshot is written
/// (and fails under CI=true).
/// </summary>
public class StoredSnapshotTests
{
    private static readonly SnapshotStore Store = SnapshotStore.ForRepository(AppContext.BaseDirectory);

    public static TheoryData<string> Names => [.. SnapshotCatalog.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public void Snapshot_IsReproducedWithinRounding(string name)
    {
        using var scope = torch.NewDisposeScope();
        var check = Store.Verify(name, SnapshotCatalog.Build(name));

        Assert.True(check.Passed, check.Report());
    }
}

namespace ConvCompare.Tests.Snapshots;

/// <summary>A fresh folder under the system temp directory, deleted on dispose, so store tests never touch snapshots/.</summary>
internal sealed class TempSnapshotFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "convcompare-snapshots-" + Guid.NewGuid().ToString("N"));

    public TempSnapshotFolder() => Directory.CreateDirectory(Path);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

using ConvCompare.Files;
using ConvCompare.Tests.Harness;

namespace ConvCompare.Tests.Files;

/// <summary>
/// Every output goes through <see cref="AtomicFile"/>: a reader sees the old file or the whole new one.
/// Full disks and interruptions are injected by writers that fail or stop part-way. Alone in the
/// non-parallel collection, because an interruption cleans up every temporary of the process.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class AtomicFileTests : IDisposable
{
    private const string Old = "{ \"the previous\": \"report\" }\n";

    private readonly string _directory = Directory.CreateTempSubdirectory("convcompare-atomic-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Target => Path.Combine(_directory, "report.json");

    [Fact]
    public void DiskFullHalfwayThroughTheWrite_LeavesTheOldFileWholeAndNoTemporary()
    {
        File.WriteAllText(Target, Old);

        var thrown = Assert.Throws<IOException>(() => AtomicFile.WriteStream(Target, stream =>
        {
            stream.Write(new byte[4096]);
            throw new IOException("No space left on device");
        }));

        Assert.Equal("No space left on device", thrown.Message);
        Assert.Equal(Old, File.ReadAllText(Target));
        Assert.Equal([Target], Directory.GetFiles(_directory));
    }

    [Fact]
    public void InterruptionWhileWriting_RemovesTheTemporary_AndKeepsTheOldFile()
    {
        File.WriteAllText(Target, Old);
        string? temporary = null;
        bool temporaryExistedBeforeTheInterruption = false;

        // What the SIGINT handler runs; the process would end right after, so the write never completes.
        Assert.Throws<OperationCanceledException>(() => AtomicFile.Write(Target, path =>
        {
            temporary = path;
            File.WriteAllText(path, "{ \"half a rep");
            temporaryExistedBeforeTheInterruption = File.Exists(path);
            Interruption.Run();
            Assert.False(File.Exists(path));
            throw new OperationCanceledException();
        }));

        Assert.True(temporaryExistedBeforeTheInterruption);
        Assert.Equal(Path.GetDirectoryName(Target), Path.GetDirectoryName(temporary));
        Assert.Equal(Old, File.ReadAllText(Target));
        Assert.Equal([Target], Directory.GetFiles(_directory));
    }

    [Fact]
    public void CompletedWrite_ReplacesTheOldFile_AndLeavesNothingElse()
    {
        File.WriteAllText(Target, Old);

        AtomicFile.WriteAllText(Target, "new\n");

        Assert.Equal("new\n", File.ReadAllText(Target));
        Assert.Equal([Target], Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task TwoConcurrentWritersOfOneFile_BothFinish_AndEveryReadSeesOneWholeVersion()
    {
        string a = new('a', 1 << 18), b = new('b', 1 << 18);
        AtomicFile.WriteAllText(Target, a);
        int reads = 0;
        using var done = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                string seen = File.ReadAllText(Target);
                Assert.True(seen == a || seen == b, $"a read saw {seen.Length} characters of a mixed or partial file");
                Interlocked.Increment(ref reads);
            }
        });

        // Two writers at once, each rewriting the file until the reader has looked at it often enough.
        var writers = new[] { a, b }.Select(text => Task.Run(() =>
        {
            for (int i = 0; i < 200 && Volatile.Read(ref reads) < 100; i++)
                AtomicFile.WriteAllText(Target, text);
        })).ToArray();
        await Task.WhenAll(writers);
        await done.CancelAsync();
        await reader;

        Assert.True(reads > 0);
        Assert.Contains(File.ReadAllText(Target), new[] { a, b });
        Assert.Equal([Target], Directory.GetFiles(_directory));
    }

    [Fact]
    public void Problem_OfAWritablePath_IsNull_AndLeavesNoProbeBehind()
    {
        Assert.Null(AtomicFile.Problem(Target));
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Theory]
    [InlineData("directory", "is a directory")]
    [InlineData("missing", "does not exist")]
    [InlineData("unwritable", "does not allow creating files")]
    public void Problem_OfAPathThatCannotBeWritten_SaysWhy(string kind, string expected)
    {
        string path = kind switch
        {
            "directory" => _directory,
            "missing" => Path.Combine(_directory, "no-such-folder", "r.json"),
            _ => "/sys/convcompare-probe.json",
        };

        Assert.Contains(expected, AtomicFile.Problem(path), StringComparison.Ordinal);
    }
}

using System.Collections.Concurrent;

namespace ConvCompare.Files;

/// <summary>
/// Writes every output of the program so that a reader sees the old file or the whole new one, never
/// a part: the content goes to a temporary file in the same directory, which is renamed over the
/// target only once it is complete (a rename within one file system is atomic). A failure, a full
/// disk or an interruption leaves the old file as it was and removes the temporary.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Temporaries being written now, removed by <see cref="Interruption"/> if the process is stopped.</summary>
    private static readonly ConcurrentDictionary<string, byte> Pending = new(StringComparer.Ordinal);

    static AtomicFile() => Interruption.OnInterrupt(RemovePending);

    /// <summary>
    /// Lets <paramref name="writeTemporary"/> write the whole content to the path it is given, then
    /// renames that file to <paramref name="path"/>.
    /// </summary>
    /// <exception cref="IOException">The temporary could not be written or renamed; it is removed and the old file is untouched.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory does not allow writing.</exception>
    public static void Write(string path, Action<string> writeTemporary)
    {
        ArgumentNullException.ThrowIfNull(writeTemporary);
        string target = Path.GetFullPath(path);
        string temporary = TemporaryPath(target);
        Pending[temporary] = 0;
        try
        {
            writeTemporary(temporary);
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            Delete(temporary);
            Pending.TryRemove(temporary, out _);
        }
    }

    /// <summary>Writes what <paramref name="write"/> puts into a new stream, then renames it into place.</summary>
    public static void WriteStream(string path, Action<Stream> write) => Write(path, temporary => Fill(temporary, write));

    /// <summary>Writes <paramref name="text"/> as UTF-8.</summary>
    public static void WriteAllText(string path, string text) =>
        WriteAllBytes(path, new System.Text.UTF8Encoding(false).GetBytes(text));

    /// <summary>Writes <paramref name="bytes"/>.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) => WriteStream(path, stream => stream.Write(bytes));

    /// <summary>Creates the new file <paramref name="temporary"/>, lets <paramref name="write"/> fill it and flushes it to disk.</summary>
    public static void Fill(string temporary, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        write(stream);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Null when <paramref name="path"/> can be written, checked the way it will be written: a
    /// temporary is created beside it and removed. Otherwise why not, in words (no trailing period).
    /// </summary>
    public static string? Problem(string path)
    {
        string target = Path.GetFullPath(path);
        if (Directory.Exists(target))
            return "it is a directory; give a file name";
        string directory = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(directory))
            return $"the directory {directory} does not exist";
        string probe = TemporaryPath(target);
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
            }
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"the directory {directory} does not allow creating files in it ({ex.Message.TrimEnd('.')})";
        }
        finally
        {
            Delete(probe);
        }
    }

    /// <summary>Removes every temporary still being written; safe to call at any moment.</summary>
    internal static void RemovePending()
    {
        foreach (string temporary in Pending.Keys)
            Delete(temporary);
    }

    /// <summary>A hidden name beside <paramref name="target"/>, unique per process and call, so concurrent writers never share one.</summary>
    internal static string TemporaryPath(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");

    private static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Already gone or never created: nothing is left to clean.
        }
    }
}

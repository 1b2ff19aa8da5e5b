using System.Globalization;
using Tmds.Linux;

namespace ConvCompare.Limits;

/// <summary>
/// Decides whether a path may be read as an input file, before it is opened: only a regular file,
/// and no larger than a limit. Opening a named pipe blocks until something writes to it, and a
/// device such as /dev/zero never ends, so both are refused by their type, never by trying.
/// </summary>
internal static class InputFile
{
    /// <summary>Null when <paramref name="path"/> is a regular file of at most <paramref name="maxBytes"/> bytes, otherwise why not (a phrase that follows the file's name).</summary>
    public static string? Problem(string path, long maxBytes, string raiseWith)
    {
        ArgumentNullException.ThrowIfNull(path);
        var (exists, regular, size) = Status(path);
        if (!exists)
            return "cannot be read (it does not exist, or may not be examined)";
        if (!regular)
            return Directory.Exists(path)
                ? "is a directory"
                : "is not a regular file (a named pipe, a device or a socket), so it is not read";
        if (size > maxBytes)
            return string.Create(CultureInfo.InvariantCulture,
                $"is {size} bytes, more than the {maxBytes} bytes a file may have under the memory limit (raise it with {raiseWith})");
        return null;
    }

    /// <summary>Whether the path is a regular file (following links), and its size.</summary>
    private static (bool Exists, bool Regular, long Size) Status(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            // The portable API cannot tell a pipe from a file; elsewhere than Linux only existence and size are checked.
            var info = new FileInfo(path);
            return (info.Exists || Directory.Exists(path), info.Exists, info.Exists ? info.Length : 0);
        }
        return LinuxStatus(path);
    }

    private static unsafe (bool Exists, bool Regular, long Size) LinuxStatus(string path)
    {
        byte[] name = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        stat status;
        int result;
        fixed (byte* p = name)
            result = LibC.stat(p, &status);
        if (result != 0)
            return (false, false, 0);
        return (true, LibC.S_ISREG(status.st_mode), status.st_size);
    }
}

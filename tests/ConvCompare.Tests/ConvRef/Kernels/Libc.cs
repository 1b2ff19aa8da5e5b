using System.Runtime.InteropServices;

namespace ConvCompare.Tests.ConvRef.Kernels;

/// <summary>The few libc calls guard-page buffers need (Linux values of the flags).</summary>
internal static partial class Libc
{
    public const int ProtNone = 0, ProtRead = 1, ProtWrite = 2;
    public const int MapPrivate = 0x02, MapAnonymous = 0x20;
    public const int Efault = 14;

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "mprotect", SetLastError = true)]
    public static partial int Mprotect(nint address, nuint length, int protection);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(nint address, nuint length);

    [LibraryImport("libc", EntryPoint = "pipe", SetLastError = true)]
    public static unsafe partial int Pipe(int* fds);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, nint buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}

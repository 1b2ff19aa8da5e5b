namespace ConvCompare.Tests.ConvRef.Kernels;

/// <summary>
/// <see cref="Length"/> elements of fresh memory that end exactly where a PROT_NONE page begins, so
/// nothing past the last element is readable or writable: a kernel that steps one element over its
/// extent faults at once instead of reading a neighbour's values.
/// </summary>
internal sealed unsafe class GuardedBuffer<T> : IDisposable where T : unmanaged
{
    private readonly nint _mapping;
    private readonly nuint _mappingBytes;

    public GuardedBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        int page = Environment.SystemPageSize;
        long bytes = (long)length * sizeof(T);
        long dataPages = (bytes + page - 1) / page;
        _mappingBytes = (nuint)((dataPages + 1) * page);
        _mapping = Libc.Mmap(0, _mappingBytes, Libc.ProtRead | Libc.ProtWrite, Libc.MapPrivate | Libc.MapAnonymous, -1, 0);
        if (_mapping == -1)
            throw new InvalidOperationException($"mmap of {_mappingBytes} bytes failed with errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        GuardPage = _mapping + (nint)(dataPages * page);
        if (Libc.Mprotect(GuardPage, (nuint)page, Libc.ProtNone) != 0)
            throw new InvalidOperationException($"mprotect of the guard page failed with errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        Start = GuardPage - (nint)bytes;
        Length = length;
    }

    /// <summary>Filled with <paramref name="values"/>, its length theirs.</summary>
    public GuardedBuffer(ReadOnlySpan<T> values) : this(values.Length) => values.CopyTo(Span);

    public int Length { get; }

    /// <summary>Address of the first element.</summary>
    public nint Start { get; }

    /// <summary>Address of the PROT_NONE page, one byte past the last element.</summary>
    public nint GuardPage { get; }

    public Span<T> Span => new((void*)Start, Length);

    public T[] ToArray() => Span.ToArray();

    public void Dispose() => Libc.Munmap(_mapping, _mappingBytes);
}

namespace ConvCompare.Tests.ConvRef.Kernels;

/// <summary>The guard-page buffers the kernel tests run on do end where unreadable memory begins.</summary>
public class GuardedBufferTests
{
    [SkippableTheory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1024)]
    [InlineData(1025)]
    public unsafe void LastElement_IsReadable_AndTheByteAfterItIsNot(int length)
    {
        SimdWidths.SkipUnlessGuarded();
        using var buffer = new GuardedBuffer<float>(length);
        Assert.Equal(buffer.GuardPage, buffer.Start + length * sizeof(float));

        // write(2) from an unreadable address fails with EFAULT instead of faulting, so the guard is
        // probed without risking the test host.
        int* fds = stackalloc int[2];
        Assert.Equal(0, Libc.Pipe(fds));
        try
        {
            Assert.Equal(1, Libc.Write(fds[1], buffer.GuardPage - 1, 1));
            Assert.Equal(-1, Libc.Write(fds[1], buffer.GuardPage, 1));
            Assert.Equal(Libc.Efault, System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
        }
        finally
        {
            Libc.Close(fds[0]);
            Libc.Close(fds[1]);
        }
    }

    [SkippableFact]
    public void Contents_AreTheValuesGiven()
    {
        SimdWidths.SkipUnlessGuarded();
        double[] values = [1.5, -2, 3];
        using var buffer = new GuardedBuffer<double>(values);
        Assert.Equal(values, buffer.ToArray());
    }
}

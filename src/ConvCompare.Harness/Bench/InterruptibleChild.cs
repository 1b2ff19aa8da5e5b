using System.Diagnostics;
using ConvCompare.Files;

namespace ConvCompare.Bench;

/// <summary>
/// A child process that does not outlive an interruption of this one. Ctrl-C in a terminal reaches
/// the whole process group, but a SIGINT sent to this process alone (kill, a CI runner's cancel) does
/// not reach the child, which would go on measuring under PID 1; so the signal is forwarded, the child
/// is waited for (killed if it does not stop within <see cref="GracePeriod"/>), and the file it was
/// writing for this process is removed.
/// </summary>
internal sealed class InterruptibleChild : IDisposable
{
    /// <summary>How long an interrupted child may take to stop before it is killed.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(5);

    private readonly string? _temporaryFile;
    private readonly TimeSpan _gracePeriod;
    private readonly Action _onInterrupt;

    private InterruptibleChild(Process process, string? temporaryFile, TimeSpan gracePeriod)
    {
        Process = process;
        _temporaryFile = temporaryFile;
        _gracePeriod = gracePeriod;
        _onInterrupt = Interrupt;
        Interruption.OnInterrupt(_onInterrupt);
    }

    /// <summary>The running child.</summary>
    public Process Process { get; }

    /// <summary>Starts <paramref name="start"/>; <paramref name="temporaryFile"/> (if any) is removed when the child is interrupted or disposed.</summary>
    public static InterruptibleChild Start(ProcessStartInfo start, string? temporaryFile, TimeSpan? gracePeriod = null) =>
        new(Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start"), temporaryFile, gracePeriod ?? GracePeriod);

    /// <summary>Forwards SIGINT to the child, waits for it (kills it after the grace period) and removes the temporary file.</summary>
    internal void Interrupt()
    {
        if (!Process.HasExited)
        {
            Interruption.Interrupt(Process.Id);
            if (!Process.WaitForExit(_gracePeriod))
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
            }
        }
        DeleteTemporary();
    }

    /// <summary>Stops watching for interruptions and removes the temporary file; a child still running is interrupted first.</summary>
    public void Dispose()
    {
        Interruption.Remove(_onInterrupt);
        if (!Process.HasExited)
            Interrupt();
        DeleteTemporary();
        Process.Dispose();
    }

    private void DeleteTemporary()
    {
        if (_temporaryFile is not null)
            File.Delete(_temporaryFile);
    }
}

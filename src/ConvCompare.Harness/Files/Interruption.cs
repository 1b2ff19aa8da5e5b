using System.Runtime.InteropServices;

namespace ConvCompare.Files;

/// <summary>
/// What must happen when the user stops the program (Ctrl-C, SIGINT, SIGTERM) before it ends: finally
/// blocks do not run then, so temporaries and child processes are cleaned up here, after which the
/// signal's default action ends the process.
/// </summary>
internal static class Interruption
{
    private const int SigInt = 2;

    private static readonly List<Action> Cleanups = [];

    /// <summary>Runs <paramref name="cleanup"/> when the process is interrupted.</summary>
    public static void OnInterrupt(Action cleanup)
    {
        lock (Cleanups)
            Cleanups.Add(cleanup);
    }

    /// <summary>Removes a cleanup registered with <see cref="OnInterrupt"/>.</summary>
    public static void Remove(Action cleanup)
    {
        lock (Cleanups)
            Cleanups.Remove(cleanup);
    }

    /// <summary>Watches SIGINT and SIGTERM until the returned handle is disposed.</summary>
    public static IDisposable Watch()
    {
        var registrations = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }
            .Select(signal => PosixSignalRegistration.Create(signal, _ => Run())).ToList();
        return new Registrations(registrations);
    }

    /// <summary>Runs every cleanup, each once, whatever the others do.</summary>
    internal static void Run()
    {
        Action[] cleanups;
        lock (Cleanups)
            cleanups = [.. Cleanups];
        foreach (var cleanup in cleanups)
        {
            try
            {
                cleanup();
            }
            catch (SystemException)
            {
                // The process is ending; one failed cleanup must not keep the others from running.
            }
        }
    }

    /// <summary>Sends SIGINT to process <paramref name="pid"/>, as Ctrl-C would; false when it could not be sent (e.g. the process is gone).</summary>
    public static bool Interrupt(int pid) => Kill(pid, SigInt) == 0;

    // DllImport rather than LibraryImport: two int arguments need no marshalling code, and the
    // generated one would make the whole program compile with unsafe code allowed.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private sealed class Registrations(List<PosixSignalRegistration> registrations) : IDisposable
    {
        public void Dispose() => registrations.ForEach(r => r.Dispose());
    }
}

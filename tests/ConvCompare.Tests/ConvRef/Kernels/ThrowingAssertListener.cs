using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace ConvCompare.Tests.ConvRef.Kernels;

/// <summary>A Debug.Assert that failed while a test ran (the test builds are Debug builds, so ConvRef's asserts are compiled in).</summary>
internal sealed class DebugAssertException(string message) : Exception(message);

/// <summary>
/// Turns every failed Debug.Assert in the test process into a <see cref="DebugAssertException"/>, so
/// a kernel that would step outside its extent fails the test that called it instead of ending the
/// test host (the default listener's behaviour) or reading a neighbour's memory.
/// </summary>
internal sealed class ThrowingAssertListener : TraceListener
{
#pragma warning disable CA2255 // A module initializer, so the listener is in place before any test in this assembly runs.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Install()
    {
        Trace.Listeners.Clear();
        Trace.Listeners.Add(new ThrowingAssertListener());
    }

    public override void Fail(string? message, string? detailMessage) =>
        throw new DebugAssertException($"Debug.Assert failed: {message} {detailMessage}".TrimEnd());

    public override void Write(string? message)
    {
    }

    public override void WriteLine(string? message)
    {
    }
}

using ConvCompare.Oracles;

namespace ConvCompare.Runner;

/// <summary>
/// Which exceptions an engine's computation may throw as its own failure, and how it is reported.
/// Any exception is the engine's (a bug in it, a case it rejects), except a missing libtorch and
/// exhausted memory: those say nothing about any engine's correctness and end the command instead.
/// </summary>
internal static class EngineFailure
{
    /// <summary>Whether <paramref name="exception"/> is a failure of the engine that threw it.</summary>
    public static bool IsOwn(Exception exception) =>
        exception is not TorchUnavailableException and not OutOfMemoryException;

    /// <summary>The exception's type and the first line of its message.</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.GetType().Name + ": " + exception.Message.Split('\n')[0].Trim();
    }
}

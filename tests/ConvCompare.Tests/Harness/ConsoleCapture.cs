namespace ConvCompare.Tests.Harness;

/// <summary>
/// Runs code with the process-wide console redirected to strings. Tests that use it belong to
/// <see cref="ConsoleCollection"/>, so no other test writes to the console meanwhile.
/// </summary>
internal static class ConsoleCapture
{
    /// <summary>What <paramref name="action"/> returned and wrote to stdout and stderr.</summary>
    public static (T Value, string Stdout, string Stderr) Run<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var (oldOut, oldError) = (Console.Out, Console.Error);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var value = action();
            return (value, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }
}

using ConvCompare.Cli;
using ConvCompare.Tests.Harness;

namespace ConvCompare.Tests.Limits;

/// <summary>Runs hostile input through the program with a hang limit, and checks what a user sees.</summary>
internal static class Hostile
{
    /// <summary>
    /// How long one hostile input may take before the test counts it as a hang: generous, since the
    /// machine is shared; the point is that a hang fails the test instead of stalling the suite.
    /// </summary>
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(120);

    /// <summary>Runs <paramref name="work"/> on another thread and fails if it has not finished within <see cref="HangLimit"/>.</summary>
    public static T Within<T>(Func<T> work)
    {
        var task = Task.Run(work);
        Assert.True(task.Wait(HangLimit), $"did not finish within {HangLimit.TotalSeconds} s: a hang");
        return task.Result;
    }

    /// <summary>Runs the program's command line with stdout and stderr captured, within the hang limit.</summary>
    public static (int Code, string Stdout, string Stderr) Invoke(params string[] args) =>
        ConsoleCapture.Run(() => Within(() => CommandLine.Run(args)));

    /// <summary>Asserts one line on stderr holding every one of <paramref name="mentioned"/>, no stack trace, and <paramref name="code"/>.</summary>
    public static void AssertOneSentence(int expectedCode, (int Code, string Stdout, string Stderr) outcome, params string[] mentioned)
    {
        var lines = outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "expected one line on stderr, got: " + outcome.Stderr);
        foreach (string text in mentioned)
            Assert.Contains(text, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.Stderr + outcome.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", outcome.Stderr, StringComparison.Ordinal);
        Assert.Equal(expectedCode, outcome.Code);
    }
}

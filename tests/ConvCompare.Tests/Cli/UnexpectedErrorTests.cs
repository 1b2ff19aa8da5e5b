using System.CommandLine;
using ConvCompare.Cli;
using ConvCompare.Oracles;
using ConvCompare.Tests.Harness;

namespace ConvCompare.Tests.Cli;

/// <summary>
/// Whatever an action throws reaches the user as one sentence and a documented code, never a stack
/// trace and never 1, which means a verified failure.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public class UnexpectedErrorTests
{
    public static TheoryData<string> Thrown => ["InvalidOperation", "IO", "OutOfMemory", "KeyNotFound", "TypeInitialization", "Aggregate"];

    [Theory]
    [MemberData(nameof(Thrown))]
    public void UnexpectedException_IsOneSentenceAndExitCode5(string kind)
    {
        Exception thrown = kind switch
        {
            "InvalidOperation" => new InvalidOperationException("the sweep lost its place"),
            "IO" => new IOException("the sweep lost its place"),
            "OutOfMemory" => new OutOfMemoryException("the sweep lost its place"),
            "KeyNotFound" => new KeyNotFoundException("the sweep lost its place"),
            "TypeInitialization" => new TypeInitializationException("Some.Type", new DllNotFoundException("the sweep lost its place")),
            _ => new AggregateException(new ArgumentException("the sweep lost its place")),
        };

        var (code, _, stderr) = ProgramRun.Invoke(Throwing(thrown), "boom");

        Assert.Equal(ExitCodes.CouldNotFinish, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("convcompare: could not finish: the sweep lost its place (", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void LibtorchFailingMidCommand_IsExitCode3LikeEveryCommandThatChecksFirst()
    {
        var (code, _, stderr) = ProgramRun.Invoke(Throwing(new TorchUnavailableException("TorchSharp could not load libtorch (planted)")), "boom");

        Assert.Equal(ExitCodes.TorchUnavailable, code);
        Assert.Equal("convcompare: TorchSharp could not load libtorch (planted)", stderr.Trim());
    }

    [Fact]
    public void HugeMultiLineMessageWithEscapes_IsShortenedToOneLineWithoutControlCharacters()
    {
        string message = "first\n\u001b[31mred\u001b[0m\r\n" + new string('x', 100_000);

        var (code, _, stderr) = ProgramRun.Invoke(Throwing(new InvalidOperationException(message)), "boom");

        Assert.Equal(ExitCodes.CouldNotFinish, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(line.Length < 500, $"{line.Length} characters");
        Assert.DoesNotContain('\u001b', line);
    }

    private static RootCommand Throwing(Exception exception)
    {
        var command = new Command("boom");
        command.SetAction((Func<ParseResult, int>)(_ => throw exception));
        var root = new RootCommand("test");
        root.Subcommands.Add(command);
        return root;
    }
}

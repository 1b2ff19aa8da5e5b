using ConvCompare.Cli;
using ConvCompare.Tests.Harness;

namespace ConvCompare.Tests.Training;

/// <summary>Argument errors end with exit code 2 before any training starts.</summary>
[Collection(nameof(ConsoleCollection))]
public class TrainCommandTests
{
    [Theory]
    [InlineData("--steps", "0")]
    [InlineData("--batch", "100000")]
    [InlineData("--lr", "-0.1")]
    [InlineData("--momentum", "1")]
    [InlineData("--clip", "0")]
    [InlineData("--dtype", "f16")]
    [InlineData("--json", "/nonexistent-directory/trace.json")]
    public void OutOfRangeArgument_ExitsWithCodeTwo(string option, string value)
    {
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(2, CommandLine.Run(["train", option, value]));
        }
        finally
        {
            Console.SetError(previous);
        }
        Assert.StartsWith("convcompare: " + option, error.ToString());
    }
}

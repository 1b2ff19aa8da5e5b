using ConvCompare.Cli;
using ConvCompare.Tests.Harness;

namespace ConvCompare.Tests.Explain;

[Collection(nameof(ConsoleCollection))]
public class ExplainArgumentTests
{
    /// <summary>--example picks a part of the derivation walk-through; the other pages have none, so asking for one is refused rather than ignored.</summary>
    [Theory]
    [InlineData("transposed")]
    [InlineData("reflect")]
    [InlineData("second-order")]
    public void ExampleWithAnotherTopic_ExitsWithTwoInOneSentenceNamingBoth(string topic)
    {
        var (exit, stdout, stderr) = ConsoleCapture.Run(() => CommandLine.Run(["explain", "--topic", topic, "--example", "single"]));
        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Equal($"convcompare: --example chooses a part of --topic backprop; --topic {topic} has no parts, so leave --example out.", stderr.Trim());
    }
}

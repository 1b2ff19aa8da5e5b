using System.CommandLine;
using ConvCompare.Cli;
using ConvCompare.Implementations;

namespace ConvCompare.Tests.Cli;

/// <summary>The options every command shares are one definition: the same name, help name and meaning wherever they appear.</summary>
public class SharedOptionTests
{
    [Theory]
    [InlineData("--seed", "S", "run", "export", "kit", "train", "explain")]
    [InlineData("--impl", "NAMES", "run", "check", "golden", "bench")]
    [InlineData("--json", "FILE", "run", "check", "golden", "bench")]
    [InlineData("--junit", "FILE", "run", "golden")]
    public void ASharedOption_HasTheSameHelpNameOnEveryCommandThatTakesIt(string name, string helpName, params string[] commands)
    {
        var root = CommandLine.Root();
        foreach (string command in commands)
        {
            var option = root.Subcommands.Single(c => c.Name == command).Options.SingleOrDefault(o => o.Name == name);
            Assert.True(option is not null, $"{command} has no {name}");
            Assert.Equal(helpName, option.HelpName);
        }
    }

    [Theory]
    [InlineData("run")]
    [InlineData("export")]
    [InlineData("kit")]
    public void TheCaseSeed_DefaultsToTheLibrarysSeed(string command)
    {
        var option = (Option<ulong>)CommandLine.Root().Subcommands.Single(c => c.Name == command).Options.Single(o => o.Name == "--seed");

        Assert.Equal(Conformance.DefaultSeed, option.GetDefaultValue());
    }

    [Theory]
    [InlineData("bench --impl torch,serial --quick")]
    [InlineData("bench --impl all")]
    [InlineData("golden x.safetensors --strict-oracle --json g.json --junit g.xml --impl vectorized")]
    public void TheSharedOptions_ParseOnBenchAndGolden(string args) =>
        Assert.Empty(CommandLine.Root().Parse(args.Split(' ')).Errors);
}

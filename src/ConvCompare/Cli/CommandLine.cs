using System.CommandLine;

namespace ConvCompare.Cli;

/// <summary>The <c>convcompare</c> command tree.</summary>
internal static class CommandLine
{
    /// <summary>Parses and runs; a parse error is one line on stderr and exit code 2, never a help dump.</summary>
    public static int Run(string[] args)
    {
        var parse = Root().Parse(args);
        if (parse.Errors.Count > 0)
            return ExitCodes.Bad(string.Join("; ", parse.Errors.Select(e => OneLine(e.Message))) + " (see --help)");
        return parse.Invoke();
    }

    /// <summary>The root command with every subcommand; parsing it runs nothing.</summary>
    public static RootCommand Root()
    {
        var root = new RootCommand("ConvCompare: checks ConvRef's convolution back-propagation against TorchSharp autograd.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ExplainCommand.Create());
        root.Subcommands.Add(SnapshotsCommand.Create());
        root.Subcommands.Add(GoldenCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        return root;
    }

    private static string OneLine(string message) =>
        string.Join(" ", message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

using System.CommandLine;
using ConvCompare.Files;
using ConvCompare.Oracles;

namespace ConvCompare.Cli;

/// <summary>The <c>convcompare</c> command tree.</summary>
internal static class CommandLine
{
    /// <summary>Parses and runs; a parse error is one line on stderr and exit code 2, never a help dump.</summary>
    public static int Run(string[] args) => Run(Root(), args);

    /// <summary>
    /// Parses and runs <paramref name="args"/> against <paramref name="root"/>. No exception reaches the
    /// user as a stack trace: libtorch failing to load mid-command is exit 3 like everywhere else, and
    /// anything else unexpected is one sentence and exit 5, because exit 1 must keep meaning that a
    /// failure was verified.
    /// </summary>
    internal static int Run(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
            return ExitCodes.Bad(string.Join("; ", parse.Errors.Select(e => OneLine(e.Message))) + " (see --help)");
        using var interruption = Interruption.Watch();
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (TorchUnavailableException ex)
        {
            return ExitCodes.NoTorch(ex.Message);
        }
        catch (Exception ex)
        {
            return ExitCodes.Unfinished(Describe(ex));
        }
    }

    /// <summary>The root command with every subcommand; parsing it runs nothing.</summary>
    public static RootCommand Root()
    {
        var root = new RootCommand("ConvCompare: checks ConvRef's convolution back-propagation against TorchSharp autograd.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(MergeCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ExplainCommand.Create());
        root.Subcommands.Add(SnapshotsCommand.Create());
        root.Subcommands.Add(GoldenCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(KitCommand.Create());
        root.Subcommands.Add(JudgeCommand.Create());
        return root;
    }

    /// <summary>
    /// One line for an unexpected exception: its innermost message (the outer ones of a type
    /// initializer or an aggregate only say where it happened), shortened, and its type for a bug report.
    /// </summary>
    internal static string Describe(Exception ex)
    {
        while (ex is (TypeInitializationException or System.Reflection.TargetInvocationException or AggregateException) && ex.InnerException is not null)
            ex = ex.InnerException;
        const int MaxLength = 300;
        string message = OneLine(ex.Message);
        if (message.Length > MaxLength)
            message = message[..MaxLength] + "...";
        return $"{message.TrimEnd('.')} ({ex.GetType().Name}; an unexpected error, not a verified failure)";
    }

    private static string OneLine(string message) =>
        new(string.Join(" ", message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(c => char.IsControl(c) ? '?' : c).ToArray());
}

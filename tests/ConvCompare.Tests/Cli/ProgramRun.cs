using System.CommandLine;
using ConvCompare.Cli;

namespace ConvCompare.Tests.Cli;

/// <summary>Runs the program in process with its console captured; callers belong to <see cref="Harness.ConsoleCollection"/>.</summary>
internal static class ProgramRun
{
    /// <summary>The exit code, stdout and stderr of <c>convcompare args</c>.</summary>
    public static (int Code, string Stdout, string Stderr) Invoke(params string[] args) => Invoke(CommandLine.Root(), args);

    /// <summary>The same for any command tree, through the program's own barrier.</summary>
    public static (int Code, string Stdout, string Stderr) Invoke(RootCommand root, params string[] args)
    {
        var (oldOut, oldError) = (Console.Out, Console.Error);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            int code = CommandLine.Run(root, args);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }
}

using System.CommandLine;
using ConvCompare.Cli;
using ConvCompare.Tests.Harness;

namespace ConvCompare.Tests.Cli;

/// <summary>Runs the program in process with its console captured; callers belong to <see cref="ConsoleCollection"/>.</summary>
internal static class ProgramRun
{
    /// <summary>The exit code, stdout and stderr of <c>convcompare args</c>.</summary>
    public static (int Code, string Stdout, string Stderr) Invoke(params string[] args) => Invoke(CommandLine.Root(), args);

    /// <summary>The same for any command tree, through the program's own barrier.</summary>
    public static (int Code, string Stdout, string Stderr) Invoke(RootCommand root, params string[] args) =>
        ConsoleCapture.Run(() => CommandLine.Run(root, args));
}

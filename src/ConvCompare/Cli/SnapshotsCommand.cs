using System.CommandLine;
using ConvCompare.Oracles;
using ConvCompare.Reports;
using ConvCompare.Snapshots;
using Spectre.Console;

namespace ConvCompare.Cli;

/// <summary>
/// <c>convcompare snapshots status|accept</c>: lists which stored snapshots the code no longer
/// reproduces within their rounding tolerances, and accepts the received versions.
/// </summary>
internal static class SnapshotsCommand
{
    internal static Command Create()
    {
        var command = new Command("snapshots", "Check or accept the stored result snapshots in snapshots/.");
        var status = new Command("status",
            "Recompute every snapshot, list those that moved beyond their tolerance or are missing, and write their received versions.");
        status.SetAction(_ => Status());
        var accept = new Command("accept", "Store every received snapshot (*.received.json) that parses, belongs to a known snapshot and differs from the stored one.");
        accept.SetAction(_ => Accept());
        command.Subcommands.Add(status);
        command.Subcommands.Add(accept);
        return command;
    }

    private static SnapshotStore? OpenStore()
    {
        try
        {
            return SnapshotStore.ForRepository(Environment.CurrentDirectory);
        }
        catch (DirectoryNotFoundException ex)
        {
            ExitCodes.Bad(ex.Message);
            return null;
        }
    }

    private static int Status()
    {
        if (OpenStore() is not { } store)
            return ExitCodes.BadArguments;
        if (TorchRuntime.Problem is { } problem)
            return ExitCodes.NoTorch(problem);
        var checks = SnapshotCatalog.Names.Select(name => store.Verify(name, SnapshotCatalog.Build(name))).ToList();
        var failed = checks.Where(c => !c.Passed).ToList();
        var pending = store.Pending();
        SnapshotConsoleReport.Write(failed, ConsoleReport.Plain);
        Console.WriteLine($"{checks.Count} snapshots, {checks.Count - failed.Count} unchanged, {failed.Count} changed or missing; " +
                          (pending.Count == 0 ? "nothing to accept." : $"to accept ({pending.Count}): {string.Join(", ", pending)}"));
        return failed.Count == 0 ? ExitCodes.Passed : ExitCodes.Failed;
    }

    private static int Accept()
    {
        if (OpenStore() is not { } store)
            return ExitCodes.BadArguments;
        var outcomes = store.Accept(SnapshotCatalog.Names, SnapshotCatalog.Build);
        foreach (var outcome in outcomes)
        {
            if (outcome.Result == AcceptResult.Accepted)
                Console.WriteLine($"accepted {outcome.Name}");
            else if (outcome.Result == AcceptResult.Unchanged)
                Console.WriteLine($"unchanged {outcome.Name}: within tolerance of the stored version everywhere; the stale received file is removed");
        }
        int accepted = outcomes.Count(o => o.Result == AcceptResult.Accepted);
        Console.WriteLine(outcomes.Count == 0
            ? "nothing to accept: no *.received.json under " + store.Folder
            : accepted == 0
                ? "nothing accepted."
                : $"{accepted} snapshot(s) accepted (numbers within their tolerance keep their stored digits); review with 'git diff {SnapshotFolder.Name}/' and commit.");
        var refused = outcomes.Where(o => o.Result == AcceptResult.Refused).ToList();
        foreach (var outcome in refused)
            Console.Error.WriteLine($"convcompare: not accepted: {outcome.Problem}.");
        return refused.Count == 0 ? ExitCodes.Passed : ExitCodes.BadArguments;
    }
}

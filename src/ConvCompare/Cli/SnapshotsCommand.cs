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
        var accept = new Command("accept", "Move every received snapshot (*.received.json) over its stored one.");
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
        if (ConsoleReport.Plain)
            failed.ForEach(c => Console.WriteLine(c.Report()));
        else
            WriteTable(failed);
        Console.WriteLine($"{checks.Count} snapshots, {checks.Count - failed.Count} unchanged, {failed.Count} changed or missing; " +
                          (pending.Count == 0 ? "nothing to accept." : $"to accept ({pending.Count}): {string.Join(", ", pending)}"));
        return failed.Count == 0 ? ExitCodes.Passed : ExitCodes.Failed;
    }

    private static void WriteTable(IReadOnlyList<SnapshotCheck> failed)
    {
        if (failed.Count == 0)
            return;
        var table = new Table().AddColumn("snapshot").AddColumn("outcome").AddColumn("what moved (first " + SnapshotCheck.ReportedDifferences + ")");
        foreach (var check in failed)
        {
            string moved = check.Outcome == SnapshotOutcome.Changed
                ? string.Join("\n", check.Differences.Take(SnapshotCheck.ReportedDifferences))
                : check.Report();
            table.AddRow(Markup.Escape(check.Name), check.Outcome.ToString().ToLowerInvariant(), Markup.Escape(moved));
        }
        AnsiConsole.Write(table);
        Console.WriteLine("Received versions are next to the stored files; accept with 'dotnet run --project src/ConvCompare -- snapshots accept'.");
    }

    private static int Accept()
    {
        if (OpenStore() is not { } store)
            return ExitCodes.BadArguments;
        var accepted = store.AcceptAll();
        foreach (string name in accepted)
            Console.WriteLine($"accepted {name}");
        Console.WriteLine(accepted.Count == 0
            ? "nothing to accept: no *.received.json under " + store.Folder
            : $"{accepted.Count} snapshot(s) accepted; review with 'git diff {SnapshotFolder.Name}/' and commit.");
        return ExitCodes.Passed;
    }
}

using ConvCompare.Cli;
using Spectre.Console;

namespace ConvCompare.Snapshots;

/// <summary>What <c>snapshots</c> prints for the snapshots that changed or are missing: a Spectre table on a terminal, one report line each when plain.</summary>
internal static class SnapshotConsoleReport
{
    /// <summary>Writes the failed checks; nothing when none failed.</summary>
    /// <param name="failed">The snapshots that changed or are missing.</param>
    /// <param name="plain">One line per snapshot instead of a table (redirected output, CI).</param>
    public static void Write(IReadOnlyList<SnapshotCheck> failed, bool plain)
    {
        if (plain)
            foreach (var check in failed)
                Console.WriteLine(check.Report());
        else if (failed.Count > 0)
            WriteTable(failed);
    }

    private static void WriteTable(IReadOnlyList<SnapshotCheck> failed)
    {
        var table = new Table().AddColumn("snapshot").AddColumn("outcome").AddColumn("what moved (first " + SnapshotCheck.ReportedDifferences + ")");
        foreach (var check in failed)
        {
            string moved = check.Outcome == SnapshotOutcome.Changed
                ? string.Join("\n", check.Differences.Take(SnapshotCheck.ReportedDifferences))
                : check.Report();
            table.AddRow(Markup.Escape(check.Name), check.Outcome.ToString().ToLowerInvariant(), Markup.Escape(moved));
        }
        AnsiConsole.Write(table);
        Console.WriteLine("Received versions are next to the stored files; accept with '" + CommandText.Of("snapshots", "accept") + "'.");
    }
}

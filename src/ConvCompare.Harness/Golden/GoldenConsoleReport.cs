using System.Globalization;
using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Golden.Verification;
using ConvCompare.Implementations;
using Spectre.Console;

namespace ConvCompare.Golden;

/// <summary>
/// What <c>golden</c> prints for its verdicts: a Spectre table on a terminal or one line per file and
/// implementation when plain, then each disagreement (<see cref="GoldenVerdictText"/>) and a summary line.
/// </summary>
internal static class GoldenConsoleReport
{
    /// <summary>Writes the verdicts of every usable file, the disagreements and the summary line.</summary>
    /// <param name="verdicts">One verdict per file, unusable ones included.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error: file faults.</param>
    /// <param name="plain">Plain lines instead of a table (redirected output, CI).</param>
    public static void Write(IReadOnlyList<GoldenFileVerdict> verdicts, TextWriter output, TextWriter error, bool plain)
    {
        if (plain)
            PrintPlain(verdicts, output);
        else
            PrintTable(verdicts);
        PrintDisagreements(verdicts, output, error);

        int failed = verdicts.Count(v => !v.Pass), unreadable = verdicts.Count(v => v.Error is not null);
        int oracleFaults = verdicts.Count(v => v.OracleFault), fileFaults = verdicts.Count(v => v.FileFault);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"golden: {verdicts.Count} files, {verdicts.Count - failed} passed, {failed} failed ({unreadable} unusable, {fileFaults} file faults), {oracleFaults} oracle faults"));
    }

    private static void PrintPlain(IReadOnlyList<GoldenFileVerdict> verdicts, TextWriter output)
    {
        int width = verdicts.Max(v => Path.GetFileName(v.File).Length);
        foreach (var verdict in verdicts.Where(v => v.Error is null))
        {
            foreach (var result in verdict.Verdicts)
            {
                string cells = result.Error ?? string.Join("  ", result.Judged.Select(t =>
                    $"{t.Kind.Name()} {GoldenVerdictText.Ratio(t.BoundRatio)}{(result.JudgedByReference(t.Kind) ? " (vs reference)" : "")}"));
                output.WriteLine($"{Outcome(result),-12} {Path.GetFileName(verdict.File).PadRight(width)}  {result.Implementation,-10}  bound_ratio: {cells}");
            }
            if (verdict.FileFault)
                output.WriteLine($"{"FILE-FAULT",-12} {Path.GetFileName(verdict.File).PadRight(width)}  {BuiltInImplementations.ArbiterName,-10}  bound_ratio: " +
                                 string.Join("  ", verdict.FileFaults.Select(t => $"{t.Kind.Name()} {GoldenVerdictText.Ratio(t.BoundRatio)}")));
        }
    }

    private static void PrintTable(IReadOnlyList<GoldenFileVerdict> verdicts)
    {
        var table = new Table().Caption("cells: bound_ratio = max |computed - expected| / rounding-error bound, pass <= 1; * against the reference where the file is at fault");
        table.AddColumns("case", "impl", "y", "dx", "dw", "db", "verdict");
        foreach (var verdict in verdicts.Where(v => v.Error is null))
        {
            string name = Markup.Escape(Path.GetFileNameWithoutExtension(verdict.File));
            foreach (var result in verdict.Verdicts)
            {
                var cells = TensorKinds.All.Select(kind => result.Judged.FirstOrDefault(t => t.Kind == kind) is { } t
                    ? Cell(t, result.JudgedByReference(kind) ? "*" : "")
                    : "-");
                string outcome = result.Pass ? "[green]pass[/]" : $"[{(result.IsOracle ? "yellow" : "red")}]{Markup.Escape(result.Error ?? Outcome(result))}[/]";
                table.AddRow([name, result.Implementation, .. cells, outcome]);
            }
            if (verdict.FileFault)
                table.AddRow([name, BuiltInImplementations.ArbiterName, .. TensorKinds.All.Select(kind => verdict.FileFaults.FirstOrDefault(t => t.Kind == kind) is { } t ? Cell(t, "") : "-"),
                    "[red]FILE FAULT[/]"]);
        }
        AnsiConsole.Write(table);
    }

    private static string Cell(TensorComparison t, string mark) =>
        t.Pass ? Markup.Escape(GoldenVerdictText.Ratio(t.BoundRatio) + mark) : $"[red]{Markup.Escape(GoldenVerdictText.Ratio(t.BoundRatio) + mark)}[/]";

    /// <summary>
    /// One line on stderr per file fault (a bad input file, like an unusable one), then one line on
    /// stdout per implementation that is out of bound or threw (<see cref="GoldenVerdictText"/>).
    /// </summary>
    private static void PrintDisagreements(IReadOnlyList<GoldenFileVerdict> verdicts, TextWriter output, TextWriter error)
    {
        foreach (var verdict in verdicts.Where(v => v.Error is null))
        {
            if (GoldenVerdictText.FileFault(verdict) is { } fileFault)
                error.WriteLine(fileFault);
            foreach (var result in verdict.Verdicts.Where(r => !r.Pass))
                output.WriteLine(GoldenVerdictText.Disagreement(verdict, result));
        }
    }

    private static string Outcome(ImplementationVerdict result) =>
        result.Pass ? "PASS"
        : result.IsOracle ? "ORACLE-FAULT"
        : result.Error is not null ? "FAIL" : "FAIL " + string.Join(",", result.FailedTensors);
}

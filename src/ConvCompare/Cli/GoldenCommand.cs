using System.CommandLine;
using System.Globalization;
using ConvCompare.Golden;
using ConvCompare.Golden.Verification;
using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Oracles;
using ConvCompare.Reports;
using ConvCompare.Runner;
using Spectre.Console;

namespace ConvCompare.Cli;

/// <summary>
/// <c>convcompare golden &lt;file-or-directory&gt;</c>: recomputes golden safetensors cases (from PyTorch,
/// JAX, NumPy, ...) with ConvRef and optionally TorchSharp, and compares within the rounding-error bound.
/// Exit 0 when every requested ConvRef implementation agrees with every file; 1 when one is out of bound
/// (or, with --strict-oracle, TorchSharp is); 2 for bad arguments, or when a file is unusable or its
/// expected values are out of bound of the reference (a file fault) and no implementation failed;
/// 3 when --torch is given and TorchSharp cannot load.
/// </summary>
internal static class GoldenCommand
{
    internal static Command Create()
    {
        var path = new Argument<string>("path") { Description = "A golden .safetensors file, or a directory whose *.safetensors files are all checked." };
        var impl = new Option<string>("--impl")
        {
            Description = "Which ConvRef implementation to check: serial, vectorized or both.",
            DefaultValueFactory = _ => "both",
        };
        impl.AcceptOnlyFromAmong("serial", "vectorized", "both");
        var torch = new Option<bool>("--torch") { Description = "Also recompute with TorchSharp autograd and report where it disagrees with the files (oracle faults)." };
        var strictOracle = new Option<bool>("--strict-oracle") { Description = "Fail the run (exit 1) when TorchSharp disagrees with a file." };
        var json = new Option<string?>("--json") { Description = "Write a JSON report to this file." };
        var junit = new Option<string?>("--junit") { Description = "Write a JUnit XML report to this file." };

        var command = new Command("golden", "Check ConvRef (and TorchSharp) against golden conv2d cases stored as safetensors files.")
        {
            path, impl, torch, strictOracle, json, junit,
        };
        command.SetAction(result => Run(
            new GoldenRequest(result.GetValue(path)!, result.GetValue(impl)!, result.GetValue(torch) || result.GetValue(strictOracle),
                result.GetValue(strictOracle), result.GetValue(json), result.GetValue(junit)),
            Console.Out, Console.Error, ConsoleReport.Plain));
        return command;
    }

    /// <summary>The command's arguments.</summary>
    /// <param name="Path">A golden file or a directory of them.</param>
    /// <param name="Impl">serial, vectorized or both.</param>
    /// <param name="Torch">Also recompute with TorchSharp.</param>
    /// <param name="StrictOracle">A TorchSharp disagreement fails the run.</param>
    /// <param name="JsonPath">Where to write the JSON report, or null.</param>
    /// <param name="JUnitPath">Where to write the JUnit report, or null.</param>
    internal sealed record GoldenRequest(string Path, string Impl = "both", bool Torch = false, bool StrictOracle = false, string? JsonPath = null,
        string? JUnitPath = null);

    /// <summary>Runs the command; returns the exit code. <paramref name="engines"/> replaces the requested engines (tests plant errors through it).</summary>
    internal static int Run(GoldenRequest request, TextWriter output, TextWriter error, bool plain, GoldenEngines? engines = null)
    {
        var (path, impl, torch, strictOracle, jsonPath, junitPath) = request;
        var reports = new (string Option, string? Path, Action<Stream, IReadOnlyList<GoldenFileVerdict>> Write)[]
        {
            ("--json", jsonPath, (stream, verdicts) => GoldenJsonReport.Write(stream, verdicts, torch)),
            ("--junit", junitPath, (stream, verdicts) => GoldenJUnitReport.Write(stream, verdicts, strictOracle)),
        };
        IReadOnlyList<string> files;
        if (File.Exists(path))
        {
            files = [path];
        }
        else if (Directory.Exists(path))
        {
            files = [.. Directory.GetFiles(path, "*" + GoldenFormat.Extension).Order(StringComparer.Ordinal)];
            if (files.Count == 0)
            {
                error.WriteLine($"golden: the directory '{path}' contains no *{GoldenFormat.Extension} files.");
                return ExitCodes.BadArguments;
            }
        }
        else
        {
            error.WriteLine($"golden: '{path}' is neither a file nor a directory.");
            return ExitCodes.BadArguments;
        }
        foreach (var (option, reportPath, _) in reports)
        {
            if (reportPath is not null && ReportPaths.Problem(new FileInfo(reportPath), option) is { } pathProblem)
            {
                error.WriteLine("golden: " + pathProblem + ".");
                return ExitCodes.BadArguments;
            }
        }
        if (torch && TorchRuntime.Problem is { } problem)
        {
            error.WriteLine("golden: " + problem);
            return ExitCodes.TorchUnavailable;
        }

        var choice = impl switch
        {
            "serial" => ImplementationChoice.Serial,
            "vectorized" => ImplementationChoice.Vectorized,
            _ => ImplementationChoice.Both,
        };
        engines ??= GoldenVerifier.Engines(choice, torch);
        var verdicts = files.Select(f => GoldenVerifier.Verify(f, engines)).ToList();
        foreach (var unusable in verdicts.Where(v => v.Error is not null))
            error.WriteLine(unusable.Error);
        if (plain)
            PrintPlain(verdicts, output);
        else
            PrintTable(verdicts);
        PrintDisagreements(verdicts, output, error);

        int failed = verdicts.Count(v => !v.Pass), unreadable = verdicts.Count(v => v.Error is not null);
        int oracleFaults = verdicts.Count(v => v.OracleFault), fileFaults = verdicts.Count(v => v.FileFault);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"golden: {verdicts.Count} files, {verdicts.Count - failed} passed, {failed} failed ({unreadable} unusable, {fileFaults} file faults), {oracleFaults} oracle faults"));

        foreach (var (option, reportPath, write) in reports.Where(r => r.Path is not null))
        {
            try
            {
                using var stream = File.Create(reportPath!);
                write(stream, verdicts);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"golden: {option} '{reportPath}' cannot be written ({ex.Message}).");
                return ExitCodes.BadArguments;
            }
        }

        return ExitCode(verdicts, strictOracle);
    }

    /// <summary>
    /// 1 when a ConvRef implementation is out of bound (with --strict-oracle also when TorchSharp is), else
    /// 2 when a file was unusable or at fault (a bad input file), else 0.
    /// </summary>
    internal static int ExitCode(IReadOnlyList<GoldenFileVerdict> verdicts, bool strictOracle)
    {
        if (verdicts.Any(v => v.ConvRefFails) || (strictOracle && verdicts.Any(v => v.OracleFault)))
            return ExitCodes.Failed;
        return verdicts.Any(v => v.Error is not null || v.FileFault) ? ExitCodes.BadArguments : ExitCodes.Passed;
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
                output.WriteLine($"{"FILE-FAULT",-12} {Path.GetFileName(verdict.File).PadRight(width)}  {"reference",-10}  bound_ratio: " +
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
                table.AddRow([name, "reference", .. TensorKinds.All.Select(kind => verdict.FileFaults.FirstOrDefault(t => t.Kind == kind) is { } t ? Cell(t, "") : "-"),
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

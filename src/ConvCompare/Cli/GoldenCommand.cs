using System.CommandLine;
using System.Globalization;
using ConvCompare.Golden;
using ConvCompare.Golden.Verification;
using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Files;
using ConvCompare.Oracles;
using ConvCompare.Reports;
using ConvCompare.Runner;
using Spectre.Console;

namespace ConvCompare.Cli;

/// <summary>
/// <c>convcompare golden &lt;file-or-directory&gt;</c>: recomputes golden safetensors cases (from PyTorch,
/// JAX, NumPy, ...) with ConvRef and optionally TorchSharp, and compares within the rounding-error bound.
/// Exit 0 when every requested ConvRef implementation agrees with every file; 1 when one disagrees (or,
/// with --strict-oracle, TorchSharp does); 2 for bad arguments, or when a file is unusable and nothing
/// disagreed; 3 when --torch is given and TorchSharp cannot load.
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

        var command = new Command("golden", "Check ConvRef (and TorchSharp) against golden conv2d cases stored as safetensors files.")
        {
            path, impl, torch, strictOracle, json,
        };
        command.SetAction(result => Run(
            new GoldenRequest(result.GetValue(path)!, result.GetValue(impl)!, result.GetValue(torch) || result.GetValue(strictOracle),
                result.GetValue(strictOracle), result.GetValue(json)),
            Console.Out, Console.Error, ConsoleReport.Plain));
        return command;
    }

    /// <summary>The command's arguments.</summary>
    /// <param name="Path">A golden file or a directory of them.</param>
    /// <param name="Impl">serial, vectorized or both.</param>
    /// <param name="Torch">Also recompute with TorchSharp.</param>
    /// <param name="StrictOracle">A TorchSharp disagreement fails the run.</param>
    /// <param name="JsonPath">Where to write the JSON report, or null.</param>
    internal sealed record GoldenRequest(string Path, string Impl = "both", bool Torch = false, bool StrictOracle = false, string? JsonPath = null);

    /// <summary>Runs the command; returns the exit code.</summary>
    internal static int Run(GoldenRequest request, TextWriter output, TextWriter error, bool plain)
    {
        var (path, impl, torch, strictOracle, jsonPath) = request;
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
        if (jsonPath is not null && (ReportPaths.Clash([("--json", jsonPath)], files) ?? ReportPaths.Problem(jsonPath, "--json")) is { } pathProblem)
        {
            error.WriteLine("golden: " + pathProblem + ".");
            return ExitCodes.BadArguments;
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
        var engines = GoldenVerifier.Engines(choice, torch);
        var verdicts = files.Select(f => GoldenVerifier.Verify(f, engines)).ToList();
        foreach (var unusable in verdicts.Where(v => v.Error is not null))
            error.WriteLine(unusable.Error);
        if (plain)
            PrintPlain(verdicts, output);
        else
            PrintTable(verdicts);
        PrintDisagreements(verdicts, output);

        int failed = verdicts.Count(v => !v.Pass), unreadable = verdicts.Count(v => v.Error is not null);
        int oracleFaults = verdicts.Count(v => v.OracleFault);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"golden: {verdicts.Count} files, {verdicts.Count - failed} passed, {failed} failed ({unreadable} unusable), {oracleFaults} oracle faults"));

        string? writeProblem = jsonPath is null ? null : ReportPaths.WriteOrSay("the --json report " + jsonPath, jsonPath,
            temporary => AtomicFile.Fill(temporary, stream => GoldenJsonReport.Write(stream, verdicts, torch)));
        return ReportPaths.Finish(ExitCode(verdicts, strictOracle), writeProblem, error);
    }

    /// <summary>1 when a usable file disagrees (with --strict-oracle also when TorchSharp does), else 2 when a file was unusable, else 0.</summary>
    internal static int ExitCode(IReadOnlyList<GoldenFileVerdict> verdicts, bool strictOracle)
    {
        if (verdicts.Any(v => v.Error is null && !v.Pass) || (strictOracle && verdicts.Any(v => v.OracleFault)))
            return ExitCodes.Failed;
        return verdicts.Any(v => v.Error is not null) ? ExitCodes.BadArguments : ExitCodes.Passed;
    }

    private static void PrintPlain(IReadOnlyList<GoldenFileVerdict> verdicts, TextWriter output)
    {
        int width = verdicts.Max(v => Path.GetFileName(v.File).Length);
        foreach (var verdict in verdicts.Where(v => v.Error is null))
        {
            foreach (var result in verdict.Verdicts)
            {
                string cells = result.Error ?? string.Join("  ", result.Tensors.Select(t => $"{t.Kind.Name()} {Ratio(t.BoundRatio)}"));
                output.WriteLine($"{Outcome(result),-12} {Path.GetFileName(verdict.File).PadRight(width)}  {result.Implementation,-10}  bound_ratio: {cells}");
            }
        }
    }

    private static void PrintTable(IReadOnlyList<GoldenFileVerdict> verdicts)
    {
        var table = new Table().Caption("cells: bound_ratio = max |computed - expected| / rounding-error bound; pass <= 1");
        table.AddColumns("case", "impl", "y", "dx", "dw", "db", "verdict");
        foreach (var verdict in verdicts.Where(v => v.Error is null))
        {
            foreach (var result in verdict.Verdicts)
            {
                var cells = TensorKinds.All.Select(kind => result.Tensors.FirstOrDefault(t => t.Kind == kind) is { } t
                    ? (t.Pass ? Markup.Escape(Ratio(t.BoundRatio)) : $"[red]{Markup.Escape(Ratio(t.BoundRatio))}[/]")
                    : "-");
                string outcome = result.Pass ? "[green]pass[/]" : $"[red]{Markup.Escape(result.Error ?? Outcome(result))}[/]";
                table.AddRow([Markup.Escape(Path.GetFileNameWithoutExtension(verdict.File)), result.Implementation, .. cells, outcome]);
            }
        }
        AnsiConsole.Write(table);
    }

    /// <summary>
    /// One line per implementation that disagrees with a file, naming the tensors and their worst
    /// elements; TorchSharp's disagreements are marked as oracle faults, with a one-command repro.
    /// </summary>
    private static void PrintDisagreements(IReadOnlyList<GoldenFileVerdict> verdicts, TextWriter output)
    {
        foreach (var verdict in verdicts.Where(v => v.Error is null))
        {
            foreach (var result in verdict.Verdicts.Where(r => !r.Pass))
            {
                string what = result.Error ?? "disagrees beyond the rounding-error bound in " + string.Join("; ", result.Tensors.Where(t => !t.Pass).Select(t =>
                {
                    var shape = verdict.Case!.Expected[t.Kind]!.Shape;
                    string elements = string.Join(", ", t.OutOfBound.Select(i => TensorComparison.ElementName(t.Kind.Name(), shape, i)));
                    return string.Create(CultureInfo.InvariantCulture,
                        $"{t.Kind.Name()} ({t.OutOfBoundCount} element(s), worst {elements}; bound_ratio {Ratio(t.BoundRatio)}, max_rel {t.MaxRel:0.0e+0})");
                }));
                string label = result.IsOracle ? "ORACLE FAULT" : "FAIL";
                output.WriteLine($"{label} {verdict.File}: {result.Implementation} {what}; repro: " +
                                 (result.IsOracle ? CommandText.Of("golden", verdict.File, "--torch") : CommandText.Of("golden", verdict.File, "--impl", result.Implementation)));
            }
        }
    }

    private static string Outcome(ImplementationVerdict result) =>
        result.Pass ? "PASS"
        : result.IsOracle ? "ORACLE-FAULT"
        : result.Error is not null ? "FAIL" : "FAIL " + string.Join(",", result.FailedTensors);

    private static string Ratio(double ratio) => ratio.ToString("0.0e+0", CultureInfo.InvariantCulture);
}

using System.CommandLine;
using System.Globalization;
using ConvCompare.Implementations;
using ConvCompare.Golden;
using ConvCompare.Golden.Verification;
using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Files;
using ConvCompare.Limits;
using ConvCompare.Oracles;
using ConvCompare.Reports;
using ConvCompare.Runner;

namespace ConvCompare.Cli;

/// <summary>
/// <c>convcompare golden &lt;file-or-directory&gt;...</c>: recomputes golden safetensors cases (from PyTorch,
/// JAX, NumPy, ...) with ConvRef and optionally TorchSharp, and compares within the rounding-error bound.
/// Exit 0 when every requested ConvRef implementation agrees with every file; 1 when one is out of bound
/// (or, with --strict-oracle, TorchSharp is); 2 for bad arguments, or when a file is unusable (also when
/// checking it would exceed a limit) or its expected values are out of bound of the reference (a file
/// fault) and no implementation failed; 3 when --torch is given and TorchSharp cannot load; 4 when the
/// paths hold no golden file, so nothing was checked.
/// </summary>
internal static class GoldenCommand
{
    internal static Command Create()
    {
        var path = new Argument<string[]>("path")
        {
            Arity = ArgumentArity.OneOrMore,
            Description = "Golden .safetensors files, or directories whose *.safetensors files are all checked.",
        };
        var impl = SharedOptions.Implementation();
        var torch = new Option<bool>("--torch") { Description = "Also recompute with TorchSharp autograd and report where it disagrees with the files (oracle faults)." };
        var strictOracle = SharedOptions.StrictOracle();
        var json = SharedOptions.Json();
        var junit = SharedOptions.JUnit();

        var command = new Command("golden", "Check ConvRef (and TorchSharp) against golden conv2d cases stored as safetensors files.")
        {
            path, impl, torch, strictOracle, json, junit,
        };
        var limits = LimitOptions.AddTo(command);
        command.SetAction(result =>
        {
            if (!limits.TryRead(result, out var resourceLimits, out string limitError))
                return ExitCodes.Bad(limitError);
            return Run(
                new GoldenRequest(result.GetValue(path)!, result.GetValue(impl)!, result.GetValue(torch) || result.GetValue(strictOracle),
                    result.GetValue(strictOracle), result.GetValue(json)?.ToString(), result.GetValue(junit)?.ToString()) { Limits = resourceLimits },
                Console.Out, Console.Error, ConsoleReport.Plain);
        });
        return command;
    }

    /// <summary>The command's arguments.</summary>
    /// <param name="Paths">Golden files and directories of them.</param>
    /// <param name="Impl">Registered implementation names, comma-separated, or all.</param>
    /// <param name="Torch">Also recompute with TorchSharp.</param>
    /// <param name="StrictOracle">A TorchSharp disagreement fails the run.</param>
    /// <param name="JsonPath">Where to write the JSON report, or null.</param>
    /// <param name="JUnitPath">Where to write the JUnit report, or null.</param>
    internal sealed record GoldenRequest(IReadOnlyList<string> Paths, string Impl = ImplementationRegistry.All, bool Torch = false, bool StrictOracle = false, string? JsonPath = null,
        string? JUnitPath = null)
    {
        /// <summary>One file or directory.</summary>
        public GoldenRequest(string Path, string Impl = ImplementationRegistry.All, bool Torch = false, bool StrictOracle = false, string? JsonPath = null, string? JUnitPath = null)
            : this([Path], Impl, Torch, StrictOracle, JsonPath, JUnitPath)
        {
        }

        /// <summary>The work, memory and file-size limits each file is checked against before it is computed.</summary>
        public ResourceLimits Limits { get; init; } = ResourceLimits.Default;
    }

    /// <summary>Runs the command; returns the exit code. <paramref name="engines"/> replaces the requested engines (tests plant errors through it).</summary>
    internal static int Run(GoldenRequest request, TextWriter output, TextWriter error, bool plain, GoldenEngines? engines = null)
    {
        var (paths, impl, torch, strictOracle, jsonPath, junitPath) = request;
        var reports = new (string Option, string? Path, Action<Stream, IReadOnlyList<GoldenFileVerdict>> Write)[]
        {
            ("--json", jsonPath, (stream, verdicts) => GoldenJsonReport.Write(stream, verdicts, torch)),
            ("--junit", junitPath, (stream, verdicts) => GoldenJUnitReport.Write(stream, verdicts, strictOracle)),
        };
        var files = new List<string>();
        foreach (string path in paths)
        {
            // A directory is listed, never read; anything else named on the command line is a file
            // whose type and size the reader checks before opening it (a named pipe is refused there).
            if (Directory.Exists(path))
            {
                try
                {
                    files.AddRange(Directory.GetFiles(path, "*" + GoldenFormat.Extension).Order(StringComparer.Ordinal));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    error.WriteLine($"golden: the directory '{UntrustedText.Escape(path)}' cannot be listed ({UntrustedText.Escape(ex.Message)}).");
                    return ExitCodes.BadArguments;
                }
            }
            else if (File.Exists(path))
                files.Add(path);
            else
            {
                error.WriteLine($"golden: '{UntrustedText.Escape(path)}' is neither a file nor a directory.");
                return ExitCodes.BadArguments;
            }
        }
        files = [.. files.DistinctBy(Path.GetFullPath)];
        if (files.Count == 0)
        {
            error.WriteLine($"golden: nothing was checked: {(paths.Count == 1 ? "the directory '" + UntrustedText.Escape(paths[0]) + "' contains" : "the directories given contain")} no *{GoldenFormat.Extension} files.");
            return ExitCodes.NothingChecked;
        }
        if (ReportPaths.Clash(reports.Select(r => (r.Option, r.Path)), files) is { } clash)
        {
            error.WriteLine("golden: " + clash + ".");
            return ExitCodes.BadArguments;
        }
        foreach (var (option, reportPath, _) in reports)
        {
            if (ReportPaths.Problem(reportPath, option) is { } pathProblem)
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

        var selected = SharedOptions.Selected(impl);
        engines ??= GoldenVerifier.Engines(selected, torch);
        var plan = CostPlans.For(selected, torch ? 1 : 0, gradientCheck: false, "--impl " + impl + (torch ? " --torch" : ""));
        var verdicts = new List<GoldenFileVerdict>();
        for (int i = 0; i < files.Count; i++)
            verdicts.Add(ReadAndVerify(files[i], i, files.Count, engines, plan, request.Limits, error));
        foreach (var unusable in verdicts.Where(v => v.Error is not null))
            error.WriteLine(unusable.Error);
        GoldenConsoleReport.Write(verdicts, output, error, plain);

        string? writeProblem = null;
        foreach (var (option, reportPath, write) in reports.Where(r => r.Path is not null))
            writeProblem ??= ReportPaths.WriteOrSay($"the {option} report {reportPath}", reportPath!,
                temporary => AtomicFile.Fill(temporary, stream => write(stream, verdicts)));
        return ReportPaths.Finish(ExitCode(verdicts, strictOracle), writeProblem, error);
    }

    /// <summary>
    /// Reads one file within the limits, refuses it when computing it would exceed them, and verifies
    /// it; a file whose work is long is announced on <paramref name="error"/>, with a heartbeat.
    /// </summary>
    private static GoldenFileVerdict ReadAndVerify(string file, int index, int count, GoldenEngines engines, CostPlan plan,
        ResourceLimits limits, TextWriter error)
    {
        GoldenCase golden;
        try
        {
            golden = GoldenCaseReader.Read(file, limits);
        }
        catch (GoldenFileException ex)
        {
            return new GoldenFileVerdict(file, null, ex.Message, []);
        }
        if (CaseCost.Unrunnable(golden.Config, plan) is { } unrunnable)
            return new GoldenFileVerdict(file, null, $"{UntrustedText.Escape(file)}: this case cannot be run with {plan.Name}: {unrunnable}", []);
        var cost = CaseCost.Of(golden.Config, plan);
        if (limits.Refusal($"{UntrustedText.Escape(file)}: checking this case with {plan.Name}", cost) is { } refusal)
            return new GoldenFileVerdict(file, null, refusal, []);
        using var heartbeat = LongWork.Announce(error, string.Create(CultureInfo.InvariantCulture,
            $"golden: file {index + 1} of {count}, {UntrustedText.Escape(file)}"), cost);
        return GoldenVerifier.Verify(file, golden, engines);
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
}

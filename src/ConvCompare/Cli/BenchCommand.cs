using System.CommandLine;
using System.Globalization;
using ConvCompare.Bench;
using ConvCompare.Implementations;
using ConvCompare.Limits;
using ConvCompare.Oracles;
using ConvCompare.Reports;
using Spectre.Console;

namespace ConvCompare.Cli;

/// <summary><c>convcompare bench</c>: times ConvRef against TorchSharp on the reference shapes S1 to S4 and the convolution layers of two networks.</summary>
internal static class BenchCommand
{
    internal static Command Create()
    {
        var shapes = new Option<string>("--shapes") { Description = "Comma-separated shapes: S1 to S4, resnet18, mobilenetv2 (all their layers) or layer names such as r18.conv1.", DefaultValueFactory = _ => BenchSuites.Default };
        var dtype = new Option<string>("--dtype") { Description = "f32, f64 or both.", DefaultValueFactory = _ => "both" };
        dtype.AcceptOnlyFromAmong("f32", "f64", "both");
        var impl = SharedOptions.ImplementationOrOracle();
        var repeat = new Option<int>("--repeat") { Description = $"Timed repetitions per implementation ({Readable} is capped at {BenchOptions.SerialRepeatCap}).", DefaultValueFactory = _ => 15 };
        var quick = new Option<bool>("--quick") { Description = "A short sanity run: float32, 3 repetitions, S1 and S2 unless --shapes is given." };
        var scaling = new Option<bool>("--scaling") { Description = "Also measure on 1 thread up to the machine's thread count and report parallel efficiency." };
        var details = new Option<bool>("--details") { Description = "With --scaling: one line per shape and thread count besides the summary." };
        var json = SharedOptions.Json();
        var profile = new Option<string?>("--profile") { Description = "Profiling driver: run only ConvRef vectorized, 3 warm-up calls then --repeat calls of this pass (fwd, bwd or fwdbwd) per shape and dtype; no timing tables, TorchSharp or calibration (see scripts/profile-layer.sh)." };
        profile.AcceptOnlyFromAmong([.. ProfileDriver.Passes]);
        var profileThreads = new Option<int>("--profile-threads") { Description = "With --profile: most threads ConvRef may use.", DefaultValueFactory = _ => 1 };

        var command = new Command("bench", $"Time the registered implementations ({string.Join(", ", SharedOptions.Registry.Names)}) against TorchSharp: medians, GFLOP/s and ratios.")
        {
            shapes, dtype, impl, repeat, quick, json, scaling, details, profile, profileThreads,
        };
        var limits = LimitOptions.AddTo(command);
        command.SetAction(parse =>
        {
            var selected = ParseShapes(parse.GetValue(shapes)!, out string? error);
            var impls = SharedOptions.SelectedNames(parse.GetValue(impl)!);
            int reps = parse.GetValue(repeat);
            if (error is null && reps < 1)
                error = $"--repeat must be >= 1 (got {reps})";
            if (error is null && parse.GetValue(details) && !parse.GetValue(scaling))
                error = "--details needs --scaling (it lists each shape's parallel efficiency)";
            error ??= ReportPaths.Problem(parse.GetValue(json), "--json");
            if (error is null && parse.GetValue(profileThreads) < 1)
                error = $"--profile-threads must be >= 1 (got {parse.GetValue(profileThreads)})";
            if (error is not null)
                return ExitCodes.Bad(error);
            string d = parse.GetValue(dtype)!;
            if (parse.GetValue(profile) is { } profilePass)
                return Profile(selected, d == "both" ? ["f32", "f64"] : [d], profilePass, reps, parse.GetValue(profileThreads));
            var options = new BenchOptions(
                selected,
                d == "both" ? ["f32", "f64"] : [d],
                impls,
                reps) { Scaling = parse.GetValue(scaling), Registry = SharedOptions.Registry };
            if (parse.GetValue(quick))
                options = options with { Shapes = parse.GetResult(shapes) is { Implicit: false } ? selected : [BenchShape.All[0], BenchShape.All[1]], Dtypes = ["f32"], Repeat = 3 };
            if (!limits.TryRead(parse, out var resourceLimits, out string limitError))
                return ExitCodes.Bad(limitError);
            // The tuned child repeats a measurement its parent already admitted.
            if (!TunedChild.IsActive && resourceLimits.Refusal($"bench with --repeat {options.Repeat}", BenchCost.Of(options)) is { } refusal)
                return ExitCodes.Bad(refusal);
            return Run(options, parse.GetValue(json), parse.GetValue(details));
        });
        return command;
    }

    private static int Run(BenchOptions options, FileInfo? json, bool details)
    {
        if (TorchRuntime.Problem is { } problem)
            return ExitCodes.NoTorch(problem);
        // Calibrated before libtorch starts its worker threads; the tuned child's measurements are read against the same peaks.
        var peaks = TunedChild.IsActive ? [] : BenchRunner.CalibratePeaks(options, step => Console.Error.WriteLine($"calibrating {step}"));
        var measured = BenchRunner.Measure(options, step => Console.Error.WriteLine($"measuring {step}"));
        string? note = null;
        if (options.Impls.Contains(Oracle) && !TunedChild.IsActive)
        {
            Console.Error.WriteLine("measuring again in a child process with GLIBC_TUNABLES and OMP_WAIT_POLICY=PASSIVE");
            measured.AddRange(TunedChild.Measure(options, out note));
        }
        var results = BenchRunner.WithPercentOfPeak(BenchRunner.WithRatios(measured), peaks);
        var machine = MachineInfo.Detect(BenchRunner.Threads);
        Print(results.Where(m => m.Threads == BenchRunner.Threads).ToList(), machine);
        BenchTables.Print(options, results, peaks, details);
        if (note is not null)
            Console.WriteLine("note: " + note + "; ratios use the as-is run only.");
        var report = new BenchReport("convcompare", typeof(BenchCommand).Assembly.GetName().Version?.ToString(3) ?? "", machine, results) { Peaks = peaks };
        return ReportPaths.Finish(ExitCodes.Passed, json is null ? null
            : ReportPaths.WriteOrSay("the --json report " + json.FullName, json.FullName, temporary => File.WriteAllText(temporary, report.ToJson())));
    }

    /// <summary>The profiling driver: the counted calls of each shape and dtype, one line each on stderr (a profile, not a timing).</summary>
    private static int Profile(IReadOnlyList<BenchShape> shapes, IReadOnlyList<string> dtypes, string pass, int calls, int threads)
    {
        foreach (var shape in shapes)
            foreach (string d in dtypes)
            {
                double ms = ProfileDriver.Run(shape, d, pass, calls, threads);
                Console.Error.WriteLine($"profiled {shape.Name} {d} {pass}: {calls} calls after {ProfileDriver.WarmUpCalls} warm-up, {threads} thread(s), {F(ms, "0.000")} ms");
            }
        return ExitCodes.Passed;
    }

    private static List<BenchShape> ParseShapes(string text, out string? error)
    {
        var result = new List<BenchShape>();
        foreach (string name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var found = BenchSuites.Resolve(name);
            if (found is null)
            {
                error = $"--shapes: unknown shape '{name}' ({BenchSuites.Known})";
                return result;
            }
            foreach (var shape in found)
            {
                if (result.Contains(shape))
                {
                    error = $"--shapes names {shape.Name} twice; give each shape once";
                    return result;
                }
                result.Add(shape);
            }
        }
        error = result.Count == 0 ? "--shapes must name at least one shape" : null;
        return result;
    }

    private static void Print(IReadOnlyList<BenchMeasurement> results, MachineInfo machine)
    {
        Console.WriteLine($"machine: {machine.Cpu}, {machine.LogicalCores} logical cores, SIMD {machine.Simd}, {machine.Runtime}; TorchSharp and ConvRef on {machine.TorchThreads} threads");
        var rows = results.OrderBy(m => m.Shape).ThenBy(m => m.Dtype).ThenBy(m => m.Pass).ThenBy(m => m.Impl).ThenBy(m => m.Variant)
            .Select(m => new[]
            {
                m.Shape, m.Dtype, m.PassName, $"{m.Impl} ({m.Variant})", F(m.MedianMs, "0.000"), F(m.MinMs, "0.000"), F(m.MaxMs, "0.000"),
                F(m.Gflops, "0.0"), m.PercentOfPeak is double p ? F(p, "0") + "%" : "", m.RatioToTorch is double r ? F(r, "0.00") : "",
                m.FirstCallAllocatedBytes is long a && m.TensorBytes is long t ? F(a / (double)t, "0.00") + "x" : "",
            }).ToList();
        WriteTable("all measurements (ratio: to TorchSharp in the same run)",
            ["shape", "dtype", "pass", "impl (run)", "median ms", "min ms", "max ms", "GFLOP/s", "% of FMA peak", "ratio to torch", "first-call alloc / tensors"], rows);

        var headline = new List<string[]>();
        foreach (var group in BenchRunner.BestRuns(results).GroupBy(m => (m.Shape, m.Dtype)).OrderBy(g => g.Key.Shape).ThenBy(g => g.Key.Dtype))
        {
            BenchMeasurement? Find(string impl, BenchPass pass) => group.FirstOrDefault(m => m.Impl == impl && m.Pass == pass);
            var vf = Find(Fast, BenchPass.Fwd);
            var vb = Find(Fast, BenchPass.FwdBwd);
            var tb = Find(Oracle, BenchPass.FwdBwd);
            var sb = Find(Readable, BenchPass.FwdBwd);
            headline.Add([group.Key.Shape, group.Key.Dtype,
                vf?.RatioToTorch is double rf ? F(rf, "0.00") : "", vb?.RatioToTorch is double rb ? F(rb, "0.00") : "",
                vb is null ? "" : $"{F(vb.MedianMs, "0.000")} ({vb.Variant})", tb is null ? "" : $"{F(tb.MedianMs, "0.000")} ({tb.Variant})",
                sb is not null && vb is not null ? F(sb.MedianMs / vb.MedianMs, "0") + "x" : ""]);
        }
        if (headline.Count > 0)
            WriteTable($"ConvRef {Fast} / TorchSharp, each at its fastest run (the speed goal's reading)",
                ["shape", "dtype", "fwd ratio", "fwd+bwd ratio", $"{Fast} fwd+bwd ms (run)", $"{Oracle} fwd+bwd ms (run)", $"{Readable} / {Fast} fwd+bwd"], headline);
    }

    /// <summary>The registered name of ConvRef's fast algorithm, whose ratio to the oracle is the headline.</summary>
    internal static string Fast => BuiltInImplementations.Fast.Name;

    /// <summary>The registered name of ConvRef's readable algorithm, the yardstick of the fast one's speed-up.</summary>
    internal static string Readable => BuiltInImplementations.Readable.Name;

    /// <summary>The oracle's name, the subject every ratio is taken to.</summary>
    internal static string Oracle => BuiltInImplementations.OracleName;

    /// <summary>A Spectre table on a terminal; Markdown lines when redirected, so a log or the README can take the table as is at any width.</summary>
    internal static void WriteTable(string title, string[] columns, List<string[]> rows)
    {
        Console.WriteLine();
        Console.WriteLine(title);
        if (ConsoleReport.Plain)
        {
            Console.WriteLine("| " + string.Join(" | ", columns) + " |");
            Console.WriteLine("|" + string.Concat(columns.Select(_ => "---|")));
            foreach (var row in rows)
                Console.WriteLine("| " + string.Join(" | ", row) + " |");
            return;
        }
        var table = new Table().Border(TableBorder.Rounded);
        foreach (string column in columns)
            table.AddColumn(column);
        foreach (var row in rows)
            table.AddRow(row);
        AnsiConsole.Write(table);
    }

    internal static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}

using System.CommandLine;
using System.Globalization;
using ConvCompare.Bench;
using ConvCompare.Implementations;
using ConvCompare.Limits;
using ConvCompare.Oracles;
using ConvCompare.Reports;

namespace ConvCompare.Cli;

/// <summary><c>convcompare bench</c>: times ConvRef against TorchSharp on the reference shapes S1 to S4 and the convolution layers of two networks.</summary>
internal static class BenchCommand
{
    internal static Command Create()
    {
        var shapes = new Option<string>("--shapes") { Description = "Comma-separated shapes: S1 to S4, resnet18, mobilenetv2 (all their layers) or layer names such as r18.conv1.", DefaultValueFactory = _ => BenchSuites.Default };
        var dtype = SharedOptions.Dtype("Dtypes to time: f32, f64 or both.");
        var impl = SharedOptions.ImplementationOrOracle();
        var repeat = new Option<int>("--repeat") { Description = $"Timed repetitions per implementation ({BuiltInImplementations.Readable.Name} is capped at {BenchOptions.SerialRepeatCap}).", DefaultValueFactory = _ => 15 };
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
        if (options.Impls.Contains(BuiltInImplementations.OracleName) && !TunedChild.IsActive)
        {
            Console.Error.WriteLine("measuring again in a child process with GLIBC_TUNABLES and OMP_WAIT_POLICY=PASSIVE");
            measured.AddRange(TunedChild.Measure(options, out note));
        }
        var results = BenchRunner.WithPercentOfPeak(BenchRunner.WithRatios(measured), peaks);
        var machine = MachineInfo.Detect(BenchRunner.Threads);
        BenchConsoleReport.Print(options, results, peaks, machine, details);
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
                Console.Error.WriteLine($"profiled {shape.Name} {d} {pass}: {calls} calls after {ProfileDriver.WarmUpCalls} warm-up, {threads} thread(s), {ms.ToString("0.000", CultureInfo.InvariantCulture)} ms");
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

}

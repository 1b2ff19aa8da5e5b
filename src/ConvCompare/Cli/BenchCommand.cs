using System.CommandLine;
using System.Globalization;
using ConvCompare.Bench;
using ConvCompare.Oracles;
using Spectre.Console;

namespace ConvCompare.Cli;

/// <summary><c>convcompare bench</c>: times ConvRef against TorchSharp on issue 7's shapes.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var shapes = new Option<string>("--shapes") { Description = "Comma-separated shapes among S1,S2,S3,S4.", DefaultValueFactory = _ => "S1,S2,S3,S4" };
        var dtype = new Option<string>("--dtype") { Description = "f32, f64 or both.", DefaultValueFactory = _ => "both" };
        dtype.AcceptOnlyFromAmong("f32", "f64", "both");
        var impl = new Option<string>("--impl") { Description = "serial, vectorized, torch or all.", DefaultValueFactory = _ => "all" };
        impl.AcceptOnlyFromAmong("serial", "vectorized", "torch", "all");
        var repeat = new Option<int>("--repeat") { Description = "Timed repetitions per implementation (serial is capped at 3).", DefaultValueFactory = _ => 15 };
        var quick = new Option<bool>("--quick") { Description = "A short sanity run: S1 and S2, float32, 3 repetitions." };
        var json = new Option<FileInfo?>("--json") { Description = "Write every measurement and the machine to this JSON file." };

        var command = new Command("bench", "Time ConvRef (serial, vectorized) against TorchSharp: medians, GFLOP/s and ratios.")
        {
            shapes, dtype, impl, repeat, quick, json,
        };
        command.SetAction(parse =>
        {
            var selected = ParseShapes(parse.GetValue(shapes)!, out string? error);
            int reps = parse.GetValue(repeat);
            if (error is null && reps < 1)
                error = $"--repeat must be >= 1 (got {reps})";
            if (error is not null)
                return ExitCodes.Bad(error);
            string d = parse.GetValue(dtype)!;
            string i = parse.GetValue(impl)!;
            var options = new BenchOptions(
                selected,
                d == "both" ? ["f32", "f64"] : [d],
                i == "all" ? ["serial", "vectorized", "torch"] : [i],
                reps);
            if (parse.GetValue(quick))
                options = options with { Shapes = [BenchShape.All[0], BenchShape.All[1]], Dtypes = ["f32"], Repeat = 3 };
            return Run(options, parse.GetValue(json));
        });
        return command;
    }

    private static int Run(BenchOptions options, FileInfo? json)
    {
        if (TorchRuntime.Problem is { } problem)
            return ExitCodes.NoTorch(problem);
        var measured = BenchRunner.Measure(options, step => Console.Error.WriteLine($"measuring {step}"));
        string? note = null;
        if (options.Impls.Contains("torch") && !TunedTorchChild.IsActive)
        {
            Console.Error.WriteLine("measuring TorchSharp again with GLIBC_TUNABLES in a child process");
            measured.AddRange(TunedTorchChild.Measure(options, out note));
        }
        var results = BenchRunner.WithRatios(measured);
        var machine = MachineInfo.Detect(BenchRunner.Threads);
        Print(results, machine);
        if (note is not null)
            Console.WriteLine("note: " + note + "; ratios use TorchSharp as is.");
        json?.Directory?.Create();
        if (json is not null)
            new BenchReport("convcompare", typeof(BenchCommand).Assembly.GetName().Version?.ToString(3) ?? "", machine, results).Write(json.FullName);
        return ExitCodes.Passed;
    }

    private static List<BenchShape> ParseShapes(string text, out string? error)
    {
        var result = new List<BenchShape>();
        foreach (string name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var shape = BenchShape.All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
            if (shape is null)
            {
                error = $"--shapes: unknown shape '{name}' (known: {string.Join(",", BenchShape.All.Select(s => s.Name))})";
                return result;
            }
            result.Add(shape);
        }
        error = result.Count == 0 ? "--shapes must name at least one shape" : null;
        return result;
    }

    private static void Print(IReadOnlyList<BenchMeasurement> results, MachineInfo machine)
    {
        Console.WriteLine($"machine: {machine.Cpu}, {machine.LogicalCores} logical cores, SIMD {machine.Simd}, {machine.Runtime}; TorchSharp and ConvRef on {machine.TorchThreads} threads");
        var table = new Table().Border(TableBorder.Markdown);
        foreach (string column in new[] { "shape", "dtype", "pass", "impl", "median ms", "min ms", "max ms", "GFLOP/s", "ratio to torch", "first-call alloc / tensors" })
            table.AddColumn(column);
        foreach (var m in results.OrderBy(m => m.Shape).ThenBy(m => m.Dtype).ThenBy(m => m.Pass).ThenBy(m => m.Impl).ThenBy(m => m.Variant))
        {
            string impl = m.Variant.Length == 0 ? m.Impl : $"{m.Impl} ({m.Variant})";
            string alloc = m.FirstCallAllocatedBytes is long a && m.TensorBytes is long t ? F(a / (double)t, "0.00") + "x" : "";
            table.AddRow(m.Shape, m.Dtype, m.PassName, impl, F(m.MedianMs, "0.000"), F(m.MinMs, "0.000"), F(m.MaxMs, "0.000"),
                F(m.Gflops, "0.0"), m.RatioToTorch is double r ? F(r, "0.00") : "", alloc);
        }
        AnsiConsole.Write(table);
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}

using System.CommandLine;
using ConvCompare.Cases;
using ConvCompare.Oracles;
using ConvCompare.Reports;
using ConvCompare.Runner;

namespace ConvCompare.Cli;

/// <summary><c>convcompare check &lt;id&gt;</c>: rerun one case exactly and print every metric.</summary>
internal static class CheckCommand
{
    internal static Command Create()
    {
        var id = new Argument<string>("id") { Description = "A case id as run prints it, e.g. n3c4h9w7-o6k3x2-s2x1-p1,0,2,1-d1x2-g2-f64-relu-v1234." };
        var impl = SharedOptions.Implementation();
        var json = SharedOptions.Json();
        var strict = SharedOptions.StrictOracle();
        var command = new Command("check", "Rerun one case bit for bit and print every metric.");
        command.Arguments.Add(id);
        command.Options.Add(impl);
        command.Options.Add(json);
        command.Options.Add(strict);
        command.SetAction(parse =>
        {
            if (!CaseId.TryParse(parse.GetValue(id)!, out var config, out string error))
                return ExitCodes.Bad(error);
            if (ReportPaths.Problem(parse.GetValue(json), "--json") is { } pathError)
                return ExitCodes.Bad(pathError);
            if (TorchRuntime.Problem is { } problem)
                return ExitCodes.NoTorch(problem);
            string implText = parse.GetValue(impl)!;
            var runner = SharedOptions.Runner(implText);
            bool strictOracle = parse.GetValue(strict);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var results = Sweep.RunGuarded(runner, config);
            foreach (var result in results)
                ConsoleReport.WriteCase(result);
            var report = new RunReport("check", null, 1, Shard.All, RunReport.DtypeName(config.Dtype), implText,
                new RunSummary(results, strictOracle), clock.Elapsed.TotalSeconds);
            return ReportPaths.Finish(report.Summary.ExitCode, ReportPaths.Write(report, parse.GetValue(json), null));
        });
        return command;
    }
}

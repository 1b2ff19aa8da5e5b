using System.CommandLine;
using ConvCompare.Cases;
using ConvCompare.Limits;
using ConvCompare.Oracles;
using ConvCompare.Reports;
using ConvCompare.Runner;

namespace ConvCompare.Cli;

/// <summary><c>convcompare check &lt;id&gt;</c>: rerun one case exactly and print every metric.</summary>
internal static class CheckCommand
{
    internal static Command Create()
    {
        var id = new Argument<string>("id") { Description = "A case id as run prints it, e.g. n3c4h9w7-o6k3x2-s2x1-p1,0,2,1-d1x2-g2-f64-relu-v1234, or an error-input id, e.g. error-stride0-conv2d-v1234." };
        var impl = SharedOptions.Implementation();
        var threads = SharedOptions.Threads();
        var json = SharedOptions.Json();
        var strict = SharedOptions.StrictOracle();
        var command = new Command("check", "Rerun one case bit for bit and print every metric.");
        command.Arguments.Add(id);
        command.Options.Add(impl);
        command.Options.Add(threads);
        command.Options.Add(json);
        command.Options.Add(strict);
        var limits = LimitOptions.AddTo(command);
        command.SetAction(parse =>
        {
            if (parse.GetValue(id)!.StartsWith("error-", StringComparison.Ordinal))
                return CheckErrorInput(parse.GetValue(id)!, parse.GetValue(impl)!, parse.GetValue(threads), parse.GetValue(strict), parse.GetValue(json));
            if (!CaseId.TryParse(parse.GetValue(id)!, out var config, out string error))
                return ExitCodes.Bad(error);
            if (SharedOptions.ThreadsProblem(parse.GetValue(threads)) is { } threadsError)
                return ExitCodes.Bad(threadsError);
            if (ReportPaths.Problem(parse.GetValue(json), "--json") is { } pathError)
                return ExitCodes.Bad(pathError);
            if (!limits.TryRead(parse, out var resourceLimits, out string limitError))
                return ExitCodes.Bad(limitError);
            string implText = parse.GetValue(impl)!;
            var plan = SharedOptions.Plan(implText);
            if (CaseCost.Unrunnable(config, plan) is { } unrunnable)
                return ExitCodes.Bad($"this case cannot be run with --impl {implText}: {unrunnable}");
            var cost = CaseCost.Of(config, plan);
            if (resourceLimits.Refusal($"this case with --impl {implText} (with its rounding bounds, reference and numeric gradient check)", cost) is { } refusal)
                return ExitCodes.Bad(refusal);
            if (TorchRuntime.Problem is { } problem)
                return ExitCodes.NoTorch(problem);
            return Check(config, SharedOptions.Runner(implText, parse.GetValue(threads)), implText, parse.GetValue(strict), parse.GetValue(json), cost);
        });
        return command;
    }

    /// <summary>Reruns an error-input case (<see cref="ErrorCase"/>): each implementation's verdict, the JSON report when asked, and the exit code.</summary>
    private static int CheckErrorInput(string id, string implementations, int threads, bool strictOracle, FileInfo? json)
    {
        if (!ErrorCase.TryParse(id, out var errorCase, out string error))
            return ExitCodes.Bad(error);
        if (SharedOptions.ThreadsProblem(threads) is { } threadsError)
            return ExitCodes.Bad(threadsError);
        if (ReportPaths.Problem(json, "--json") is { } pathError)
            return ExitCodes.Bad(pathError);
        if (TorchRuntime.Problem is { } problem)
            return ExitCodes.NoTorch(problem);
        var (results, seconds) = ErrorInputSweep.Run(ErrorInputRunner.For(SharedOptions.Runner(implementations, threads)), [errorCase]);
        Console.WriteLine($"{errorCase.Id}: {errorCase.Describe()}");
        Console.WriteLine($"  breaks: {errorCase.Rule.Statement}; every implementation must refuse it naming {errorCase.Parameter}");
        foreach (var r in results)
            Console.WriteLine($"  {(r.Pass ? "pass" : "FAIL")}: {r.Verdict}");
        var report = new RunReport("check", null, 0, Shard.All, null, "both", implementations, new RunSummary([], strictOracle), seconds)
        {
            RequestedErrorCases = 1,
            ErrorInputs = results,
        };
        return ReportPaths.Finish(report.ExitCode, ReportPaths.Write(report, json, null));
    }

    /// <summary>
    /// Runs <paramref name="config"/> with <paramref name="runner"/>, prints every result (each ConvRef
    /// implementation's and the oracle's), writes the JSON report when asked, and returns the exit code.
    /// </summary>
    internal static int Check(CaseConfig config, CaseRunner runner, string implementations, bool strictOracle, FileInfo? json, Cost? work = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyList<CaseResult> results;
        using (work is { } cost ? LongWork.Announce(Console.Error, "check", cost) : null)
            results = runner.Run(config);
        foreach (var result in results)
            ConsoleReport.WriteCase(result);
        var report = new RunReport("check", null, 1, Shard.All, null, RunReport.DtypeName(config.Dtype), implementations,
            new RunSummary(results, strictOracle), clock.Elapsed.TotalSeconds);
        return ReportPaths.Finish(report.Summary.ExitCode, ReportPaths.Write(report, json, null));
    }
}

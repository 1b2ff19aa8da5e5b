using System.CommandLine;
using ConvCompare.Limits;
using ConvCompare.Reports;

namespace ConvCompare.Cli;

/// <summary>
/// <c>convcompare merge</c>: the JSON reports of the n shards of one <c>run</c> (a CI job matrix) joined
/// into the report, the summary and the exit code that <c>run</c> gives for the whole sweep.
/// </summary>
internal static class MergeCommand
{
    internal static Command Create()
    {
        var reports = new Argument<string[]>("report")
        {
            Arity = ArgumentArity.OneOrMore,
            Description = "The JSON reports (run --shard i/n --json FILE) of every shard of one sweep, in any order.",
        };
        var json = new Option<FileInfo?>("--json") { HelpName = "FILE", Description = "Write the merged JSON report to this file.", Required = true };
        var junit = SharedOptions.JUnit();
        var command = new Command("merge", "Merge the JSON reports of the shards of one run into one report and one verdict.");
        command.Arguments.Add(reports);
        command.Options.Add(json);
        command.Options.Add(junit);
        var limits = LimitOptions.AddMemoryTo(command);
        command.SetAction(parse =>
        {
            string[] inputs = parse.GetValue(reports)!;
            FileInfo? jsonFile = parse.GetValue(json), junitFile = parse.GetValue(junit);
            if ((ReportPaths.Clash([("--json", jsonFile?.FullName), ("--junit", junitFile?.FullName)], inputs)
                 ?? ReportPaths.Problem(jsonFile, "--json") ?? ReportPaths.Problem(junitFile, "--junit")) is { } pathError)
                return ExitCodes.Bad(pathError);
            if (!limits.TryRead(parse, out var resourceLimits, out string limitError))
                return ExitCodes.Bad(limitError);
            return Merge(inputs, resourceLimits.MaxFileBytes, jsonFile, junitFile);
        });
        return command;
    }

    /// <summary>Reads every report (each unreadable one is one sentence), merges them, prints the summary and writes the outputs.</summary>
    private static int Merge(string[] inputs, long maxFileBytes, FileInfo? json, FileInfo? junit)
    {
        var read = new List<ReadReport>();
        var problems = new List<string>();
        foreach (string input in inputs)
        {
            if (JsonReportReader.Read(input, maxFileBytes, out string problem) is { } report)
                read.Add(report);
            else
                problems.Add(problem);
        }
        foreach (string problem in problems)
            ExitCodes.Bad(problem);
        if (problems.Count > 0)
            return ExitCodes.BadArguments;
        if (ReportMerge.Merge(read, out string mismatch) is not { } merged)
            return ExitCodes.Bad(mismatch);
        Console.WriteLine($"convcompare merge: {read.Count} shard(s) of seed {merged.Seed}, {merged.RequestedCases} cases, tier {merged.Tier}, dtype {merged.Dtype}, impl {merged.Implementations}");
        ConsoleReport.WriteSummary(merged);
        return ReportPaths.Finish(merged.ExitCode, ReportPaths.Write(merged, json, junit));
    }
}

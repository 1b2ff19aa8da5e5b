using System.CommandLine;
using ConvCompare.Cases;
using ConvCompare.Files;
using ConvCompare.Kit;
using ConvCompare.Limits;
using ConvCompare.Oracles;
using ConvCompare.Reports;
using ConvCompare.Runner;

namespace ConvCompare.Cli;

/// <summary>
/// <c>convcompare judge &lt;kit&gt;</c>: judges every output file an outside program wrote for a kit against
/// the independent reference, within the rounding bound of the output's dtype. Exit 0 when every output
/// is within bound; 1 when one is out of bound; 2 for bad arguments, an unreadable manifest, or (when
/// nothing is out of bound) an output file that is missing, misnamed, mis-shaped, wrongly typed or
/// corrupt; 3 when --torch is given and TorchSharp cannot load; 5 when a report cannot be written.
/// </summary>
internal static class JudgeCommand
{
    /// <summary>Bytes a case takes in a report, generously: its id, paths, four tensors' metrics and five elements of evidence each.</summary>
    private const double ReportBytesPerCase = 8192;

    internal static Command Create()
    {
        var kit = new Argument<string>("kit") { Description = "The kit's folder (written by the kit command, outputs filled by the implementation)." };
        var outputs = new Option<string?>("--outputs") { HelpName = "DIR", Description = $"Read the output files from this folder instead of the kit's {KitFormat.OutputsFolder}/ (one kit, several implementations)." };
        var torch = new Option<bool>("--torch") { Description = "Also compute every case with TorchSharp and note where it is out of bound (never required, never a verdict)." };
        var shrinkWith = new Option<string?>("--shrink-with")
        {
            HelpName = "COMMAND",
            Description = $"A shell command that runs the implementation on a kit, {KitShrink.KitPlaceholder} standing for its folder (e.g. \"python3 mine.py {KitShrink.KitPlaceholder}\"): failing cases are shrunk by rerunning it on smaller ones.",
        };
        var json = SharedOptions.Json();
        var junit = new Option<FileInfo?>("--junit") { HelpName = "FILE", Description = "Write a JUnit XML report to this file." };
        var command = new Command("judge", "Judge the output files an outside implementation wrote for a conformance kit, against the definition of conv2d (or of each case's operation of the convolution family) within rounding-error bounds.");
        command.Arguments.Add(kit);
        foreach (var option in new Option[] { outputs, torch, shrinkWith, json, junit })
            command.Options.Add(option);
        var limits = LimitOptions.AddTo(command);
        command.SetAction(parse =>
        {
            if (!limits.TryRead(parse, out var resourceLimits, out string limitError))
                return ExitCodes.Bad(limitError);
            string folder = parse.GetValue(kit)!;
            string outputFolder = parse.GetValue(outputs) ?? Path.Combine(folder, KitFormat.OutputsFolder);
            FileInfo? jsonFile = parse.GetValue(json), junitFile = parse.GetValue(junit);
            if ((ReportPaths.Clash([("--json", jsonFile?.FullName), ("--junit", junitFile?.FullName)])
                 ?? ReportPaths.Problem(jsonFile, "--json") ?? ReportPaths.Problem(junitFile, "--junit")) is { } pathError)
                return ExitCodes.Bad(pathError);
            if (parse.GetValue(shrinkWith) is { } shrinkText && !shrinkText.Contains(KitShrink.KitPlaceholder, StringComparison.Ordinal))
                return ExitCodes.Bad($"--shrink-with '{shrinkText}' must contain {KitShrink.KitPlaceholder}, which stands for the folder of the one-case kit the command fills");
            if (!Directory.Exists(folder))
                return ExitCodes.Bad($"the kit {UntrustedText.Escape(folder)} is not a folder; write one with {CommandText.Of("kit", folder)}");
            if (KitManifest.Read(folder, resourceLimits.MaxFileBytes, out string manifestProblem) is not { } cases)
                return ExitCodes.Bad(manifestProblem);
            foreach (var report in new[] { jsonFile, junitFile })
            {
                if (report is not null && Path.TrimEndingDirectorySeparator(Path.GetFullPath(report.DirectoryName!)) == Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputFolder)))
                    return ExitCodes.Bad($"the report {report.FullName} would be written into the outputs folder, where it would be a stray file; give another folder");
            }
            int reports = (jsonFile is null ? 0 : 1) + (junitFile is null ? 0 : 1);
            if (resourceLimits.Refusal($"judge of {cases.Count} case(s)", new Cost(0, 0, reports * ReportBytesPerCase * cases.Count)) is { } refusal)
                return ExitCodes.Bad(refusal);
            bool withTorch = parse.GetValue(torch);
            if (withTorch && TorchRuntime.Problem is { } problem)
                return ExitCodes.NoTorch(problem);

            var judge = new KitJudge(folder, outputFolder, resourceLimits, withTorch ? new TorchOracle() : null);
            Console.WriteLine($"convcompare judge: {cases.Count} case(s) of the kit {UntrustedText.Escape(folder)}, outputs from {UntrustedText.Escape(outputFolder)}, against the reference (the definition of {(cases.Any(c => c.Family is not null) ? "each case's operation" : "conv2d")}){(withTorch ? $", TorchSharp {TorchRuntime.TorchSharpVersion} noted" : "")}");
            var judgement = judge.Judge(cases);
            if (parse.GetValue(shrinkWith) is { } shrinkCommand)
                judgement = Shrunk(judgement, new KitShrink(shrinkCommand, resourceLimits));
            KitConsoleReport.Write(judgement, Console.Out, Console.Error, ConsoleReport.Plain);
            string? writeProblem = null;
            foreach (var (file, kind, write) in new (FileInfo?, string, Action<Stream, KitJudgement>)[]
                     { (jsonFile, "JSON", KitJsonReport.Write), (junitFile, "JUnit", KitJUnitReport.Write) })
            {
                if (file is null || writeProblem is not null)
                    continue;
                writeProblem = ReportPaths.WriteOrSay($"the {kind} report {file.FullName}", file.FullName, temporary => AtomicFile.Fill(temporary, stream => write(stream, judgement)));
                if (writeProblem is null)
                    Console.WriteLine($"{kind} report: {file.FullName}");
            }
            return ReportPaths.Finish(judgement.ExitCode, writeProblem);
        });
        return command;
    }

    /// <summary>The judgement with the first <see cref="Sweep.MaxShrunk"/> failing cases shrunk, as <c>run</c> shrinks its failures.</summary>
    private static KitJudgement Shrunk(KitJudgement judgement, KitShrink shrink)
    {
        int shrunk = 0;
        return judgement with
        {
            Cases = [.. judgement.Cases.Select(c => c.Failed && shrunk++ < Sweep.MaxShrunk
                ? c with { ShrunkId = shrink.Shrink(c) is { } smaller ? CaseId.Format(smaller) : null }
                : c)],
        };
    }
}

using System.Text.Json.Nodes;
using System.Xml.Linq;
using ConvCompare.Cases;
using ConvCompare.Cli;
using ConvCompare.Reports;
using ConvCompare.Runner;
using ConvCompare.Tests.Cli;
using global::ConvRef;

namespace ConvCompare.Tests.Harness.ErrorInputs;

/// <summary>
/// The error inputs in every report: an implementation planted to accept invalid configurations is blamed,
/// alone, on the console, in the JSON report (read back by <c>merge</c>'s reader) and in JUnit, and the exit
/// code is 1; the shards of an error-input sweep merge to the unsharded run's error inputs.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class ErrorInputReportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("convcompare-errors-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string P(string name) => Path.Combine(_directory, name);

    [Fact]
    public void AnImplementationPlantedToAcceptInvalidCases_IsBlamedAloneInEveryReportFormat()
    {
        var runner = new ErrorInputRunner([new PlantedErrorEngine("serial", Plant.Refuse), new PlantedErrorEngine("lenient", Plant.Accept),
            new PlantedErrorEngine("torch", Plant.Refuse, isOracle: true)]);
        var cases = ErrorInputSweep.Cases(9, 8, 0, Shard.All).ToList();
        var (results, seconds) = ErrorInputSweep.Run(runner, cases);
        var report = new RunReport("run", 9, 0, Shard.All, ErrorInputSweep.TierName, "both", "all", new RunSummary([], false), seconds)
        {
            RequestedErrorCases = cases.Count,
            ErrorInputs = results,
        };

        var (_, stdout, _) = ConsoleCapture.Run(() => { ConsoleReport.WriteSummary(report); return 0; });
        JsonReport.Write(P("r.json"), report);
        JUnitReport.Write(P("r.xml"), report);

        Assert.Equal(1, report.ExitCode);
        var ids = cases.Select(c => c.Id).ToList();
        Assert.Equal(ids.Select(id => $"FAIL {id} [lenient]"), stdout.Split('\n').Where(l => l.StartsWith("FAIL", StringComparison.Ordinal)).Select(l => l.TrimEnd()));
        Assert.Contains("lenient refused 0/8", stdout, StringComparison.Ordinal);
        Assert.Contains("serial refused 8/8", stdout, StringComparison.Ordinal);

        string json = File.ReadAllText(P("r.json"));
        ReportConvention.AssertFollowed(json);
        var failing = JsonNode.Parse(json)!["error_inputs"]!["cases"]!.AsArray().Where(c => !(bool)c!["pass"]!).ToList();
        Assert.Equal(ids, failing.Select(c => (string)c!["id"]!));
        Assert.All(failing, c => Assert.Equal("lenient", (string)c!["impl"]!));
        var read = JsonReportReader.Read(P("r.json"), 1 << 24, out string problem);
        Assert.True(read is not null, problem);
        Assert.Equal(results.Select(r => (r.Id, r.Implementation, r.Pass, r.Verdict)), read.Report.ErrorInputs.Select(r => (r.Id, r.Implementation, r.Pass, r.Verdict)));

        var testcases = XDocument.Load(P("r.xml")).Descendants("testcase").ToList();
        Assert.Equal(3 * cases.Count, testcases.Count);
        Assert.Equal(Enumerable.Repeat("convcompare.errors.lenient", cases.Count),
            testcases.Where(t => t.Element("failure") is not null).Select(t => (string)t.Attribute("classname")!));
        Assert.DoesNotContain(testcases, t => t.Element("error") is not null);
    }

    [Fact]
    public void ATamperedErrorInputVerdict_IsRefusedByTheReader()
    {
        var runner = new ErrorInputRunner([new PlantedErrorEngine("lenient", Plant.Accept)]);
        var (results, seconds) = ErrorInputSweep.Run(runner, ErrorInputSweep.Cases(9, 2, 0, Shard.All));
        JsonReport.Write(P("r.json"), new RunReport("run", 9, 0, Shard.All, ErrorInputSweep.TierName, "both", "all", new RunSummary([], false), seconds)
        {
            RequestedErrorCases = 2,
            ErrorInputs = results,
        });
        var node = JsonNode.Parse(File.ReadAllText(P("r.json")))!;
        node["error_inputs"]!["cases"]![0]!["pass"] = true;
        File.WriteAllText(P("r.json"), node.ToJsonString());

        Assert.Null(JsonReportReader.Read(P("r.json"), 1 << 24, out string problem));
        Assert.Contains("error_inputs.cases[0].pass does not agree with its attempts", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TheShardsOfAnErrorInputSweep_MergeToTheUnshardedRunsErrorInputs()
    {
        string[] sweep = ["run", "--tier", "errors", "--cases", "7", "--seed", "4", "--impl", "serial"];
        var whole = ProgramRun.Invoke([.. sweep, "--json", P("whole.json")]);
        Assert.True(whole.Code is ExitCodes.Passed, whole.Stdout + whole.Stderr);
        var files = new List<string>();
        for (int i = 1; i <= 3; i++)
        {
            var shard = ProgramRun.Invoke([.. sweep, "--shard", $"{i}/3", "--json", P($"shard-{i}.json")]);
            Assert.True(shard.Code is ExitCodes.Passed, shard.Stderr);
            files.Add(P($"shard-{i}.json"));
        }

        var merged = ProgramRun.Invoke(["merge", .. files, "--json", P("merged.json")]);

        Assert.Equal(ExitCodes.Passed, merged.Code);
        static IEnumerable<(string, string, bool)> Entries(string path) =>
            JsonNode.Parse(File.ReadAllText(path))!["error_inputs"]!["cases"]!.AsArray().Select(c => ((string)c!["id"]!, (string)c["impl"]!, (bool)c["pass"]!));
        Assert.Equal(Entries(P("whole.json")), Entries(P("merged.json")));
        Assert.Equal(7, Entries(P("merged.json")).Select(e => e.Item1).Distinct().Count());
    }

    [Theory]
    [InlineData("--op", "conv1d")]
    [InlineData("--order", "2")]
    [InlineData("--family", "5")]
    public void TheErrorTierWithAnOptionThatChoosesValidCases_IsRefusedNamingBoth(string option, string value)
    {
        var (code, _, stderr) = ProgramRun.Invoke("run", "--tier", "errors", option, value);

        Assert.Equal(ExitCodes.BadArguments, code);
        Assert.Contains("--tier errors runs invalid configurations only", stderr, StringComparison.Ordinal);
        Assert.Contains(option, stderr, StringComparison.Ordinal);
    }
}

using System.Text.Json.Nodes;
using System.Xml.Linq;
using ConvCompare.Cases;
using ConvCompare.Cli;
using ConvCompare.Reports;
using ConvCompare.Runner;
using ConvCompare.Tests.Harness;
using global::ConvRef;

namespace ConvCompare.Tests.Cli;

/// <summary>
/// <c>merge</c> joins the reports of the n shards of one sweep into the report and the exit code of the
/// unsharded run, and refuses, with one sentence and exit 2, reports that are not the shards of one sweep
/// or that cannot be read. Wall times are the only fields that differ between two runs of the same
/// sweep, so they are removed before reports are compared; every other field is compared whole.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class MergeCommandTests : IDisposable
{
    private const int Shards = 4;

    private const int Cases = 10;

    private const ulong Seed = 7;

    private readonly string _directory = Directory.CreateTempSubdirectory("convcompare-merge-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>
    /// The sweep runs through the real <c>run</c> command, so its oracle is TorchSharp; in float64, which
    /// does not go through oneDNN, TorchSharp gives the same numbers on every run on one machine (the
    /// float32 fault of docs/platform.md never touches float64).
    /// </summary>
    [Fact]
    public void FourShardsRunAsSeparateInvocations_MergeToTheUnshardedReportCaseByCase()
    {
        string[] sweep = ["run", "--cases", "9", "--seed", "5", "--dtype", "f64", "--impl", "serial", "--tier", "edge"];
        var whole = ProgramRun.Invoke([.. sweep, "--json", P("whole.json"), "--junit", P("whole.xml")]);
        var shardFiles = new List<string>();
        for (int i = 1; i <= Shards; i++)
        {
            var shard = ProgramRun.Invoke([.. sweep, "--shard", $"{i}/{Shards}", "--json", P($"shard-{i}.json")]);
            Assert.True(shard.Code is ExitCodes.Passed or ExitCodes.Failed, shard.Stderr);
            shardFiles.Add(P($"shard-{i}.json"));
        }
        shardFiles.Reverse();

        var merged = ProgramRun.Invoke(["merge", .. shardFiles, "--json", P("merged.json"), "--junit", P("merged.xml")]);

        Assert.True(whole.Code is ExitCodes.Passed or ExitCodes.Failed, whole.Stderr);
        Assert.Equal(whole.Code, merged.Code);
        Assert.Equal("", merged.Stderr);
        AssertSameReport(P("whole.json"), P("merged.json"), MachineIndependent);
        AssertSameJUnit(P("whole.xml"), P("merged.xml"));
    }

    [Fact]
    public void PlantedFailureInOneShard_MergesToTheUnshardedVerdictExitCodeAndBlame()
    {
        var failing = Generator().Sweep(Cases, Shard.All).ElementAt(6).Case;
        RunInProcess(Shard.All, P("whole.json"), failing);
        var files = Enumerable.Range(1, Shards).Select(i => RunInProcess(new Shard(i, Shards), P($"shard-{i}.json"), failing)).ToList();

        var merged = ProgramRun.Invoke(["merge", .. files, "--json", P("merged.json")]);

        Assert.Equal(ExitCodes.Failed, merged.Code);
        AssertSameReport(P("whole.json"), P("merged.json"));
        ReportConvention.AssertFollowed(File.ReadAllText(P("merged.json")));
        var failed = Report(P("merged.json"))["cases"]!.AsArray().Where(c => !c!["pass"]!.GetValue<bool>()).Select(c => (string)c!["id"]!).ToList();
        Assert.Equal([CaseId.Format(failing)], failed);
        Assert.Contains("FAIL " + CaseId.Format(failing) + " [serial]", merged.Stdout, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> Mismatches => new()
    {
        { "seed", "8", "different seeds (7 and 8)" },
        { "requested_cases", "11", "different case counts (requested_cases) (10 and 11)" },
        { "tier", "\"edge\"", "different tiers (mixed and edge)" },
        { "dtype", "\"f32\"", "different dtypes (both and f32)" },
        { "impl", "\"both\"", "different impls (serial and both)" },
        { "version", "\"0.0.1\"", "different program versions" },
        { "strict_oracle", "true", "different strict_oracle settings (false and true)" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void ShardOfAnotherSweep_IsRefusedNamingTheField(string field, string value, string expected)
    {
        var files = ShardFiles();
        var other = Raw(files[2]);
        other[field] = JsonNode.Parse(value);
        File.WriteAllText(files[2], other.ToJsonString());

        AssertRefused(["merge", .. files, "--json", P("merged.json")], expected);
    }

    [Fact]
    public void ShardGivenTwice_IsRefusedAsOverlapping()
    {
        var files = ShardFiles();
        File.Copy(files[1], P("again.json"));

        AssertRefused(["merge", .. files, P("again.json"), "--json", P("merged.json")], "shard 2/4 is given twice");
    }

    [Fact]
    public void MissingShard_IsRefusedNamingIt()
    {
        var files = ShardFiles();

        AssertRefused(["merge", files[0], files[1], files[3], "--json", P("merged.json")], "shard(s) 3/4 of 4 are missing");
    }

    [Fact]
    public void ShardStoppedEarly_IsRefusedAsMissingCases()
    {
        var files = ShardFiles();
        var report = Raw(files[0]);
        var cases = report["cases"]!.AsArray();
        string last = (string)cases[^1]!["id"]!;
        foreach (var entry in cases.Where(c => (string)c!["id"]! == last).ToList())
            cases.Remove(entry);
        var summary = report["summary"]!;
        summary["total"] = cases.Count;
        summary["passed"] = cases.Count;
        summary["cases"] = cases.Select(c => (string)c!["id"]!).Distinct().Count();
        File.WriteAllText(files[0], report.ToJsonString());

        AssertRefused(["merge", .. files, "--json", P("merged.json")], "(shard 1/4) holds 2 case(s), but its slice of 10 cases has 3");
    }

    public static TheoryData<string, string> Corruptions => new()
    {
        { "{\"schema_version\": 2}", "schema_version is 2, and this program reads version 1 only" },
        { "{\"schema_version\": 1, \"tool\": \"convcompare\"", "not JSON" },
        { "[1, 2]", "the top level is not an object" },
        { "{\"schema_version\": 1, \"tool\": \"convcompare\", \"command\": \"check\"}", "command is check, and only the reports of run are merged" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void UnreadableReport_IsOneSentenceNamingTheFile(string text, string expected)
    {
        var files = ShardFiles();
        File.WriteAllText(files[3], text);

        AssertRefused(["merge", .. files, "--json", P("merged.json")], files[3] + ": " + expected);
    }

    [Fact]
    public void ReportWhoseVerdictDisagreesWithItsNumbers_IsRefused()
    {
        var files = ShardFiles();
        var report = Raw(files[1]);
        report["cases"]![0]!["tensors"]!["y"]!["bound_ratio"] = 2.0;
        File.WriteAllText(files[1], report.ToJsonString());

        AssertRefused(["merge", .. files, "--json", P("merged.json")], "cases[0].tensors.y.pass does not agree with its bound_ratio");
    }

    [Fact]
    public void ReportWithAnUnknownTensor_IsRefusedNamingIt()
    {
        var files = ShardFiles();
        var report = Raw(files[1]);
        var tensors = report["cases"]![0]!["tensors"]!.AsObject();
        var y = tensors["y"]!.DeepClone();
        tensors.Remove("y");
        tensors["y\u001b[31m"] = y;
        File.WriteAllText(files[1], report.ToJsonString());

        AssertRefused(["merge", .. files, "--json", P("merged.json")], "cases[0].tensors names y\\u001B[31m, not y, dx, dw, db, d2x, d2w, d2dy or d2z");
    }

    [Fact]
    public void ReportWhoseSummaryDisagreesWithItsCases_IsRefused()
    {
        var files = ShardFiles();
        var report = Raw(files[1]);
        report["summary"]!["failed"] = 1;
        File.WriteAllText(files[1], report.ToJsonString());

        AssertRefused(["merge", .. files, "--json", P("merged.json")], "summary.failed is 1, but its cases give 0");
    }

    [Fact]
    public void ReportLargerThanTheMemoryLimitAllows_IsRefusedNamingTheOption()
    {
        var files = ShardFiles();

        AssertRefused(["merge", .. files, "--json", P("merged.json"), "--max-memory", "3K"], "bytes a file may have under the memory limit (raise it with --max-memory)", sentences: Shards);
    }

    [Fact]
    public void DirectoryGivenAsAReport_IsRefused()
    {
        var files = ShardFiles();

        AssertRefused(["merge", .. files, _directory, "--json", P("merged.json")], _directory + ": the file is a directory");
    }

    [Fact]
    public void OutputThatIsAnInput_IsRefusedBeforeAnythingIsRead()
    {
        var files = ShardFiles();
        string before = File.ReadAllText(files[0]);

        AssertRefused(["merge", .. files, "--json", files[0]], $"--json {files[0]} would overwrite the input {files[0]}");
        Assert.Equal(before, File.ReadAllText(files[0]));
    }

    private void AssertRefused(string[] args, string expected, int sentences = 1)
    {
        var (code, _, stderr) = ProgramRun.Invoke(args);
        Assert.Equal(ExitCodes.BadArguments, code);
        Assert.True(stderr.Contains(expected, StringComparison.Ordinal), stderr);
        Assert.Equal(sentences, stderr.TrimEnd().Split('\n').Length);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(P("merged.json")));
    }

    private List<string> ShardFiles() =>
        [.. Enumerable.Range(1, Shards).Select(i => RunInProcess(new Shard(i, Shards), P($"shard-{i}.json"), failing: null))];

    /// <summary>
    /// One shard of a small sweep checked against <see cref="ReferenceOracle"/> (never TorchSharp), with
    /// a wrong y in ConvRef's serial result on <paramref name="failing"/>, written as <c>run --json</c> writes it.
    /// </summary>
    private static string RunInProcess(Shard shard, string path, CaseConfig? failing)
    {
        ILayerEngine serial = new ConvRefEngine(Conv2dAlgorithm.Serial);
        if (failing is not null)
            serial = new PlantedEngine(serial, TensorKind.Y, 0, 0.1, (config, _) => config == failing);
        var runner = new CaseRunner([serial], new ReferenceOracle());
        var outcome = new Sweep(Generator(), runner).Run(new SweepOptions(Cases, shard, FailFast: false, StrictOracle: false, Shrink: false));
        JsonReport.Write(path, new RunReport("run", Seed, Cases, shard, "mixed", "both", "serial", new RunSummary(outcome.Results, strictOracle: false), outcome.Seconds));
        return path;
    }

    private static CaseGenerator Generator() => new(Seed, new CaseGeneratorOptions { MaxMultiplyAdds = 4_000 });

    /// <summary>
    /// Removes what TorchSharp's numbers decide beyond the verdict: a ConvRef tensor's distances from
    /// TorchSharp (JsonReport.FieldStability: tensors.* are machine-dependent, and even float64 libtorch
    /// can differ in the last bit between two runs on one machine), keeping whom it was judged against and the verdict.
    /// </summary>
    private static void MachineIndependent(JsonObject report)
    {
        foreach (var entry in report["cases"]!.AsArray())
            foreach (var (_, tensor) in entry!["tensors"]!.AsObject())
                foreach (string name in new[] { "max_abs", "max_rel", "bound_ratio", "assert_close", "agreement_bound_ratio", "out_of_bound", "evidence" })
                    tensor!.AsObject().Remove(name);
    }

    private static void AssertSameReport(string expectedPath, string actualPath, Action<JsonObject>? keep = null)
    {
        var expected = Report(expectedPath);
        var actual = Report(actualPath);
        keep?.Invoke(expected);
        keep?.Invoke(actual);
        Assert.Equal(expected["cases"]!.AsArray().Count, actual["cases"]!.AsArray().Count);
        Assert.True(expected["cases"]!.AsArray().Count > 0);
        for (int i = 0; i < expected["cases"]!.AsArray().Count; i++)
            Assert.True(JsonNode.DeepEquals(expected["cases"]![i], actual["cases"]![i]),
                $"case {i}: expected {expected["cases"]![i]!.ToJsonString()}, merged {actual["cases"]![i]!.ToJsonString()}");
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected.ToJsonString()}\nmerged {actual.ToJsonString()}");
    }

    private static JsonObject Raw(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    /// <summary>The report without its wall times, the only fields that differ between two runs of one sweep.</summary>
    private static JsonObject Report(string path)
    {
        var report = Raw(path);
        report["summary"]!.AsObject().Remove("seconds");
        foreach (var entry in report["cases"]!.AsArray())
            entry!.AsObject().Remove("seconds");
        return report;
    }

    private static void AssertSameJUnit(string expectedPath, string actualPath)
    {
        static IEnumerable<string> Cases(string path) => XDocument.Load(path).Descendants("testcase").Select(t =>
            $"{t.Attribute("classname")!.Value} {t.Attribute("name")!.Value} {string.Join(",", t.Elements().Select(e => e.Name.LocalName + ":" + e.Value))}");
        var expected = Cases(expectedPath).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Cases(actualPath));
        var suite = (XDocument doc) => string.Join(" ", doc.Descendants("testsuite").Single().Attributes().Where(a => a.Name != "time"));
        Assert.Equal(suite(XDocument.Load(expectedPath)), suite(XDocument.Load(actualPath)));
    }

    private string P(string name) => Path.Combine(_directory, name);
}

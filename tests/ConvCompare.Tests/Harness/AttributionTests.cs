using System.Text.Json;
using System.Xml.Linq;
using ConvCompare.Cases;
using ConvCompare.Cli;
using ConvCompare.Golden.Verification;
using ConvCompare.Reports;
using ConvCompare.Runner;
using global::ConvRef;
using static ConvCompare.Tests.Golden.GoldenTestFiles;

namespace ConvCompare.Tests.Harness;

/// <summary>
/// A bug planted in exactly one implementation (serial, vectorized, or the oracle; a wrong value or an
/// exception) is blamed on that implementation and on no other, by every command and in every report.
/// The oracle is <see cref="ReferenceOracle"/>, right by construction, so nothing here depends on
/// TorchSharp's float32 convolution being right on the CPU that runs it.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class AttributionTests : IDisposable
{
    private const int Cases = 4;

    /// <summary>
    /// A wrong value of 10% of max|y| in y[0]: far beyond any rounding bound of the small cases used
    /// here (2 gamma_K times the magnitude, K at most a few hundred), so the blame, not the
    /// sensitivity, is what these tests measure. y is not an input of the numeric gradient check, so
    /// only the tensor y fails.
    /// </summary>
    private const double WrongValue = 0.1;

    private const string CheckId = "n2c3h7w7-o4k3x3-s1x1-p1,1,1,1-d1x1-g1-f32-v11";

    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("convcompare-attribution-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_directory, recursive: true);

    public static TheoryData<string, bool> Plantings => new()
    {
        { "serial", false }, { "vectorized", false }, { "torch", false },
        { "serial", true }, { "vectorized", true }, { "torch", true },
    };

    [Theory]
    [MemberData(nameof(Plantings))]
    public void PlantedBug_InASweep_IsBlamedOnThatImplementationAlone_InTheResultsSummaryConsoleJsonAndJUnit(string planted, bool throws)
    {
        var generator = new CaseGenerator(7, new CaseGeneratorOptions { MaxMultiplyAdds = 4_000 });
        var outcome = new Sweep(generator, Runner(planted, throws)).Run(new SweepOptions(Cases, Shard.All, FailFast: false, StrictOracle: false, Shrink: false));

        Assert.Equal(Cases * 3, outcome.Results.Count);
        AssertBlamed(outcome.Results, planted, throws);

        var summary = new RunSummary(outcome.Results, strictOracle: false);
        Assert.Equal(planted == "torch" ? ExitCodes.Passed : ExitCodes.Failed, summary.ExitCode);
        Assert.Equal(ExitCodes.Failed, new RunSummary(outcome.Results, strictOracle: true).ExitCode);
        Assert.Equal(planted == "torch" ? 0 : Cases, summary.ConvRefFailures);
        Assert.Equal(planted == "torch" ? Cases : 0, summary.OracleFaults);
        Assert.Equal(["serial", "vectorized", "torch"], summary.Implementations.Select(i => i.Implementation));
        foreach (var count in summary.Implementations)
        {
            Assert.Equal(Cases, count.Compared);
            Assert.Equal(count.Implementation == planted ? Cases : 0, count.Failed);
            Assert.Equal(count.Implementation == planted && throws ? Cases : 0, count.Crashed);
        }
        // Per tensor: a crash counts in every row, a wrong y only in y's.
        foreach (var row in summary.Rows)
        {
            foreach (var count in row.Counts)
            {
                bool blamed = count.Implementation == planted && (throws || row.Name == "y");
                Assert.True(count.Compared > 0 || row.Name == "db", $"{row.Name} {count.Implementation}");
                Assert.Equal(blamed ? count.Compared : 0, count.Failed);
                Assert.Equal(count.Implementation == planted && throws ? count.Compared : 0, count.Crashed);
            }
        }

        var report = new RunReport("run", generator.Seed, Cases, Shard.All, "mixed", "both", "both", summary, outcome.Seconds);
        var (_, console, _) = ConsoleCapture.Run(() =>
        {
            ConsoleReport.WriteSummary(report);
            return 0;
        });
        AssertConsoleBlames(console, planted, throws, Cases);
        foreach (var name in new[] { "serial", "vectorized" })
            Assert.Contains($"{name} {(name == planted ? Cases : 0)} failed, {(name == planted && throws ? Cases : 0)} crashed", console, StringComparison.Ordinal);
        Assert.Contains($"torch (oracle) {(planted == "torch" ? Cases : 0)} fault(s), {(planted == "torch" && throws ? Cases : 0)} crashed", console, StringComparison.Ordinal);

        AssertJsonBlames(report, planted, throws);
        AssertJUnitBlames(report, planted, throws);
        AssertJUnitBlames(report with { Summary = new RunSummary(outcome.Results, strictOracle: true) }, planted, throws);
    }

    [Theory]
    [MemberData(nameof(Plantings))]
    public void PlantedBug_InCheck_IsBlamedOnThatImplementationAlone(string planted, bool throws)
    {
        Assert.True(CaseId.TryParse(CheckId, out var config, out string error), error);
        string json = Path.Combine(_directory, "check.json");

        var (exit, stdout, stderr) = ConsoleCapture.Run(() => CheckCommand.Check(config, Runner(planted, throws), "both", strictOracle: false, new FileInfo(json)));

        Assert.Equal("", stderr);
        Assert.Equal(planted == "torch" ? ExitCodes.Passed : ExitCodes.Failed, exit);
        foreach (var name in new[] { "serial", "vectorized" })
            Assert.Contains($"ConvRef {name}: {(name == planted ? "FAIL" : "pass")};", stdout, StringComparison.Ordinal);
        Assert.Contains($"TorchSharp: {(planted == "torch" ? "ORACLE FAULT" : "pass")};", stdout, StringComparison.Ordinal);
        AssertConsoleBlames(stdout, planted, throws, 1);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        AssertJsonResultsBlame(document.RootElement, planted, throws);
    }

    [Theory]
    [MemberData(nameof(Plantings))]
    public void PlantedBug_InGolden_IsBlamedOnThatImplementationAlone_OnTheConsoleJsonAndJUnit(string planted, bool throws)
    {
        var runner = Runner(planted, throws);
        var engines = new GoldenEngines(runner.Implementations, runner.Oracle);
        string file = Sample("pad_asymmetric");
        string json = Path.Combine(_directory, "golden.json");
        string junit = Path.Combine(_directory, "golden.xml");
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exit = GoldenCommand.Run(new GoldenCommand.GoldenRequest(file, Torch: true, JsonPath: json, JUnitPath: junit), output, error, plain: true, engines);

        Assert.Equal(planted == "torch" ? ExitCodes.Passed : ExitCodes.Failed, exit);
        var lines = output.ToString().Split('\n');
        var blamed = lines.Where(l => l.Contains($" {file}: ", StringComparison.Ordinal)).ToList();
        string label = planted == "torch" ? "ORACLE FAULT" : "FAIL";
        string prefix = $"{label} {file}: {planted} ";
        Assert.StartsWith(prefix + (throws ? $"threw InvalidOperationException: planted {planted} bug;" : "disagrees beyond the rounding-error bound in y ("),
            Assert.Single(blamed), StringComparison.Ordinal);
        foreach (var name in new[] { "serial", "vectorized", "torch" })
            Assert.Equal(name == planted ? 1 : 0, lines.Count(l => l.Contains($"  {name} ", StringComparison.Ordinal) && !l.StartsWith("PASS ", StringComparison.Ordinal)));
        Assert.Equal("", error.ToString());
        Assert.DoesNotContain("FILE", output.ToString(), StringComparison.Ordinal);
        ReportConvention.AssertFollowed(File.ReadAllText(json));
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var entry = document.RootElement.GetProperty("files")[0];
        Assert.False(entry.GetProperty("file_fault").GetBoolean());
        Assert.Equal(planted != "torch", !entry.GetProperty("pass").GetBoolean());
        Assert.Equal(planted == "torch" ? "fault" : "agree", entry.GetProperty("oracle").GetString());
        foreach (var result in entry.GetProperty("results").EnumerateObject())
        {
            Assert.Equal(result.Name != planted, result.Value.GetProperty("pass").GetBoolean());
            Assert.Equal(result.Name == planted && throws, result.Value.GetProperty("error").ValueKind == JsonValueKind.String);
        }
        foreach (var testcase in XDocument.Load(junit).Root!.Element("testsuite")!.Elements("testcase"))
        {
            bool isPlanted = testcase.Attribute("classname")!.Value == "convcompare.golden." + planted;
            Assert.Equal(isPlanted && planted != "torch" && !throws, testcase.Element("failure") is not null);
            Assert.Equal(isPlanted && planted != "torch" && throws, testcase.Element("error") is not null);
            Assert.Equal(isPlanted && planted == "torch", testcase.Element("system-out") is not null);
        }
        Assert.Equal(ExitCodes.Failed, GoldenCommand.ExitCode([GoldenVerifier.Verify(file, engines)], strictOracle: true));
    }

    /// <summary>serial and vectorized against the reference oracle, with the bug planted in <paramref name="planted"/>.</summary>
    private static CaseRunner Runner(string planted, bool throws)
    {
        ILayerEngine Plant(ILayerEngine engine) => engine.Name != planted ? engine
            : throws ? PlantedEngine.Throwing(engine, $"planted {planted} bug")
            : new PlantedEngine(engine, TensorKind.Y, 0, WrongValue);
        return new CaseRunner([Plant(new ConvRefEngine(Conv2dAlgorithm.Serial)), Plant(new ConvRefEngine(Conv2dAlgorithm.Vectorized))],
            Plant(new ReferenceOracle()));
    }

    private static void AssertBlamed(IReadOnlyList<CaseResult> results, string planted, bool throws)
    {
        Assert.All(results, r =>
        {
            Assert.Equal(r.Implementation != planted, r.Pass);
            Assert.Equal(r.Implementation == "torch", r.IsOracle);
            Assert.Equal(r.Implementation == planted && throws ? $"InvalidOperationException: planted {planted} bug" : null, r.Error);
            if (r.Implementation == planted && !throws)
                Assert.Equal(["y"], r.Tensors.Where(t => !t.Pass).Select(t => t.Kind.Name()));
        });
    }

    /// <summary>Every failure block names the planted implementation; there is one per result of it.</summary>
    private static void AssertConsoleBlames(string console, string planted, bool throws, int expected)
    {
        var headlines = console.Split('\n').Where(l => l.StartsWith("FAIL ", StringComparison.Ordinal) || l.StartsWith("ORACLE FAULT ", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected, headlines.Count);
        Assert.All(headlines, l =>
        {
            Assert.Contains($" [{planted}]: ", l, StringComparison.Ordinal);
            Assert.StartsWith(planted == "torch" ? "ORACLE FAULT " : "FAIL ", l, StringComparison.Ordinal);
            Assert.Equal(throws, l.Contains("threw", StringComparison.Ordinal));
        });
        if (throws)
            Assert.Contains($"threw InvalidOperationException: planted {planted} bug", console, StringComparison.Ordinal);
    }

    private void AssertJsonBlames(RunReport report, string planted, bool throws)
    {
        string path = Path.Combine(_directory, "run.json");
        JsonReport.Write(path, report);
        ReportConvention.AssertFollowed(File.ReadAllText(path));
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        AssertJsonResultsBlame(document.RootElement, planted, throws);
        var implementations = document.RootElement.GetProperty("summary").GetProperty("implementations");
        foreach (var implementation in implementations.EnumerateObject())
        {
            Assert.Equal(implementation.Name == planted ? Cases : 0, implementation.Value.GetProperty("failed").GetInt32());
            Assert.Equal(implementation.Name == planted && throws ? Cases : 0, implementation.Value.GetProperty("crashed").GetInt32());
        }
    }

    private static void AssertJsonResultsBlame(JsonElement root, string planted, bool throws)
    {
        var results = root.GetProperty("cases").EnumerateArray().ToList();
        Assert.Contains(results, r => r.GetProperty("impl").GetString() == planted);
        Assert.All(results, r =>
        {
            string name = r.GetProperty("impl").GetString()!;
            Assert.Equal(name != planted, r.GetProperty("pass").GetBoolean());
            Assert.Equal(name == planted && throws, r.GetProperty("crashed").GetBoolean());
            Assert.Equal(name == "torch" ? "oracle" : "convref", r.GetProperty("role").GetString());
            foreach (var tensor in r.GetProperty("tensors").EnumerateObject())
                Assert.Equal(name != planted || tensor.Name != "y", tensor.Value.GetProperty("pass").GetBoolean());
        });
    }

    /// <summary>Only the planted implementation's testcases carry a failure (a wrong value) or an error (an exception); the oracle's only under --strict-oracle, else a note.</summary>
    private void AssertJUnitBlames(RunReport report, string planted, bool throws)
    {
        string path = Path.Combine(_directory, "run.xml");
        JUnitReport.Write(path, report);
        var suite = XDocument.Load(path).Root!.Element("testsuite")!;
        bool marked = planted != "torch" || report.Summary.StrictOracle;
        foreach (var testcase in suite.Elements("testcase"))
        {
            bool isPlanted = testcase.Attribute("classname")!.Value == "convcompare." + planted;
            Assert.Equal(isPlanted && marked && !throws, testcase.Element("failure") is not null);
            Assert.Equal(isPlanted && marked && throws, testcase.Element("error") is not null);
            Assert.Equal(isPlanted && !marked, testcase.Element("system-out") is not null);
        }
        Assert.Equal(marked && !throws ? Cases : 0, int.Parse(suite.Attribute("failures")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(marked && throws ? Cases : 0, int.Parse(suite.Attribute("errors")!.Value, System.Globalization.CultureInfo.InvariantCulture));
    }
}

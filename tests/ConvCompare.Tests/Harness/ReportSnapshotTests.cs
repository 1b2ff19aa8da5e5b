using System.Text.Json.Nodes;
using System.Xml.Linq;
using ConvCompare.Cases;
using ConvCompare.Reports;
using ConvCompare.Runner;
using ConvCompare.Snapshots;
using global::ConvRef;

namespace ConvCompare.Tests.Harness;

/// <summary>
/// The JSON and JUnit reports of a small fixed run, pinned whole as committed files under
/// TestData/reports: any change to a field's name, value or place fails with the path (JSON) or line
/// (JUnit) that moved. A missing pinned file fails too; the current version is written beside it as
/// <c>*.received.*</c> (ignored by git) to be reviewed and renamed over the pinned one.
/// </summary>
/// <remarks>
/// <para><b>Same on every machine.</b> The run checks ConvRef's serial algorithm (a fixed-order
/// scalar loop) against <see cref="ReferenceOracle"/> (the compensated reference rounded to the dtype,
/// correct by construction), never TorchSharp, whose float32 results depend on the CPU, and never the
/// vectorized algorithm, whose sums follow the machine's vector width. Bounds and the numeric check come
/// from the harness's fixed-order definition sums. So every number is exact on every machine and is
/// pinned exactly, with no rounding to a precision; no case uses sigmoid or tanh, whose inputs and
/// derivatives go through the C runtime's exp and tanh. What does vary is replaced by a fixed
/// placeholder: wall times, the tool's version and the TorchSharp and libtorch versions.</para>
/// <para><b>Cases.</b> Written out here rather than drawn from a seed, so that a change to the
/// generator's draws does not move this snapshot: it pins the reports, not the generator (which
/// snapshots/generator pins). Two pass, one has a planted oracle error (an oracle fault, arbitrated by
/// the reference), one a planted ConvRef error (a ConvRef failure with its evidence and repro line),
/// one an oracle that throws.</para>
/// </remarks>
public class ReportSnapshotTests
{
    private const string Placeholder = "(varies by machine)";

    // n1 c2 h5 w4, o3 k3x3, stride 1, padding 1 all round, float32, bias, ReLU below.
    private static readonly CaseConfig Plain = new(
        Shape: new(N: 1, Cin: 2, H: 5, W: 4, Cout: 3, KH: 3, KW: 3),
        Geometry: new() { PadTop = 1, PadBottom = 1, PadLeft = 1, PadRight = 1 },
        Bias: true, Dtype: CaseDtype.F32, Activation: ActivationKind.ReLU, Clip: null, ValueSeed: 101);

    private static readonly CaseConfig[] Cases =
    [
        Plain,
        // Two groups, stride 2 with asymmetric padding, dilation 2 across, leaky ReLU, clipped dJ/dw, float64.
        Plain with
        {
            Shape = new(N: 2, Cin: 4, H: 6, W: 7, Cout: 2, KH: 2, KW: 2),
            Geometry = new() { StrideH = 2, StrideW = 2, PadTop = 0, PadBottom = 1, PadLeft = 2, PadRight = 0, DilationW = 2, Groups = 2 },
            Bias = false, Dtype = CaseDtype.F64, Activation = ActivationKind.LeakyReLU, Clip = 0.5, ValueSeed = 102,
        },
        Plain with { ValueSeed = 103, Activation = ActivationKind.Identity },
        Plain with
        {
            ValueSeed = 104, Dtype = CaseDtype.F64,
            Shape = Plain.Shape with { KH = 1, KW = 2 }, Geometry = Plain.Geometry with { PadLeft = 0 },
        },
        Plain with { ValueSeed = 105, Bias = false },
    ];

    [Fact]
    public void JsonReportOfAFixedRun_MatchesThePinnedReport()
    {
        string path = Path.Combine(Path.GetTempPath(), $"convcompare-{Guid.NewGuid():N}.json");
        try
        {
            JsonReport.Write(path, Report());
            var now = new SnapshotDocument();
            var report = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            Scrub(report);
            foreach (var (name, value) in report.ToList())
            {
                report.Remove(name);
                now.Root[name] = value;
            }
            var store = new SnapshotStore(PinnedFolder);
            var check = store.Verify("run-report", now);
            Assert.True(check.Passed, Explain(check, store.StoredPath("run-report")));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void JUnitReportOfAFixedRun_MatchesThePinnedReport()
    {
        string path = Path.Combine(Path.GetTempPath(), $"convcompare-{Guid.NewGuid():N}.xml");
        try
        {
            JUnitReport.Write(path, Report());
            var xml = XDocument.Load(path);
            foreach (var time in xml.Descendants().Attributes("time"))
                time.Value = Placeholder;
            string now = xml.Declaration + "\n" + xml.Root + "\n";
            string stored = Path.Combine(PinnedFolder, "run-report.junit.xml");
            string received = Path.Combine(PinnedFolder, "run-report.junit.received.xml");
            if (!File.Exists(stored))
            {
                File.WriteAllText(received, now);
                Assert.Fail($"{stored} is missing; the current version is in {received}: review it, rename it to {Path.GetFileName(stored)} and commit it.");
            }
            string? difference = FirstDifferentLine(File.ReadAllText(stored).ReplaceLineEndings("\n"), now);
            if (difference is null)
            {
                File.Delete(received);
                return;
            }
            File.WriteAllText(received, now);
            Assert.Fail($"{stored} differs from the report now: {difference}. The current version is in {received}; if the change is intended, rename it over the pinned file and commit.");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The report of the fixed run: serial ConvRef against the reference oracle, with the planted faults of the remarks.</summary>
    private static RunReport Report()
    {
        var serial = new PlantedEngine(new ConvRefEngine(Conv2dAlgorithm.Serial), TensorKind.Dx, 1, 1e-3, (c, _) => c.ValueSeed == 104);
        var oracle = PlantedEngine.Throwing(
            new PlantedEngine(new ReferenceOracle(), TensorKind.Dw, 0, 1e-3, (c, _) => c.ValueSeed == 103),
            "planted oracle exception", (c, _) => c.ValueSeed == 105);
        var runner = new CaseRunner([serial], oracle);
        var results = Cases.SelectMany(runner.Run).ToList();
        return new RunReport("run", 11, Cases.Length, Shard.All, "mixed", "both", "serial", new RunSummary(results, strictOracle: false), Seconds: 1.5);
    }

    private static string PinnedFolder =>
        Path.Combine(Path.GetDirectoryName(SnapshotFolder.Locate(AppContext.BaseDirectory))!, "tests", "ConvCompare.Tests", "TestData", "reports");

    /// <summary>Replaces every value that differs between machines or builds, wherever it sits, by <see cref="Placeholder"/>.</summary>
    private static void Scrub(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o.ToList())
                {
                    if (name is "seconds" or "version" or "torchsharp" or "libtorch")
                        o[name] = Placeholder;
                    else
                        Scrub(value);
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                    Scrub(item);
                break;
        }
    }

    private static string Explain(SnapshotCheck check, string stored) => check.Outcome switch
    {
        SnapshotOutcome.Matched => "",
        SnapshotOutcome.Missing => $"{stored} is missing; the current version is in {check.ReceivedPath}: review it, rename it to {Path.GetFileName(stored)} and commit it.",
        SnapshotOutcome.Unreadable => $"{check.Problem}; the current version is in {check.ReceivedPath}.",
        _ => $"{stored}: {check.Differences.Count} difference(s):\n  " + string.Join("\n  ", check.Differences.Take(SnapshotCheck.ReportedDifferences)) +
             $"\nThe current version is in {check.ReceivedPath}; if the change is intended, rename it over the pinned file and commit.",
    };

    private static string? FirstDifferentLine(string stored, string now)
    {
        string[] a = stored.Split('\n'), b = now.Split('\n');
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            string left = i < a.Length ? a[i] : "(end of file)", right = i < b.Length ? b[i] : "(end of file)";
            if (left != right)
                return $"line {i + 1}: pinned \"{left.Trim()}\", now \"{right.Trim()}\"";
        }
        return null;
    }
}

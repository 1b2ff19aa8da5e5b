using System.Text.Json;
using System.Xml.Linq;
using ConvCompare.Cases;
using ConvCompare.Cli;
using ConvCompare.Reports;
using ConvCompare.Runner;
using global::ConvRef;

namespace ConvCompare.Tests.Harness.SecondOrder;

/// <summary>
/// An error planted in one second-order tensor of one implementation (serial, vectorized, or the oracle's double
/// backward) is caught and blamed on that implementation alone, in the results, the summary, the console, JSON and
/// JUnit. The oracle is <see cref="ReferenceOracle"/> (the definition-level double backward rounded to the dtype), so
/// nothing depends on TorchSharp's float32 convolution.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class SecondOrderAttributionTests : IDisposable
{
    /// <summary>
    /// One element off by 1e-6 of max|tensor|: beyond the float64 bound 2 gamma_K M (K at most a few hundred
    /// here, so about 1e-13 of the magnitude) by orders of magnitude. Float64 cases only: in float32 the bound
    /// itself is near 1e-6.
    /// </summary>
    private const double Planted = 1e-6;

    private static readonly string[] Ids =
    [
        "n2c3h6w5-o4k3x2-s1x1-p0,0,0,0-d1x1-g1-f64-order2-v2",
        "n3c4h9w7-o6k3x2-s2x1-p1,0,2,1-d1x2-g2-f64-tanh-order2-v35",
        "n1c2h5w6-o3k3x2-s1x1-p2,0,1,3-d1x1-g1-f64-nb-relu-order2-v8",
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("convcompare-second-order-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string, string> Plantings()
    {
        var data = new TheoryData<string, string>();
        foreach (string implementation in new[] { "serial", "vectorized", "torch" })
            foreach (var kind in TensorKinds.SecondOrder)
                data.Add(implementation, kind.Name());
        return data;
    }

    [Theory]
    [MemberData(nameof(Plantings))]
    public void PlantedErrorInOneSecondOrderTensor_IsCaughtAndBlamedOnThatImplementationAlone(string planted, string tensor)
    {
        var kind = TensorKinds.SecondOrder.Single(k => k.Name() == tensor);
        var runner = Runner(planted, kind);
        var configs = Ids.Select(Parse).ToList();

        var results = configs.SelectMany(runner.Run).ToList();

        Assert.Equal(configs.Count * 3, results.Count);
        Assert.All(results, r =>
        {
            Assert.Equal(r.Implementation != planted, r.Pass);
            Assert.Null(r.Error);
            var failing = r.Tensors.Where(t => !t.Pass).Select(t => t.Kind.Name()).ToList();
            Assert.Equal(r.Implementation == planted ? [tensor] : [], failing);
            // The planted float64 double backward also fails the numeric second-order check; no other check moves.
            Assert.Equal(r.Implementation != planted, r.GradGradCheck!.Pass);
            Assert.True(r.GradCheck!.Pass);
        });

        var summary = new RunSummary(results, strictOracle: false);
        Assert.Equal(planted == "torch" ? 0 : configs.Count, summary.ConvRefFailures);
        Assert.Equal(planted == "torch" ? configs.Count : 0, summary.OracleFaults);
        foreach (var row in summary.Rows)
            foreach (var count in row.Counts)
                Assert.Equal(count.Implementation == planted && (row.Name == tensor || row.Name == "gradgradcheck") ? configs.Count : 0, count.Failed);
        Assert.Contains(summary.Rows, row => row.Name == tensor);

        var report = new RunReport("run", 7, configs.Count, Shard.All, "mixed", "f64", "both", summary, 1);
        var (_, console, _) = ConsoleCapture.Run(() =>
        {
            ConsoleReport.WriteSummary(report);
            return 0;
        });
        var headlines = console.Split('\n').Where(l => l.StartsWith("FAIL ", StringComparison.Ordinal) || l.StartsWith("ORACLE FAULT ", StringComparison.Ordinal)).ToList();
        Assert.Equal(configs.Count, headlines.Count);
        Assert.All(headlines, l => Assert.Contains($" [{planted}]: ", l, StringComparison.Ordinal));
        Assert.Contains($"{tensor}: bound ratio", console, StringComparison.Ordinal);
        Assert.Contains("gradgradcheck: ", console, StringComparison.Ordinal);

        string json = Path.Combine(_directory, "run.json");
        JsonReport.Write(json, report);
        ReportConvention.AssertFollowed(File.ReadAllText(json));
        using (var document = JsonDocument.Parse(File.ReadAllText(json)))
            foreach (var r in document.RootElement.GetProperty("cases").EnumerateArray())
            {
                string name = r.GetProperty("impl").GetString()!;
                Assert.Equal(name != planted, r.GetProperty("pass").GetBoolean());
                Assert.Equal(name != planted, r.GetProperty("gradgradcheck").GetProperty("pass").GetBoolean());
                foreach (var t in r.GetProperty("tensors").EnumerateObject())
                    Assert.Equal(name != planted || t.Name != tensor, t.Value.GetProperty("pass").GetBoolean());
                Assert.True(r.GetProperty("tensors").TryGetProperty(tensor, out _));
            }
        var read = JsonReportReader.Read(json, 1L << 30, out string problem);
        Assert.True(read is not null, problem);
        Assert.Equal(results.Select(r => (r.Id, r.Pass, r.GradGradCheck!.Pass)), read.Report.Summary.Results.Select(r => (r.Id, r.Pass, r.GradGradCheck!.Pass)));

        string junit = Path.Combine(_directory, "run.xml");
        JUnitReport.Write(junit, report with { Summary = new RunSummary(results, strictOracle: true) });
        foreach (var testcase in XDocument.Load(junit).Root!.Element("testsuite")!.Elements("testcase"))
            Assert.Equal(testcase.Attribute("classname")!.Value == "convcompare." + planted, testcase.Element("failure") is not null);
    }

    [Fact]
    public void CheckOfASecondOrderId_PrintsEverySecondOrderVerdictAndTheNumericCheck()
    {
        var config = Parse(Ids[1]);

        var (exit, stdout, stderr) = ConsoleCapture.Run(() => CheckCommand.Check(config, Runner("none", TensorKind.D2x), "both", strictOracle: true, null));

        Assert.Equal("", stderr);
        Assert.Equal(ExitCodes.Passed, exit);
        foreach (string name in new[] { "serial", "vectorized" })
            Assert.Contains($"ConvRef {name}: pass;", stdout, StringComparison.Ordinal);
        foreach (var kind in TensorKinds.SecondOrder)
            Assert.Equal(3, stdout.Split('\n').Count(l => l.StartsWith($"  {kind.Name()} vs ", StringComparison.Ordinal)));
        Assert.Equal(3, stdout.Split('\n').Count(l => l.StartsWith("  gradgradcheck (8 directions) of ", StringComparison.Ordinal) && l.EndsWith("-> pass", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("serial")]
    [InlineData("vectorized")]
    [InlineData("torch")]
    public void ExceptionOrMissingDoubleBackward_OnlyAtSecondOrder_IsThatImplementationsFailureAlone(string planted)
    {
        var first = Parse("n2c3h6w5-o4k3x2-s1x1-p0,0,0,0-d1x1-g1-f64-v2");
        var configs = new[] { first, first with { Order = 2 } };
        ILayerEngine Throwing(ILayerEngine engine) => engine.Name != planted ? engine
            : PlantedEngine.Throwing(engine, "planted double backward bug", (c, _) => c.Order == 2);
        ILayerEngine Dropping(ILayerEngine engine) => engine.Name != planted ? engine : new WithoutDoubleBackward(engine);

        foreach (var (plant, error) in new (Func<ILayerEngine, ILayerEngine>, string)[]
            {
                (Throwing, "InvalidOperationException: planted double backward bug"),
                (Dropping, $"{planted} returned no double backward for a second-order case"),
            })
        {
            var runner = new CaseRunner([plant(new ConvRefEngine(Conv2dAlgorithm.Serial)), plant(new ConvRefEngine(Conv2dAlgorithm.Vectorized))],
                plant(new ReferenceOracle()));
            var results = configs.SelectMany(runner.Run).ToList();

            Assert.All(results, r =>
            {
                bool blamed = r.Implementation == planted && r.Config.Order == 2;
                Assert.Equal(!blamed, r.Pass);
                Assert.Equal(blamed ? error : null, r.Error);
            });
            var summary = new RunSummary(results, strictOracle: true);
            var row = summary.Rows.Single(row => row.Name == "gradgradcheck");
            Assert.All(row.Counts, c => Assert.Equal(c.Implementation == planted ? 1 : 0, c.Crashed));
        }
    }

    /// <summary>An engine that computes everything but the double backward.</summary>
    private sealed class WithoutDoubleBackward(ILayerEngine inner) : ILayerEngine
    {
        public string Name => inner.Name;

        public CaseOutputs Compute(CaseConfig config, CaseInputs inputs, CaseDtype dtype) =>
            inner.Compute(config, inputs, dtype) with { SecondOrder = null };
    }

    /// <summary>Serial and vectorized against the reference oracle, with the error planted in <paramref name="kind"/> of <paramref name="planted"/> (in every dtype it computes).</summary>
    private static CaseRunner Runner(string planted, TensorKind kind)
    {
        ILayerEngine Plant(ILayerEngine engine) => engine.Name != planted ? engine : new PlantedEngine(engine, kind, 0, Planted);
        return new CaseRunner([Plant(new ConvRefEngine(Conv2dAlgorithm.Serial)), Plant(new ConvRefEngine(Conv2dAlgorithm.Vectorized))],
            Plant(new ReferenceOracle()));
    }

    private static CaseConfig Parse(string id)
    {
        Assert.True(CaseId.TryParse(id, out var config, out string error), error);
        return config;
    }
}

using System.Text.Json.Nodes;
using System.Xml.Linq;
using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Reports;
using ConvCompare.Runner;
using global::ConvRef;

namespace ConvCompare.Tests.Harness;

/// <summary>
/// On a case the size of a real layer the runner computes the vectorized algorithm again on one thread
/// and requires the same bits: a difference that appears only on one thread (planted through the
/// engine's thread seam, one unit in the last place, far inside every rounding bound) fails the
/// vectorized implementation alone, in the results, the summary, the console, JSON and JUnit.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class ThreadCheckTests : IDisposable
{
    /// <summary>A 3x3 layer of 2.4 million multiply-adds: real-layer size, cheap enough for the serial algorithm and the reference.</summary>
    private static readonly CaseConfig RealLayer =
        new(
            Shape: new(N: 1, Cin: 16, H: 32, W: 32, Cout: 16, KH: 3, KW: 3),
            Geometry: new() { PadTop = 1, PadBottom = 1, PadLeft = 1, PadRight = 1 },
            Bias: true, Dtype: CaseDtype.F32, Activation: ActivationKind.Identity, Clip: null, ValueSeed: 42);

    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("convcompare-threads-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_directory, recursive: true);

    [Fact]
    public void RealLayerCase_IsCheckedOnOneThreadForEveryVectorizedTensor_AndPasses()
    {
        Assert.True(EdgeClasses.Of(RealLayer).HasFlag(EdgeClass.RealLayerSize));
        var results = Runner(new ConvRefEngine(Conv2dAlgorithm.Vectorized, 2)).Run(RealLayer);

        var vectorized = results.Single(r => r.Implementation == "vectorized");
        Assert.True(vectorized.Pass);
        Assert.Equal(["y", "dx", "dw", "db"], vectorized.Tensors.Select(t => t.Kind.Name()));
        Assert.All(vectorized.Tensors, t => Assert.Equal(new ThreadCheck(2, null), t.Threads));
        // The serial algorithm never threads and the oracle is not ConvRef: neither is checked.
        Assert.All(results.Where(r => r.Implementation != "vectorized").SelectMany(r => r.Tensors), t => Assert.Null(t.Threads));
    }

    [Fact]
    public void SmallCaseOrOneThread_IsNotCheckedAgain()
    {
        var small = RealLayer with { Shape = RealLayer.Shape with { Cin = 2, Cout = 2, H = 8, W = 8 } };
        Assert.False(EdgeClasses.Of(small).HasFlag(EdgeClass.RealLayerSize));
        var counting = new ThreadDependentEngine(2, Ulps: 0);
        Assert.All(Runner(counting).Run(small).SelectMany(r => r.Tensors), t => Assert.Null(t.Threads));
        Assert.Equal(0, counting.OneThreadRuns);

        var single = new ThreadDependentEngine(1, Ulps: 0);
        Assert.All(Runner(single).Run(RealLayer).SelectMany(r => r.Tensors), t => Assert.Null(t.Threads));
        Assert.Equal(0, single.OneThreadRuns);
    }

    [Fact]
    public void DifferenceOnOneThreadOnly_FailsVectorizedAlone_InResultsSummaryConsoleJsonAndJUnit()
    {
        var planted = new ThreadDependentEngine(2, Ulps: 1);
        var results = Runner(planted).Run(RealLayer);
        Assert.Equal(1, planted.OneThreadRuns);
        string expected = "vectorized: 1 thread and 2 threads differ at " + TensorComparison.ElementName("dx", RealLayer.InputShape, ThreadDependentEngine.Element);

        var vectorized = results.Single(r => r.Implementation == "vectorized");
        Assert.False(vectorized.Pass);
        Assert.False(vectorized.Crashed);
        var dx = vectorized.Tensors.Single(t => t.Kind == TensorKind.Dx);
        // One unit in the last place is inside the rounding bound: only the thread check sees it.
        Assert.True(dx.Judged.Pass);
        Assert.False(dx.Pass);
        Assert.Equal(expected, dx.Threads!.Message("vectorized"));
        Assert.All(vectorized.Tensors.Where(t => t.Kind != TensorKind.Dx), t => Assert.True(t.Pass));
        Assert.All(results.Where(r => r.Implementation != "vectorized"), r => Assert.True(r.Pass, r.Implementation));

        var summary = new RunSummary(results, strictOracle: true);
        Assert.Equal(1, summary.Failed);
        Assert.Equal(1, summary.ConvRefFailures);
        Assert.Equal(0, summary.OracleFaults);
        foreach (var row in summary.Rows)
            foreach (var count in row.Counts)
                Assert.Equal(row.Name == "dx" && count.Implementation == "vectorized" ? 1 : 0, count.Failed);

        var report = new RunReport("check", null, 1, Shard.All, null, "f32", "both", summary, 1);
        var (_, console, _) = ConsoleCapture.Run(() =>
        {
            ConsoleReport.WriteSummary(report);
            foreach (var r in results)
                ConsoleReport.WriteCase(r);
            return 0;
        });
        Assert.Contains("FAIL " + CaseId.Format(RealLayer) + " [vectorized]", console, StringComparison.Ordinal);
        Assert.Contains(expected, console, StringComparison.Ordinal);
        Assert.Contains("threads: 1 result(s) of real-layer size computed again on 1 thread, 1 not the same bit for bit", console, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL " + CaseId.Format(RealLayer) + " [serial]", console, StringComparison.Ordinal);
        Assert.DoesNotContain("ORACLE FAULT", console, StringComparison.Ordinal);

        string json = Path.Combine(_directory, "r.json"), junit = Path.Combine(_directory, "r.xml");
        JsonReport.Write(json, report);
        JUnitReport.Write(junit, report);
        var cases = JsonNode.Parse(File.ReadAllText(json))!["cases"]!.AsArray();
        foreach (var c in cases)
        {
            bool blamed = (string)c!["impl"]! == "vectorized";
            Assert.Equal(!blamed, (bool)c["pass"]!);
            var check = c["tensors"]!["dx"]!["thread_check"];
            Assert.Equal(blamed, check is not null);
            if (blamed)
            {
                Assert.False((bool)check!["pass"]!);
                Assert.Equal(expected, (string)check["message"]!);
                Assert.False((bool)c["tensors"]!["dx"]!["pass"]!);
                Assert.True((bool)c["tensors"]!["y"]!["thread_check"]!["pass"]!);
            }
        }
        var failures = XDocument.Load(junit).Descendants("testcase").Where(t => t.Element("failure") is not null || t.Element("error") is not null).ToList();
        var failure = Assert.Single(failures);
        Assert.Equal("convcompare.vectorized", (string)failure.Attribute("classname")!);
        Assert.Equal("ConvRef " + expected, (string)failure.Element("failure")!.Attribute("message")!);
    }

    [Fact]
    public void ThrowingOnOneThreadOnly_FailsVectorizedAlone_WithItsMessage()
    {
        var results = Runner(new ThreadDependentEngine(2, Ulps: 0, ThrowOnOneThread: true)).Run(RealLayer);
        var vectorized = results.Single(r => r.Implementation == "vectorized");
        Assert.False(vectorized.Pass);
        Assert.All(vectorized.Tensors, t => Assert.Equal("vectorized: threw with 1 thread but not with 2 threads: InvalidOperationException: planted one-thread bug", t.Threads!.Message("vectorized")));
        Assert.All(results.Where(r => r.Implementation != "vectorized"), r => Assert.True(r.Pass, r.Implementation));
    }

    private static CaseRunner Runner(ILayerEngine vectorized) =>
        new([new ConvRefEngine(Conv2dAlgorithm.Serial), vectorized], new ReferenceOracle());

    /// <summary>
    /// ConvRef's vectorized engine with a planted thread dependence: on one thread it adds
    /// <paramref name="Ulps"/> units in the last place to dx[<see cref="Element"/>], or throws.
    /// Counts the copies the runner asks for (<see cref="WithThreads"/>), which it makes only to check the thread count.
    /// </summary>
    private sealed record ThreadDependentEngine(int Threads, int Ulps, bool ThrowOnOneThread = false) : IThreadedEngine
    {
        public const int Element = 1234;

        private readonly int[] _oneThreadRuns = [0];

        public int OneThreadRuns => _oneThreadRuns[0];

        public string Name => "vectorized";

        public ILayerEngine WithThreads(int threads)
        {
            _oneThreadRuns[0]++;
            return this with { Threads = threads };
        }

        public CaseOutputs Compute(CaseConfig config, CaseInputs inputs, CaseDtype dtype)
        {
            if (Threads == 1 && ThrowOnOneThread)
                throw new InvalidOperationException("planted one-thread bug");
            var outputs = new ConvRefEngine(Conv2dAlgorithm.Vectorized, Threads).Compute(config, inputs, dtype);
            if (Threads != 1 || Ulps == 0)
                return outputs;
            var dx = outputs.InputGradient.Clone();
            float value = (float)dx.Data[Element];
            for (int u = 0; u < Ulps; u++)
                value = MathF.BitIncrement(value);
            dx.Data[Element] = value;
            return outputs with { InputGradient = dx };
        }
    }
}

using System.Text.Json;
using System.Xml.Linq;
using ConvCompare.Cases;
using ConvCompare.Reports;
using ConvCompare.Runner;
using global::ConvRef;
using TorchSharp;

namespace ConvCompare.Tests.Harness;

public class SweepAndReportTests
{
    private static readonly CaseGenerator Small = new(5, new CaseGeneratorOptions { MaxMultiplyAdds = 4_000 });

    [Fact]
    public void OracleFault_PassesTheRun_UnlessStrict_ThenFailsItAndIsShrunk()
    {
        using var scope = torch.NewDisposeScope();
        var wrongTorch = new PlantedEngine(new ReferenceOracle(), TensorKind.Dw, 0, 1e-3, (_, dtype) => dtype == CaseDtype.F32);
        var runner = new CaseRunner([new ConvRefEngine(Conv2dAlgorithm.Vectorized)], wrongTorch);
        var f32 = new CaseGenerator(5, new CaseGeneratorOptions { MaxMultiplyAdds = 4_000, Dtypes = DtypeChoice.F32 });

        var lenient = new Sweep(f32, runner).Run(new SweepOptions(3, Shard.All, FailFast: false, StrictOracle: false));
        var strict = new Sweep(f32, runner).Run(new SweepOptions(3, Shard.All, FailFast: true, StrictOracle: true));

        var lenientSummary = new RunSummary(lenient.Results, strictOracle: false);
        Assert.Equal(3, lenientSummary.OracleFaults);
        Assert.Equal(0, lenientSummary.ExitCode);
        Assert.All(lenient.Results, r => Assert.Null(r.ShrunkId));
        var strictSummary = new RunSummary(strict.Results, strictOracle: true);
        Assert.Equal(1, strictSummary.ExitCode);
        Assert.True(strict.StoppedEarly);
        Assert.Equal(2, strict.Results.Count);
        var fault = Assert.Single(strict.Results, r => !r.Pass);
        Assert.True(fault.IsOracle);
        Assert.Equal("n1c1h1w1-o1k1x1-s1x1-p0,0,0,0-d1x1-g1-f32-nb-v" + fault.Config.ValueSeed, fault.ShrunkId);
    }

    [Fact]
    public void SameArguments_GiveTheSameCasesAndConvRefDerivedNumbers()
    {
        using var scope = torch.NewDisposeScope();
        var first = new Sweep(Small, CaseRunner.Create(ImplementationChoice.Both)).Run(new SweepOptions(6, Shard.All, false, false)).Results;
        var second = new Sweep(new CaseGenerator(5, new CaseGeneratorOptions { MaxMultiplyAdds = 4_000 }), CaseRunner.Create(ImplementationChoice.Both))
            .Run(new SweepOptions(6, Shard.All, false, false)).Results;
        Assert.Equal(first.Select(r => (r.Id, r.Implementation)), second.Select(r => (r.Id, r.Implementation)));
        Assert.Equal(first.Where(r => !r.IsOracle).Select(r => (r.GradCheck!.MaxError, r.GradCheck.Tolerance, r.GradCheck.Worst)),
            second.Where(r => !r.IsOracle).Select(r => (r.GradCheck!.MaxError, r.GradCheck.Tolerance, r.GradCheck.Worst)));
    }

    [Fact]
    public void JsonAndJUnitReports_HaveEveryFieldForEveryCaseAndImplementation()
    {
        using var scope = torch.NewDisposeScope();
        var outcome = new Sweep(Small, CaseRunner.Create(ImplementationChoice.Both)).Run(new SweepOptions(4, Shard.All, false, false));
        var report = new RunReport("run", 5, 4, Shard.All, "both", "both", new RunSummary(outcome.Results, false), outcome.Seconds);
        string path = Path.Combine(Path.GetTempPath(), $"convcompare-{Guid.NewGuid():N}.json");
        string junit = Path.ChangeExtension(path, ".xml");
        try
        {
            JsonReport.Write(path, report);
            JUnitReport.Write(junit, report);
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            foreach (var field in new[] { "tool", "version", "seed", "torchsharp", "libtorch", "field_stability" })
                Assert.True(root.TryGetProperty(field, out _), field);
            var summary = root.GetProperty("summary");
            Assert.Equal(12, summary.GetProperty("total").GetInt32());
            foreach (var field in new[] { "passed", "failed", "convref_failures", "oracle_faults", "implementations" })
                Assert.True(summary.TryGetProperty(field, out _), field);
            var cases = root.GetProperty("cases").EnumerateArray().ToList();
            Assert.Equal(12, cases.Count);
            Assert.Equal(["serial", "vectorized", "torch"], cases.Take(3).Select(c => c.GetProperty("impl").GetString()));
            foreach (var c in cases)
            {
                foreach (var field in new[] { "id", "dtype", "n", "cin", "h", "w", "cout", "kh", "kw", "groups", "bias", "activation", "clip", "impl", "role", "pass", "crashed", "error", "seconds" })
                    Assert.True(c.TryGetProperty(field, out _), field);
                Assert.Equal(2, c.GetProperty("stride").GetArrayLength());
                Assert.Equal(4, c.GetProperty("padding").GetArrayLength());
                Assert.Equal(2, c.GetProperty("dilation").GetArrayLength());
                var tensors = c.GetProperty("tensors");
                foreach (var t in new[] { "y", "dx", "dw" }.Concat(c.GetProperty("bias").GetBoolean() ? ["db"] : Array.Empty<string>()))
                    foreach (var metric in new[] { "judged_against", "max_abs", "max_rel", "bound_ratio", "pass", "evidence" })
                        Assert.True(tensors.GetProperty(t).TryGetProperty(metric, out _), t + "." + metric);
                foreach (var field in new[] { "mode", "max_error", "tolerance", "pass" })
                    Assert.True(c.GetProperty("gradcheck").TryGetProperty(field, out _), "gradcheck." + field);
                Assert.Contains(c.GetProperty("role").GetString(), new[] { "convref", "oracle" });
            }
            var suite = XDocument.Load(junit).Root!.Element("testsuite")!;
            Assert.Equal("12", suite.Attribute("tests")!.Value);
            Assert.Equal(12, suite.Elements("testcase").Count());
        }
        finally
        {
            File.Delete(path);
            File.Delete(junit);
        }
    }
}

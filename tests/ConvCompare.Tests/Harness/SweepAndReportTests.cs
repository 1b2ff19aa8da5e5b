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
        var first = new Sweep(Small, CaseRunner.Create()).Run(new SweepOptions(6, Shard.All, false, false)).Results;
        var second = new Sweep(new CaseGenerator(5, new CaseGeneratorOptions { MaxMultiplyAdds = 4_000 }), CaseRunner.Create())
            .Run(new SweepOptions(6, Shard.All, false, false)).Results;
        Assert.Equal(first.Select(r => (r.Id, r.Implementation)), second.Select(r => (r.Id, r.Implementation)));
        Assert.Equal(first.Where(r => !r.IsOracle).Select(r => (r.GradCheck!.MaxError, r.GradCheck.Tolerance, r.GradCheck.Worst)),
            second.Where(r => !r.IsOracle).Select(r => (r.GradCheck!.MaxError, r.GradCheck.Tolerance, r.GradCheck.Worst)));
    }
}

using ConvCompare.Cases;
using ConvCompare.Cli;
using ConvCompare.Runner;
using global::ConvRef;

namespace ConvCompare.Tests.Harness.Family;

/// <summary>
/// A bug planted in one family operation's backward is caught by the default sweep's own family cases: run
/// as <c>run</c> runs them (<see cref="CaseRunner"/>: rounding bounds, the reference, the numeric check), with
/// the planted ConvRef engine against <see cref="ReferenceOracle"/> (never TorchSharp's float32), the bug's
/// tensor fails on some of the cases it touches, nothing else fails, and the oracle is never blamed; the same
/// cases pass with the engine unplanted.
/// </summary>
public class FamilyPlantedBugSweepTests
{
    private static readonly List<CaseConfig> DefaultFamilyCases = [.. new CaseGenerator(RunCommand.DefaultSeed, new CaseGeneratorOptions { FamilyCases = RunCommand.DefaultFamilyCases })
        .Sweep(0, Shard.All).Select(p => p.Case)];

    public static TheoryData<string> Bugs() => [.. FamilyBug.All.Keys];

    [Theory]
    [MemberData(nameof(Bugs))]
    public void PlantedBug_IsCaughtByTheDefaultSweepsFamilyCases_OnItsTensorAlone(string name)
    {
        var bug = FamilyBug.All[name];
        var touched = DefaultFamilyCases.Where(bug.Applies).ToList();
        Assert.NotEmpty(touched);
        var engine = new ConvRefEngine(Conv2dAlgorithm.Vectorized, threads: 1);
        var results = touched.SelectMany(new CaseRunner([new FamilyBugEngine(engine, bug)], new ReferenceOracle()).Run).ToList();

        var failed = results.Where(r => !r.IsOracle && !r.Pass).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, r => Assert.All(r.Tensors.Where(t => !t.Pass), t => Assert.Equal(bug.Kind, t.Kind)));
        Assert.All(results.Where(r => r.IsOracle), r => Assert.True(r.Pass, r.Id));

        var control = touched.Take(12).SelectMany(new CaseRunner([engine], new ReferenceOracle()).Run).ToList();
        Assert.All(control, r => Assert.True(r.Pass, r.Id));
    }

    [Fact]
    public void FailingFamilyCase_ShrinksToASmallerCaseOfTheSameOperationThatStillFails()
    {
        var bug = FamilyBug.All["reflect border not folded back onto the input"];
        var runner = new CaseRunner([new FamilyBugEngine(new ConvRefEngine(Conv2dAlgorithm.Vectorized, threads: 1), bug)], new ReferenceOracle());
        var generator = new CaseGenerator(RunCommand.DefaultSeed, new CaseGeneratorOptions { Op = CaseOp.Conv2d });
        var outcome = new Sweep(generator, runner).Run(new SweepOptions(24, Shard.All, FailFast: false, StrictOracle: false));
        var shrunk = outcome.Results.Where(r => r.ShrunkId is not null).ToList();
        Assert.NotEmpty(shrunk);
        foreach (var result in shrunk)
        {
            Assert.True(CaseId.TryParse(result.ShrunkId!, out var smaller, out string error), error);
            Assert.Equal(CaseOp.Conv2d, smaller.Op);
            Assert.Equal(CasePaddingMode.Reflect, smaller.PaddingMode);
            Assert.True(smaller.MultiplyAdds <= result.Config.MultiplyAdds);
            Assert.Contains(runner.Run(smaller), r => !r.IsOracle && !r.Pass);
        }
    }
}

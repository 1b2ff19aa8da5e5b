using ConvCompare.Cases;
using ConvCompare.Reports;
using ConvCompare.Runner;
using TorchSharp;
using Xunit.Abstractions;

namespace ConvCompare.Tests.Harness;

public class SeededSweepTests(ITestOutputHelper output)
{
    /// <summary>
    /// 240 small cases (both dtypes, both implementations, every hyperparameter class) must all verify
    /// ConvRef; TorchSharp faults are allowed (they are the oracle's) but reported.
    /// </summary>
    [Fact]
    public void SeededSweepOfSmallCases_VerifiesConvRefEverywhere()
    {
        using var scope = torch.NewDisposeScope();
        var generator = new CaseGenerator(20261127, new CaseGeneratorOptions { MaxMultiplyAdds = 12_000 });
        var sweep = new Sweep(generator, CaseRunner.Create());

        var outcome = sweep.Run(new SweepOptions(240, Shard.All, FailFast: false, StrictOracle: false, Shrink: false));

        var summary = new RunSummary(outcome.Results, strictOracle: false);
        foreach (var row in summary.Rows)
            output.WriteLine($"{row.Name}: compared {row.Compared}, arbitrated {row.Arbitrated}, oracle faults {row.OracleFaults}, worst ratio {row.WorstRatio:G3} ({row.WorstId})");
        Assert.Equal(240, summary.Cases);
        Assert.All(outcome.Results.Where(r => !r.IsOracle), r => Assert.True(r.Pass, ConsoleReport.Explain(r)));
    }
}

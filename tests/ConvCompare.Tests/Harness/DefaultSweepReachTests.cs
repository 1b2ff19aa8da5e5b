using ConvCompare.Implementations;
using ConvCompare.Cases;
using ConvCompare.Cli;
using ConvCompare.Runner;

namespace ConvCompare.Tests.Harness;

/// <summary>
/// The default sweep (<c>convcompare run</c> with no options: its conv2d cases, its family, second-order and infinite-weight cases, and its error inputs) in-process, so that a coverage collector
/// sees exactly what it reaches in ConvRef: <c>scripts/reach.sh</c> runs it under coverlet. Opt-in,
/// since it repeats the whole default sweep: it runs only when CONVCOMPARE_REACH=1, and shows as
/// skipped otherwise.
/// </summary>
public class DefaultSweepReachTests
{
    [ReachFact]
    public void DefaultSweep_RunInProcess_PassesEveryCase()
    {
        var generator = new CaseGenerator(RunCommand.DefaultSeed, new CaseGeneratorOptions
        {
            FamilyCases = RunCommand.DefaultFamilyCases,
            SecondOrderCases = RunCommand.DefaultSecondOrderCases,
            FamilySecondOrderCases = RunCommand.DefaultFamilySecondOrderCases,
            InfiniteWeightCases = RunCommand.DefaultInfiniteWeightCases,
        });
        var sweep = new Sweep(generator, SharedOptions.Runner(ImplementationRegistry.All));
        var outcome = sweep.Run(new SweepOptions(RunCommand.DefaultCases, Shard.All, FailFast: false, StrictOracle: false));
        Assert.Equal(RunCommand.DefaultCases + RunCommand.DefaultFamilyCases + RunCommand.DefaultSecondOrderCases + RunCommand.DefaultFamilySecondOrderCases
            + RunCommand.DefaultInfiniteWeightCases, outcome.CaseCount);
        var errorCases = ErrorInputSweep.Cases(RunCommand.DefaultSeed, ErrorInputSweep.DefaultCases, generator.SweepSize(RunCommand.DefaultCases), Shard.All).ToList();
        var (errorInputs, _) = ErrorInputSweep.Run(ErrorInputRunner.For(SharedOptions.Runner(ImplementationRegistry.All)), errorCases);
        Assert.Equal(ErrorInputSweep.DefaultCases, errorInputs.Select(r => r.Id).Distinct().Count());
        var failed = outcome.Results.Where(r => Sweep.Fails(r, strictOracle: false)).Select(r => $"{r.Id} [{r.Implementation}]")
            .Concat(errorInputs.Where(r => ErrorInputSweep.Fails(r, strictOracle: false)).Select(r => $"{r.Id} [{r.Implementation}]")).ToList();
        Assert.True(failed.Count == 0, "failed: " + string.Join(", ", failed));
    }

    /// <summary>A fact that runs only when the environment variable CONVCOMPARE_REACH is 1.</summary>
    private sealed class ReachFactAttribute : FactAttribute
    {
        public ReachFactAttribute()
        {
            if (Environment.GetEnvironmentVariable("CONVCOMPARE_REACH") != "1")
                Skip = "opt-in: scripts/reach.sh runs the default sweep in-process with CONVCOMPARE_REACH=1";
        }
    }
}

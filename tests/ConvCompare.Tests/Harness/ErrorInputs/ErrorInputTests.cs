using ConvCompare.Cases;
using ConvCompare.Reports;
using ConvCompare.Runner;
using global::ConvRef;

namespace ConvCompare.Tests.Harness.ErrorInputs;

/// <summary>
/// The error-input tier: every rule, on every operation it applies to, is refused by both ConvRef
/// algorithms with an argument error naming the parameter; a case is rebuilt from its id; an
/// implementation that accepts, crashes or names the wrong parameter fails, alone.
/// </summary>
public sealed class ErrorInputTests
{
    private static readonly ErrorInputRunner ConvRefAlone =
        new([.. ErrorInputRunner.For(new CaseRunner([new ConvRefEngine(Conv2dAlgorithm.Serial), new ConvRefEngine(Conv2dAlgorithm.Vectorized)], new ReferenceOracle())).Engines]);

    [Fact]
    public void EveryRuleOnEveryOperation_IsRefusedByBothConvRefAlgorithmsNamingTheParameter()
    {
        Assert.Equal(2, ConvRefAlone.Engines.Count);
        var failures = new List<string>();
        for (int k = 0; k < 3 * ErrorRules.Pairs.Count; k++)
        {
            var c = ErrorCases.Generate(11, k);
            foreach (var r in ConvRefAlone.Run(c))
            {
                Assert.Equal(c.Rule.Passes == ErrorPasses.Both ? 2 : 1, r.Attempts.Count);
                if (!r.Pass)
                    failures.Add($"{c.Id}: {r.Verdict}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void EveryRuleAppliesToSomeOperation_AndTheLayerMeetsEachOfItsRulesInTheFirstRound()
    {
        Assert.All(ErrorRules.All, rule => Assert.Contains(ErrorRules.Pairs, p => p.Rule == rule));
        var firstRound = ErrorRules.Pairs.Take(ErrorRules.All.Count).ToList();
        Assert.Equal(ErrorRules.All, firstRound.Select(p => p.Rule));
        Assert.All(firstRound.Where(p => p.Rule.Ops.HasFlag(ErrorOps.Layer)), p => Assert.True(p.Op.Layer));
    }

    [Fact]
    public void AnErrorInputId_RebuildsTheSameCase_AndIsNeverACaseId()
    {
        for (int k = 0; k < ErrorRules.Pairs.Count; k++)
        {
            var c = ErrorCases.Generate(3, k);
            Assert.True(ErrorCase.TryParse(c.Id, out var parsed, out string error), error);
            Assert.Equal(c.Describe(), parsed.Describe());
            Assert.Equal(c.Id, parsed.Id);
            Assert.False(CaseId.TryParse(c.Id, out _, out _));
        }
        Assert.False(ErrorCase.TryParse("error-stride0-conv_transpose2d-v01", out _, out string leadingZero));
        Assert.Contains("leading zeros", leadingZero, StringComparison.Ordinal);
        Assert.False(ErrorCase.TryParse("error-same-strided-conv_transpose2d-v1", out _, out string notApplicable));
        Assert.Contains("does not apply to conv_transpose2d", notApplicable, StringComparison.Ordinal);
    }

    [Fact]
    public void TheErrorCasesOfASweep_AreTheSameForTheSameSeed_AndDifferForAnother()
    {
        var first = Enumerable.Range(0, 40).Select(k => ErrorCases.Generate(5, k).Describe()).ToList();
        Assert.Equal(first, Enumerable.Range(0, 40).Select(k => ErrorCases.Generate(5, k).Describe()));
        Assert.NotEqual(first, Enumerable.Range(0, 40).Select(k => ErrorCases.Generate(6, k).Describe()));
    }

    [Fact]
    public void AnImplementationThatAcceptsAnInvalidCase_IsBlamedAlone_AsTheSideThatDisagreesWithTheOracle()
    {
        var runner = new ErrorInputRunner([.. ConvRefAlone.Engines, new PlantedErrorEngine("lenient", Plant.Accept), new PlantedErrorEngine("torch", Plant.Refuse, isOracle: true)]);
        var results = runner.Run(ErrorCases.Generate(1, 0));

        var lenient = Assert.Single(results, r => !r.Pass);
        Assert.Equal("lenient", lenient.Implementation);
        Assert.Equal(ErrorOutcome.Accepted, lenient.Outcome);
        Assert.Contains("so lenient is the side that disagrees", lenient.Verdict, StringComparison.Ordinal);
        Assert.All(results.Where(r => r != lenient), r => Assert.Null(r.Disagreement));
    }

    [Fact]
    public void AnOracleThatAcceptsWhatConvRefRefuses_IsTheOracleSideThatDisagrees()
    {
        var runner = new ErrorInputRunner([.. ConvRefAlone.Engines, new PlantedErrorEngine("torch", Plant.Accept, isOracle: true)]);
        var results = runner.Run(ErrorCases.Generate(1, 2));

        var oracle = Assert.Single(results, r => !r.Pass);
        Assert.True(oracle.IsOracle);
        Assert.Contains("ConvRef serial and vectorized refused it", oracle.Verdict, StringComparison.Ordinal);
        Assert.Contains("so TorchSharp is the side that disagrees", oracle.Verdict, StringComparison.Ordinal);
        Assert.False(ErrorInputSweep.Fails(oracle, strictOracle: false));
        Assert.True(ErrorInputSweep.Fails(oracle, strictOracle: true));
    }

    [Theory]
    [InlineData(false, false, 6)]
    [InlineData(true, false, 1)]
    public void FailFast_StopsTheErrorInputsAfterTheFirstCaseAnImplementationFails(bool failFast, bool strictOracle, int casesRun)
    {
        var runner = new ErrorInputRunner([new PlantedErrorEngine("lenient", Plant.Accept), new PlantedErrorEngine("torch", Plant.Refuse, isOracle: true)]);

        var (results, _) = ErrorInputSweep.Run(runner, ErrorInputSweep.Cases(4, 6, 0, Shard.All), failFast, strictOracle);

        Assert.Equal(casesRun, results.Select(r => r.Id).Distinct().Count());
    }

    [Theory]
    [InlineData(false, 6)]
    [InlineData(true, 1)]
    public void FailFast_StopsAtAnOracleThatAccepts_OnlyUnderStrictOracle(bool strictOracle, int casesRun)
    {
        var runner = new ErrorInputRunner([.. ConvRefAlone.Engines, new PlantedErrorEngine("torch", Plant.Accept, isOracle: true)]);

        var (results, _) = ErrorInputSweep.Run(runner, ErrorInputSweep.Cases(4, 6, 0, Shard.All), failFast: true, strictOracle);

        Assert.Equal(casesRun, results.Select(r => r.Id).Distinct().Count());
    }

    [Theory]
    [InlineData(Plant.Crash, "crashed", "crashed in the forward pass")]
    [InlineData(Plant.WrongParameter, "wrong_parameter", "naming 'spec.Bogus' instead of")]
    [InlineData(Plant.Accept, "accepted", "accepted the invalid forward pass silently")]
    public void AnImplementationThatDoesNotRefuseAsItMust_FailsWithWhatItDid(Plant plant, string outcome, string words)
    {
        var runner = new ErrorInputRunner([.. ConvRefAlone.Engines, new PlantedErrorEngine("planted", plant)]);
        var results = runner.Run(ErrorCases.Generate(1, 0));

        var planted = Assert.Single(results, r => !r.Pass);
        Assert.Equal("planted", planted.Implementation);
        Assert.Equal(outcome, ErrorInputReport.Token(planted.Outcome));
        Assert.Contains(words, planted.Verdict, StringComparison.Ordinal);
        Assert.True(ErrorInputSweep.Fails(planted, strictOracle: false));
    }

    [Fact]
    public void RefusingAValidCase_IsBlamedOnTheImplementationThatRefusedAlone()
    {
        var config = new CaseGenerator(3, new CaseGeneratorOptions { Tier = CaseTier.Edge, Dtypes = DtypeChoice.F64 }).Generate(0);
        var runner = new CaseRunner([new RefusingEngine(new ConvRefEngine(Conv2dAlgorithm.Serial)), new ConvRefEngine(Conv2dAlgorithm.Vectorized)], new ReferenceOracle());

        var results = runner.Run(config);

        var refused = Assert.Single(results, r => !r.Pass);
        Assert.Equal("serial", refused.Implementation);
        Assert.StartsWith("Conv2dArgumentException: stride_h must be >= 1", refused.Error, StringComparison.Ordinal);
        Assert.True(Sweep.Fails(refused, strictOracle: false));
    }

    /// <summary>An engine that refuses every valid case as if its stride were invalid.</summary>
    private sealed class RefusingEngine(ILayerEngine inner) : ILayerEngine
    {
        public string Name => inner.Name;

        public CaseOutputs Compute(CaseConfig config, CaseInputs inputs, CaseDtype dtype) =>
            throw new Conv2dArgumentException("stride_h must be >= 1 (got 1)", "spec.StrideH");
    }
}

/// <summary>What a <see cref="PlantedErrorEngine"/> does with every pass of every case.</summary>
public enum Plant
{
    /// <summary>Refuse with an argument error naming the parameter the case expects.</summary>
    Refuse,
    /// <summary>Return as if the case were valid.</summary>
    Accept,
    /// <summary>Throw an <see cref="InvalidOperationException"/>.</summary>
    Crash,
    /// <summary>Refuse, naming a parameter the case does not expect.</summary>
    WrongParameter,
}

/// <summary>An implementation with a planted behaviour on error inputs.</summary>
internal sealed class PlantedErrorEngine(string name, Plant plant, bool isOracle = false) : IErrorInputEngine
{
    public string Name => name;

    public bool IsOracle => isOracle;

    public bool Expresses(ErrorCase errorCase) => true;

    public void Attempt(ErrorCase errorCase, ErrorPasses pass)
    {
        switch (plant)
        {
            case Plant.Refuse: throw new ArgumentException("refused", errorCase.Parameter);
            case Plant.Crash: throw new InvalidOperationException("planted crash");
            case Plant.WrongParameter: throw new ArgumentException("refused", "spec.Bogus");
        }
    }
}

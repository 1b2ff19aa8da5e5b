using ConvCompare.Implementations;
using ConvCompare.Cases;
using ConvCompare.Cli;
using ConvCompare.Limits;
using ConvCompare.Runner;
using ConvCompare.Tests.Harness;
using static ConvCompare.Tests.Limits.Hostile;

namespace ConvCompare.Tests.Limits;

/// <summary>Work, memory and report size that are accepted but never end are refused up front, with one sentence and exit 2.</summary>
[Collection(nameof(ConsoleCollection))]
public class WorkLimitTests
{
    private const string HugePaddingAndDilation = "n1c1h1w1-o1k2x2-s1x1-p2000,2000,2000,2000-d4000x4000-g1-f64-v1";

    [Theory]
    [InlineData(HugePaddingAndDilation)]
    [InlineData("n1c1h4096w4096-o1k2048x2048-s1x1-p0,0,0,0-d1x1-g1-f64-v1")]
    [InlineData("n1c4096h64w64-o4096k1x1-s1x1-p0,0,0,0-d1x1-g1-f64-v1")]
    public void CheckOfACaseThatRunsForMinutes_IsRefusedUpFront(string id)
        => AssertOneSentence(ExitCodes.BadArguments, Invoke("check", id), "multiply-adds", "more than the limit", "--max-work");

    [Fact]
    public void RaisingTheWorkLimit_LetsTheSameCaseThroughToTheNextLimit()
    {
        // With the work allowed, the serial algorithm's padded 4001 x 4001 planes still fit, so the memory
        // limit is what stops it once lowered: the options really replace the defaults.
        var outcome = Invoke("check", HugePaddingAndDilation, "--max-work", "1e20", "--max-memory", "1M");
        AssertOneSentence(ExitCodes.BadArguments, outcome, "of memory", "--max-memory");
    }

    [Fact]
    public void CaseTheJudgeCannotHold_IsABadArgumentNamingTheImplementationAskedFor()
    {
        var outcome = Invoke("check", "n1c1h1w1-o1k2x2-s1x1-p50000,50000,50000,50000-d100000x100000-g1-f64-v1", "--impl", "vectorized",
            "--max-work", "1e30", "--max-memory", "1T");
        AssertOneSentence(ExitCodes.BadArguments, outcome, "cannot be run with --impl vectorized", "padded input of 10000300002 numbers");
        Assert.Equal("", outcome.Stdout);
    }

    [Fact]
    public void BenchWithTwoBillionRepetitions_IsRefused()
        => AssertOneSentence(ExitCodes.BadArguments, Invoke("bench", "--repeat", "2000000000"), "bench with --repeat 2000000000", "--max-work");

    [Fact]
    public void TrainingOfAHundredThousandFullBatchSteps_IsRefused()
        => AssertOneSentence(ExitCodes.BadArguments, Invoke("train", "--steps", "100000", "--batch", "2400"), "train with --steps 100000 --batch 2400", "--max-work");

    [Fact]
    public void RunOfAMillionCases_IsRefused()
        => AssertOneSentence(ExitCodes.BadArguments, Invoke("run", "--cases", "1000000"), "run with --cases 1000000", "more than the limit");

    [Theory]
    [InlineData("realistic", "run with --cases 7 ")]
    [InlineData("edge", "run with --cases 2000 ")]
    public void RunWithoutCases_SweepsOneLayerOfEachRealisticFamily_OrTheDefaultCountOfTheOtherTiers(string tier, string expected)
    {
        // The refusal names the count the run would have swept; the realistic tier's default must fit the default limits.
        AssertOneSentence(ExitCodes.BadArguments, Invoke("run", "--tier", tier, "--max-work", "1"), expected, "more than the limit");
        var realistic = new CaseGenerator(RunCommand.DefaultSeed, new CaseGeneratorOptions { Tier = CaseTier.Realistic });
        var cost = SweepCost.Of(realistic, RunCommand.DefaultCasesOf("realistic"), Shard.All, SharedOptions.Plan("all"), 4, 0, out _);
        Assert.Null(ResourceLimits.Default.Refusal("run --tier realistic", cost));
    }

    [Fact]
    public void ReportsLargerThanTheOutputLimit_AreRefusedBeforeTheSweep()
    {
        string json = Path.Combine(Path.GetTempPath(), $"convcompare-limit-{Guid.NewGuid():N}.json");
        var outcome = Invoke("run", "--cases", "50", "--json", json, "--max-output", "64K");
        AssertOneSentence(ExitCodes.BadArguments, outcome, "would write reports of about", "--max-output");
        Assert.False(File.Exists(json));
    }

    [Theory]
    [InlineData("--max-work", "0")]
    [InlineData("--max-work", "lots")]
    [InlineData("--max-work", "Infinity")]
    [InlineData("--max-memory", "-1")]
    [InlineData("--max-memory", "8X")]
    [InlineData("--max-output", "99999999999T")]
    public void LimitThatIsNotAPositiveNumber_IsABadArgument(string option, string value)
        => AssertOneSentence(ExitCodes.BadArguments, Invoke("check", "n1c1h2w2-o1k1x1-s1x1-p0,0,0,0-d1x1-g1-f64-v1", option, value), option, value);

    [Fact]
    public void ShardThatHoldsNoCase_ChecksNothingAndExits4()
    {
        // 5 cases, 4 of the family, 1 with infinite weights and 1 error input: indices 0 to 10, none of them in shard 12/12.
        var outcome = Invoke("run", "--cases", "5", "--family", "4", "--order", "1", "--shard", "12/12");
        AssertOneSentence(ExitCodes.NothingChecked, outcome, "nothing was checked", "shard 12/12");
        Assert.Equal("", outcome.Stdout);
    }

    [Theory]
    [InlineData("64K", 64L << 10)]
    [InlineData("8G", 8L << 30)]
    [InlineData("123", 123L)]
    [InlineData("1t", 1L << 40)]
    public void ByteSizes_ReadWithBinaryMultiples(string text, long expected)
    {
        Assert.True(LimitOptions.TryParseBytes(text, out long bytes));
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void DefaultSweep_FitsTheDefaultLimitsWithRoomToSpare()
    {
        var generator = new CaseGenerator(RunCommand.DefaultSeed);
        var cost = SweepCost.Of(generator, RunCommand.DefaultCases, Shard.All, SharedOptions.Plan(ImplementationRegistry.All), 2, 2, out int cases);
        Assert.Equal(RunCommand.DefaultCases, cases);
        Assert.Null(ResourceLimits.Default.Refusal("the default run", cost with { Work = cost.Work * 10 }));
    }

    [Fact]
    public void SerialWork_CountsTheDilatedKernelAndInterleavedError()
    {
        // Same multiply-adds of the layer (one output, 2x2 taps); dilation makes the serial algorithm sum
        // over the whole dilated kernel, so its count must grow with the dilation's square at least.
        CaseId.TryParse("n1c1h3w3-o1k2x2-s1x1-p0,0,0,0-d2x2-g1-f64-v1", out var dilated, out _);
        CaseId.TryParse("n1c1h2w2-o1k2x2-s1x1-p0,0,0,0-d1x1-g1-f64-v1", out var plain, out _);
        Assert.Equal(plain.MultiplyAdds, dilated.MultiplyAdds);
        var serialOnly = new CostPlan(Serial: true, Vectorized: false, OracleRuns: 0, GradientCheck: false, "--impl serial");
        Assert.True(CaseCost.Of(dilated, serialOnly).Work > 2 * CaseCost.Of(plain, serialOnly).Work);
    }

    [Fact]
    public void SweepResults_HoldNoMoreMemoryPerResultThanTheMemoryLimitAssumes()
    {
        // The growth between a sweep kept and a larger one kept besides it: buffers and code that the
        // first sweep warmed up are in both measurements, the results only in their difference. The
        // heap is the whole process's, so tests running alongside can only add to a measurement: the
        // smallest of up to three is the one that counts.
        var sweep = new Sweep(new CaseGenerator(11), CaseRunner.Create());
        var first = sweep.Run(new SweepOptions(40, Shard.All, FailFast: false, StrictOracle: false, Shrink: false));
        long smallest = long.MaxValue;
        for (int attempt = 0; attempt < 3 && smallest > SweepCost.MemoryBytesPerResult; attempt++)
        {
            long before = GC.GetTotalMemory(forceFullCollection: true);
            var second = sweep.Run(new SweepOptions(100, Shard.All, FailFast: false, StrictOracle: false, Shrink: false));
            long retained = GC.GetTotalMemory(forceFullCollection: true) - before;
            Assert.Equal(300, second.Results.Count);
            smallest = Math.Min(smallest, retained / second.Results.Count);
            GC.KeepAlive(second);
        }
        Assert.True(smallest <= SweepCost.MemoryBytesPerResult, $"{smallest} bytes per result");
        GC.KeepAlive(first);
    }

    [Fact]
    public void JsonReport_StaysWithinTheBytesPerResultTheOutputLimitAssumes()
    {
        string json = Path.Combine(Path.GetTempPath(), $"convcompare-size-{Guid.NewGuid():N}.json");
        try
        {
            var outcome = Invoke("run", "--cases", "40", "--family", "20", "--seed", "7", "--json", json);
            Assert.True(outcome.Code is ExitCodes.Passed or ExitCodes.Failed, outcome.Stderr);
            long perResult = new FileInfo(json).Length / ((40 + 20) * 3);
            Assert.InRange(perResult, 200, SweepCost.ReportBytesPerResult);
        }
        finally
        {
            File.Delete(json);
        }
    }
}

/// <summary>Allowed long work shows progress; short work stays quiet.</summary>
public class LongWorkTests
{
    [Fact]
    public void LongWork_AnnouncesItselfAndBeatsUntilDisposed()
    {
        var output = new StringWriter();
        var synchronized = TextWriter.Synchronized(output);
        // The synchronized writer locks itself around every write; reading under the same lock keeps the
        // heartbeat's thread from growing the buffer while it is copied.
        string Read()
        {
            lock (synchronized)
                return output.ToString();
        }
        var heartbeat = LongWork.Announce(synchronized, "check", new Cost(5e11, 0, 0), TimeSpan.FromMilliseconds(20));
        Assert.NotNull(heartbeat);
        SpinWait.SpinUntil(() => Read().Contains("still working", StringComparison.Ordinal), Hostile.HangLimit);
        heartbeat.Dispose();
        string text = Read();
        Assert.StartsWith("check: about 5E+11 multiply-adds", text, StringComparison.Ordinal);
        Assert.Contains("check: still working", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ShortWork_PrintsNothing()
    {
        var output = new StringWriter();
        Assert.Null(LongWork.Announce(output, "check", new Cost(LongWork.Threshold / 2, 0, 0)));
        Assert.Equal("", output.ToString());
    }
}

using System.Globalization;
using ConvCompare.Cases;
using ConvCompare.Cli;
using ConvCompare.Comparison;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using ConvCompare.Reports;
using ConvCompare.Runner;
using ConvCompare.Tests.Cli;
using global::ConvRef;

namespace ConvCompare.Tests.Harness.SecondOrder;

/// <summary>
/// Second order with clipping: the default sweep draws second-order cases that clip, at a value placed in a gap of |dJ/dw|
/// wider than the rounding bounds on both sides (<see cref="ClipGap"/>), so every correct implementation masks gg_w alike;
/// an implementation (or oracle) that ignores the mask is caught and blamed alone, and an id whose clip sits within rounding
/// of a |dJ/dw| is refused in one sentence. Arbitration runs against <see cref="ReferenceOracle"/>; TorchSharp only in float64.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public class SecondOrderClipTests
{
    /// <summary>The second-order cases of the default sweep (<c>convcompare run</c> with no options) that clip.</summary>
    private static readonly List<CaseConfig> DefaultSweepClipped = [.. DefaultSweep().Where(c => c.Order == 2 && c.Clip is not null)];

    private static IEnumerable<CaseConfig> DefaultSweep() => new CaseGenerator(RunCommand.DefaultSeed, new CaseGeneratorOptions
    {
        FamilyCases = RunCommand.DefaultFamilyCases,
        SecondOrderCases = RunCommand.DefaultSecondOrderCases,
        FamilySecondOrderCases = RunCommand.DefaultFamilySecondOrderCases,
    }).Sweep(RunCommand.DefaultCases, Shard.All).Select(c => c.Case);

    [Fact]
    public void DefaultSweep_ChecksConv2dAndFamilyCasesToSecondOrderWithClipping()
    {
        Assert.Equal(RunCommand.DefaultSecondOrderCases + RunCommand.DefaultFamilySecondOrderCases, DefaultSweep().Count(c => c.Order == 2));
        Assert.All(DefaultSweepClipped, c => Assert.True(c.Clip > 0));
        int conv2d = DefaultSweepClipped.Count(c => c.Family is null), family = DefaultSweepClipped.Count(c => c.Family is not null);
        Assert.True(conv2d >= 5 && family >= 5, $"{conv2d} conv2d and {family} family cases clip at second order");
    }

    /// <summary>
    /// Checked here from the definition of the rule, not through <see cref="ClipGap"/>: each |dJ/dw| of the compensated reference
    /// is further from c than the case's dtype bound plus the reference's, c is exact in the dtype, and the mask is not trivial.
    /// </summary>
    [Fact]
    public void DefaultSweepsSecondOrderClips_KeepClearOfEveryDwByItsBound_AndMaskSomeEntriesButNotAll()
    {
        int mixed = 0;
        foreach (var c in DefaultSweepClipped)
        {
            double clip = c.Clip!.Value;
            var plain = c with { Clip = null };
            var x = CaseInputs.Create(plain);
            var dw = CompensatedReference.Compute(plain, x, TensorKind.Dw).Data;
            var bound = RoundingBound.Compute(plain, x).Between(TensorKind.Dw, Arithmetic.For(c.Dtype), Arithmetic.CompensatedFloat64);

            Assert.Equal(clip, CaseInputs.Round(clip, c.Dtype));
            for (int i = 0; i < dw.Length; i++)
                Assert.True(Math.Abs(Math.Abs(dw[i]) - clip) > bound[i], $"{CaseId.Format(c)}: |dJ/dw[{i}]| = {Math.Abs(dw[i]):R} is within {bound[i]:G3} of the clip");
            Assert.Contains(dw, v => Math.Abs(v) > clip);
            if (dw.Any(v => Math.Abs(v) <= clip))
                mixed++;
        }
        Assert.True(mixed >= 5, $"only {mixed} clipped cases keep some entries of gg_w");
    }

    [Fact]
    public void ClippedSecondOrderIds_ParseBackToTheSameCase_SoCheckRerunsThem()
    {
        Assert.NotEmpty(DefaultSweepClipped);
        foreach (var c in DefaultSweepClipped)
        {
            string id = CaseId.Format(c);
            Assert.Contains("-clip", id, StringComparison.Ordinal);
            Assert.True(CaseId.TryParse(id, out var parsed, out string error), error);
            Assert.Equal(c, parsed);
        }
    }

    [Fact]
    public void Admissible_PlacesOneShortClipInEachGapClearOfItsNeighboursBounds()
    {
        Assert.Equal([1.5, 2.5], ClipGap.Admissible([3, 1, 2], [0.1, 0.1, 0.1], CaseDtype.F64));
        // (1.125, 2.125) and (2.375, 3): each middle (1.625, 2.6875) to a multiple of the largest power of two below its half-width.
        Assert.Equal([1.5, 2.75], ClipGap.Admissible([1, 2.25, 3.125], [0.125, 0.125, 0.125], CaseDtype.F32));
    }

    [Fact]
    public void Admissible_AcrossTiesAndValuesCloserThanTheirBounds_FallsBackBelowEveryValue_OrHasNone()
    {
        Assert.Equal([0.5], ClipGap.Admissible([1, 1, 1 + 1e-9], [1e-8, 1e-8, 1e-8], CaseDtype.F64));
        Assert.Empty(ClipGap.Admissible([1e-9, 1e-9], [1e-8, 1e-8], CaseDtype.F64));
    }

    /// <summary>
    /// Ids with a clip exactly at a |dJ/dw| of the reference, or half a bound above one (inside the region where rounding decides
    /// the mask): refused at second order with one sentence naming the clip and the rule, accepted at first order.
    /// </summary>
    [Theory]
    [InlineData("n2c3h6w5-o4k3x2-s1x1-p0,0,0,0-d1x1-g1-f64-order2-v2", 0.0)]
    [InlineData("n2c3h6w5-o4k3x2-s1x1-p0,0,0,0-d1x1-g1-f64-order2-v2", 0.5)]
    [InlineData("n3c4h9w7-o6k3x2-s2x1-p1,0,2,1-d1x2-g2-f32-tanh-order2-v35", 0.0)]
    [InlineData("conv1d-n2c4w9-o2k3-s1-p2,1-d2-g2-reflect-f64-tanh-order2-v11", 0.5)]
    public void SecondOrderIdWithClipWithinRoundingOfADwValue_IsRefusedInOneSentenceNamingTheClipAndTheRule(string unclipped, double boundsAbove)
    {
        Assert.True(CaseId.TryParse(unclipped, out var config, out string error), error);
        var x = CaseInputs.Create(config);
        var dw = CompensatedReference.Compute(config, x, TensorKind.Dw).Data;
        var bound = RoundingBound.Compute(config, x).Between(TensorKind.Dw, Arithmetic.For(config.Dtype), Arithmetic.CompensatedFloat64);
        int at = dw.Length / 2;
        double clip = CaseInputs.Round(Math.Abs(dw[at]) + boundsAbove * bound[at], config.Dtype);
        string id = CaseId.Format(config with { Clip = clip });

        Assert.False(CaseId.TryParse(id, out _, out error));
        Assert.Contains($"the clip value {clip.ToString("R", CultureInfo.InvariantCulture)} of a second-order case lies within the rounding bound", error, StringComparison.Ordinal);
        Assert.Contains("a second-order clip must keep clear of every |dJ/dw| by more than the", error, StringComparison.Ordinal);
        Assert.Single(error.Split(". "));
        Assert.True(CaseId.TryParse(id.Replace("-order2", "", StringComparison.Ordinal), out _, out error), error);

        var (code, stdout, stderr) = ProgramRun.Invoke("check", id);
        Assert.Equal(ExitCodes.BadArguments, code);
        Assert.Equal("", stdout);
        Assert.Contains("a second-order clip must keep clear", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("serial")]
    [InlineData("vectorized")]
    [InlineData("torch")]
    public void DoubleBackwardIgnoringTheClipMask_IsCaughtOnTheTensorsGgWEnters_AndBlamedOnThatSideAlone(string planted)
    {
        ILayerEngine Plant(ILayerEngine engine) => engine.Name != planted ? engine : new IgnoringTheMask(engine);
        var runner = new CaseRunner([Plant(new ConvRefEngine(Conv2dAlgorithm.Serial)), Plant(new ConvRefEngine(Conv2dAlgorithm.Vectorized, threads: 1))],
            Plant(new ReferenceOracle()));
        var configs = DefaultSweepClipped.Where((_, i) => i % 2 == 0).ToList();
        Assert.NotEmpty(configs);

        var results = configs.SelectMany(runner.Run).ToList();

        Assert.All(results, r =>
        {
            Assert.True(r.Implementation != planted == r.Pass, $"{r.Id} {r.Implementation}");
            var failing = r.Tensors.Where(t => !t.Pass).Select(t => t.Kind).ToList();
            if (r.Implementation == planted)
                Assert.True(failing.Count > 0 && failing.All(k => k is TensorKind.D2x or TensorKind.D2dy), $"{r.Id}: {string.Join(", ", failing)}");
            else
                Assert.Empty(failing);
            // The numeric check differentiates the unclipped L: it is the comparison that sees the mask.
            Assert.True(r.GradGradCheck!.Pass);
            Assert.True(r.GradCheck!.Pass);
        });
        var summary = new RunSummary(results, strictOracle: false);
        Assert.Equal(planted == "torch" ? 0 : configs.Count, summary.ConvRefFailures);
        Assert.Equal(planted == "torch" ? configs.Count : 0, summary.OracleFaults);
    }

    /// <summary>TorchSharp's autograd differentiates the clamp (float64 only): it agrees with the reference's masked double backward, and unclipped it would not.</summary>
    [Fact]
    public void TorchOracleInFloat64_DifferentiatesTheClamp_AsTheReferenceMasksGgW()
    {
        var configs = DefaultSweepClipped.Select(c => c with { Dtype = CaseDtype.F64, Clip = ClipGap.Place(c with { Dtype = CaseDtype.F64 }) })
            .Where(c => c.Clip is not null).Take(8).ToList();
        Assert.NotEmpty(configs);
        int differs = 0;
        foreach (var c in configs)
        {
            var x = CaseInputs.Create(c);
            var bound = RoundingBound.Compute(c, x);
            var clipped = new TorchOracle().Compute(c, x, CaseDtype.F64);
            var unclipped = new TorchOracle().Compute(c with { Clip = null }, x, CaseDtype.F64);
            foreach (var kind in TensorKinds.Judged(c).Where(k => k.IsSecondOrder()))
            {
                var reference = DoubleBackwardReference.Compute(c, x, kind);
                var between = bound.Between(kind, Arithmetic.Float64, Arithmetic.CompensatedFloat64);
                var comparison = TensorComparison.Compare(kind, clipped[kind]!, reference, between, CaseDtype.F64);
                Assert.True(comparison.Pass, $"{CaseId.Format(c)} {kind.Name()}: bound ratio {comparison.BoundRatio:G3}");
                if (kind == TensorKind.D2x && !TensorComparison.Compare(kind, unclipped[kind]!, reference, between, CaseDtype.F64).Pass)
                    differs++;
            }
        }
        Assert.True(differs > 0, "no clipped case's d2x differs from the unclipped one");
    }

    /// <summary>A double backward that ignores the clamp's mask: gg_w passes everywhere, as without clipping; first order as its inner engine.</summary>
    private sealed class IgnoringTheMask(ILayerEngine inner) : ILayerEngine
    {
        public string Name => inner.Name;

        public CaseOutputs Compute(CaseConfig config, CaseInputs inputs, CaseDtype dtype)
        {
            var outputs = inner.Compute(config, inputs, dtype);
            return config.Clip is null ? outputs : outputs with { SecondOrder = inner.Compute(config with { Clip = null }, inputs, dtype).SecondOrder };
        }
    }
}

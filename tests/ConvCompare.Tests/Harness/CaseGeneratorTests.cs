using ConvCompare.Cases;
using global::ConvRef;

namespace ConvCompare.Tests.Harness;

public class CaseGeneratorTests
{
    private static readonly CaseGenerator Seven = new(7);

    private static CaseGenerator Tier(CaseTier tier, ulong seed = 7) => new(seed, new CaseGeneratorOptions { Tier = tier });

    [Fact]
    public void EveryEdgeCase_IsAValidLayerWithinTheWorkBudget()
    {
        var edge = Tier(CaseTier.Edge);
        for (int i = 0; i < 500; i++)
        {
            var c = edge.Generate(i);
            Assert.Null(c.Problem);
            Assert.InRange(c.MultiplyAdds, 1, CaseGeneratorOptions.Default.MaxMultiplyAdds);
            Assert.InRange(c.Shape.N, 1, 16);
            Assert.InRange(c.Shape.H, 1, 32);
            Assert.InRange(c.Shape.W, 1, 32);
            Assert.InRange(c.Shape.KH, 1, 7);
            Assert.InRange(c.Geometry.StrideH, 1, 4);
            Assert.InRange(c.Geometry.DilationW, 1, 3);
            Assert.InRange(c.Geometry.PadLeft, 0, 3);
        }
    }

    [Fact]
    public void SameSeed_GivesTheSameCases_AndAnotherSeedOthers()
    {
        var again = new CaseGenerator(7);
        var other = new CaseGenerator(8);
        for (int i = 0; i < 100; i++)
            Assert.Equal(Seven.Generate(i), again.Generate(i));
        Assert.NotEqual(Enumerable.Range(0, 20).Select(Seven.Generate), Enumerable.Range(0, 20).Select(other.Generate));
    }

    [Fact]
    public void ForcingTheDtype_ChangesOnlyTheDtype()
    {
        var f64 = new CaseGenerator(7, new CaseGeneratorOptions { Dtypes = DtypeChoice.F64 });
        for (int i = 0; i < 50; i++)
            Assert.Equal(Seven.Generate(i) with { Dtype = CaseDtype.F64 }, f64.Generate(i));
    }

    [Fact]
    public void MixedTier_HasTheEdgeTiersCases_WithSpecialAndRealisticOnesAtTheirFixedIndices()
    {
        var edge = Tier(CaseTier.Edge);
        var tiers = Enumerable.Range(0, global::ConvCompare.Cli.RunCommand.DefaultCases).Select(Seven.TierOf).ToList();
        Assert.Equal(4, tiers.Count(t => t == CaseTier.Realistic));
        Assert.Equal(196, tiers.Count(t => t == CaseTier.Special));
        for (int i = 0; i < 1000; i++)
        {
            var c = Seven.Generate(i);
            switch (Seven.TierOf(i))
            {
                case CaseTier.Edge:
                    Assert.Equal(edge.Generate(i), c);
                    break;
                case CaseTier.Special:
                    Assert.Equal(ValueKinds.Special[i / CaseGenerator.SpecialEvery % ValueKinds.Special.Count], c.Values);
                    break;
                default:
                    Assert.True(c.MultiplyAdds >= EdgeClasses.RealLayerWork, $"case {i} is realistic but small");
                    break;
            }
        }
    }

    [Fact]
    public void RealisticTier_DrawsEveryFamily_PerturbedAcrossBlockBoundaries_WithinTheDefaultLimits()
    {
        var cases = Enumerable.Range(0, 60).Select(Tier(CaseTier.Realistic).Generate).ToList();
        Assert.All(cases, c =>
        {
            Assert.Null(c.Problem);
            Assert.Equal(ValueKind.Uniform, c.Values);
            Assert.True(EdgeClasses.Of(c).HasFlag(EdgeClass.RealLayerSize), CaseId.Format(c));
            // Far below any per-case work limit (1e10 multiply-adds): the stem with a batch of 2 is the largest.
            Assert.InRange(c.MultiplyAdds, EdgeClasses.RealLayerWork, 400_000_000);
        });
        Assert.Contains(cases, c => c.Shape.KH == 7 && c.Geometry.StrideH == 2 && c.Shape.Cin == 3 && c.Shape.H >= 196);
        Assert.Contains(cases, c => c.Geometry.Groups == c.Shape.Cin && c.Geometry.Groups > 1 && c.Shape.H >= 98);
        Assert.Contains(cases, c => c.Geometry.DilationH == 2 && c.Shape.KH == 3);
        Assert.Contains(cases, c => c.Shape.KH == 1 && c.Shape.Cin >= 224);
        Assert.Contains(cases, c => c.Shape.KH == 3 && c.Geometry.StrideH == 2 && c.Shape.Cout >= 112);
        Assert.Contains(cases, c => c.Shape.KH == 3 && c.Geometry.StrideH == 1 && c.Geometry.DilationH == 1 && c.Geometry.Groups == 1 && c.Shape.Cin >= 56);
        // Perturbed sizes: every residue of H mod 8 and of C_in mod 8, so panel and chunk edges fall everywhere.
        Assert.Equal(8, cases.Select(c => c.Shape.H % 8).Distinct().Count());
        Assert.Equal(8, cases.Where(c => c.Shape.Cin != 3).Select(c => c.Shape.Cin % 8).Distinct().Count());
        Assert.Contains(cases, c => c.Shape.N > 1);
    }

    [Fact]
    public void SpecialTier_CyclesThroughEveryValueKind_WithoutActivationOrClipping()
    {
        var cases = Enumerable.Range(0, 50).Select(Tier(CaseTier.Special).Generate).ToList();
        Assert.Equal(ValueKinds.Special.Order(), cases.Select(c => c.Values).Distinct().Order());
        Assert.All(cases, c =>
        {
            Assert.Null(c.Problem);
            Assert.Equal(ActivationKind.Identity, c.Activation);
            Assert.Null(c.Clip);
            Assert.InRange(c.MultiplyAdds, 1, CaseGeneratorOptions.Default.MaxMultiplyAdds);
        });
    }

    [Fact]
    public void SpecialTier_DrawsNonFiniteInputsAtStridesAndDilationsAbove1()
    {
        // There an infinity of a meets the zeros Interleave puts into the derivation's planes.
        var nonFinite = Enumerable.Range(0, 200).Select(Tier(CaseTier.Special).Generate).Where(c => c.Values == ValueKind.NonFinite).ToList();
        Assert.Contains(nonFinite, c => c.Geometry.StrideH > 1 || c.Geometry.StrideW > 1);
        Assert.Contains(nonFinite, c => c.Geometry.DilationH > 1 || c.Geometry.DilationW > 1);
    }

    [Fact]
    public void DefaultSweepOfSeed7_CoversEveryValueClass()
    {
        var cases = Enumerable.Range(0, 500).Select(Seven.Generate).ToList();
        var classes = cases.Select(EdgeClasses.Of).Aggregate(EdgeClass.None, (a, b) => a | b);
        foreach (var edge in Enum.GetValues<EdgeClass>())
            Assert.True(classes.HasFlag(edge), $"no case of class {edge}");
        Assert.Equal(Enum.GetValues<ActivationKind>().Order(), cases.Select(c => c.Activation).Distinct().Order());
        Assert.Equal([CaseDtype.F32, CaseDtype.F64], cases.Select(c => c.Dtype).Distinct().Order());
        Assert.Equal([false, true], cases.Select(c => c.Bias).Distinct().Order());
        Assert.Equal([false, true], cases.Select(c => c.Clip is not null).Distinct().Order());
        Assert.Equal([1, 2, 3, 4], cases.SelectMany(c => new[] { c.Geometry.StrideH, c.Geometry.StrideW }).Distinct().Order());
        Assert.Equal([1, 2, 3], cases.SelectMany(c => new[] { c.Geometry.DilationH, c.Geometry.DilationW }).Distinct().Order());
        Assert.Equal([0, 1, 2, 3], cases.SelectMany(c => new[] { c.Geometry.PadTop, c.Geometry.PadBottom, c.Geometry.PadLeft, c.Geometry.PadRight }).Distinct().Order());
        Assert.Equal(Enumerable.Range(1, 7), cases.SelectMany(c => new[] { c.Shape.KH, c.Shape.KW }).Distinct().Order());
        Assert.Contains(cases, c => c.Shape.KH != c.Shape.KW);
        Assert.Contains(cases, c => c.Shape.H != c.Shape.W);
        Assert.Contains(cases, c => c.Geometry.PadTop != c.Geometry.PadBottom || c.Geometry.PadLeft != c.Geometry.PadRight);
        Assert.Contains(cases, c => c.Shape.N > 4);
        Assert.Contains(cases, c => c.Shape.Cin > 8 || c.Shape.Cout > 8);
        Assert.Contains(cases, c => c.Shape.H > 16 || c.Shape.W > 16);
    }

    [Theory]
    [InlineData("mixed")]
    [InlineData("edge")]
    [InlineData("realistic")]
    [InlineData("special")]
    public void Id_RoundTripsForEveryGeneratedCase(string tier)
    {
        var generator = Tier(CaseTiers.Parse(tier));
        for (int i = 0; i < 500; i++)
        {
            var c = generator.Generate(i);
            string id = CaseId.Format(c);
            Assert.True(CaseId.TryParse(id, out var parsed, out string error), error);
            Assert.Equal(c, parsed);
        }
    }

    [Fact]
    public void Id_SpellsEveryFieldAsDocumented()
    {
        var c = new CaseConfig(
            Shape: new(N: 3, Cin: 4, H: 9, W: 7, Cout: 6, KH: 3, KW: 2),
            Geometry: new() { StrideH = 2, StrideW = 1, PadTop = 1, PadBottom = 0, PadLeft = 2, PadRight = 1, DilationH = 1, DilationW = 2, Groups = 2 },
            Bias: false, Dtype: CaseDtype.F64, Activation: ActivationKind.ReLU, Clip: 0.25, ValueSeed: 1234);
        Assert.Equal("n3c4h9w7-o6k3x2-s2x1-p1,0,2,1-d1x2-g2-f64-nb-relu-clip0.25-v1234", CaseId.Format(c));
        Assert.Equal("n3c4h9w7-o6k3x2-s2x1-p1,0,2,1-d1x2-g2-f32-v1234",
            CaseId.Format(c with { Bias = true, Activation = ActivationKind.Identity, Clip = null, Dtype = CaseDtype.F32 }));
        Assert.Equal("n3c4h9w7-o6k3x2-s2x1-p1,0,2,1-d1x2-g2-f32-nb-nonfinite-v1234",
            CaseId.Format(c with { Activation = ActivationKind.Identity, Clip = null, Dtype = CaseDtype.F32, Values = ValueKind.NonFinite }));
    }

    [Theory]
    [InlineData("n3c4h9w7-o6k3x2-s2x1-p1,0,2,1-d1x2-g2-f16-v1", "does not match")]
    [InlineData("n3c4h9w7-o6k3x2-s2x1-p1,0,2,1-d1x2-g3-f64-v1", "groups 3 must divide")]
    [InlineData("n1c1h2w2-o1k5x1-s1x1-p0,0,0,0-d1x1-g1-f64-v1", "exceeds the padded input height")]
    [InlineData("n01c1h2w2-o1k1x1-s1x1-p0,0,0,0-d1x1-g1-f64-v1", "canonical form is 'n1c1h2w2")]
    [InlineData("n1c1h2w2-o1k1x1-s1x1-p0,0,0,0-d1x1-g1-f64-clip-1-v1", "does not match")]
    [InlineData("n1c1h2w2-o1k1x1-s1x1-p0,0,0,0-d1x1-g1-f64-clip0-v1", "clip value must be positive")]
    [InlineData("n1c1h2w2-o1k1x1-s1x1-p0,0,0,0-d1x1-g1-f64-relu-zero-v1", "no activation and no clipping")]
    [InlineData("n1c1h2w2-o1k1x1-s1x1-p0,0,0,0-d1x1-g1-f64-inf-v1", "does not match")]
    public void MalformedOrInvalidIds_AreRejectedWithAReason(string id, string reason)
    {
        Assert.False(CaseId.TryParse(id, out _, out string error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Shards_AreDisjointAndTogetherTheWholeSweep(int n)
    {
        var whole = Seven.Sweep(50, Shard.All).ToList();
        var parts = Enumerable.Range(1, n).Select(i => Seven.Sweep(50, new Shard(i, n)).ToList()).ToList();
        var indices = parts.SelectMany(p => p.Select(x => x.Index)).ToList();
        Assert.Equal(indices.Count, indices.Distinct().Count());
        Assert.Equal(whole, parts.SelectMany(p => p).OrderBy(x => x.Index));
    }

    [Theory]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("1/0")]
    [InlineData("a/b")]
    [InlineData("1")]
    public void BadShards_AreRejected(string text) => Assert.False(Shard.TryParse(text, out _, out _));

    [Fact]
    public void Inputs_AreDeterministic_ExactInTheDtype_AndKeepZAwayFromTheKink()
    {
        var c = new CaseConfig(
            Shape: new(N: 2, Cin: 3, H: 5, W: 4, Cout: 2, KH: 3, KW: 2),
            Geometry: new() { PadTop = 1, PadBottom = 1, PadLeft = 0, PadRight = 1 },
            Bias: true, Dtype: CaseDtype.F32, Activation: ActivationKind.ReLU, Clip: null, ValueSeed: 99);
        var first = CaseInputs.Create(c);
        var second = CaseInputs.Create(c);
        Assert.Equal(first.Input.Data, second.Input.Data);
        Assert.Equal(first.Upstream.Data, second.Upstream.Data);
        Assert.All(first.Weights.Data, v => Assert.Equal(v, (double)(float)v));
        Assert.All(first.PreviousZ!.Data, z => Assert.True(Math.Abs(z) >= CaseInputs.KinkMargin));
        Assert.True(CaseInputs.KinkMargin > global::ConvCompare.GradCheck.GradientCheck.PiecewiseLinearStep);
        Assert.Equal(first.PreviousZ.Data.Select(z => Math.Max(z, 0)), first.Input.Data);
    }
}

using ConvCompare.Cases;
using global::ConvRef;

namespace ConvCompare.Tests.Harness;

public class CaseGeneratorTests
{
    private static readonly CaseGenerator Seven = new(7);

    [Fact]
    public void EveryGeneratedCase_IsAValidLayerWithinTheWorkBudget()
    {
        for (int i = 0; i < 500; i++)
        {
            var c = Seven.Generate(i);
            Assert.Null(c.Problem);
            Assert.InRange(c.MultiplyAdds, 1, CaseGeneratorOptions.Default.MaxMultiplyAdds);
            Assert.InRange(c.N, 1, 16);
            Assert.InRange(c.H, 1, 32);
            Assert.InRange(c.W, 1, 32);
            Assert.InRange(c.KH, 1, 7);
            Assert.InRange(c.StrideH, 1, 4);
            Assert.InRange(c.DilationW, 1, 3);
            Assert.InRange(c.PadLeft, 0, 3);
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
    public void DefaultSweepOfSeed7_CoversEveryValueClass()
    {
        var cases = Enumerable.Range(0, 300).Select(Seven.Generate).ToList();
        var classes = cases.Select(EdgeClasses.Of).Aggregate(EdgeClass.None, (a, b) => a | b);
        foreach (var edge in Enum.GetValues<EdgeClass>())
            Assert.True(classes.HasFlag(edge), $"no case of class {edge}");
        Assert.Equal(Enum.GetValues<ActivationKind>().Order(), cases.Select(c => c.Activation).Distinct().Order());
        Assert.Equal([CaseDtype.F32, CaseDtype.F64], cases.Select(c => c.Dtype).Distinct().Order());
        Assert.Equal([false, true], cases.Select(c => c.Bias).Distinct().Order());
        Assert.Equal([false, true], cases.Select(c => c.Clip is not null).Distinct().Order());
        Assert.Equal([1, 2, 3, 4], cases.SelectMany(c => new[] { c.StrideH, c.StrideW }).Distinct().Order());
        Assert.Equal([1, 2, 3], cases.SelectMany(c => new[] { c.DilationH, c.DilationW }).Distinct().Order());
        Assert.Equal([0, 1, 2, 3], cases.SelectMany(c => new[] { c.PadTop, c.PadBottom, c.PadLeft, c.PadRight }).Distinct().Order());
        Assert.Equal(Enumerable.Range(1, 7), cases.SelectMany(c => new[] { c.KH, c.KW }).Distinct().Order());
        Assert.Contains(cases, c => c.KH != c.KW);
        Assert.Contains(cases, c => c.H != c.W);
        Assert.Contains(cases, c => c.PadTop != c.PadBottom || c.PadLeft != c.PadRight);
        Assert.Contains(cases, c => c.N > 4);
        Assert.Contains(cases, c => c.Cin > 8 || c.Cout > 8);
        Assert.Contains(cases, c => c.H > 16 || c.W > 16);
    }

    [Fact]
    public void Id_RoundTripsForEveryGeneratedCase()
    {
        for (int i = 0; i < 500; i++)
        {
            var c = Seven.Generate(i);
            string id = CaseId.Format(c);
            Assert.True(CaseId.TryParse(id, out var parsed, out string error), error);
            Assert.Equal(c, parsed);
        }
    }

    [Fact]
    public void Id_SpellsEveryFieldAsDocumented()
    {
        var c = new CaseConfig(3, 4, 9, 7, 6, 3, 2, 2, 1, 1, 0, 2, 1, 1, 2, 2, Bias: false, CaseDtype.F64, ActivationKind.ReLU, 0.25, 1234);
        Assert.Equal("n3c4h9w7-o6k3x2-s2x1-p1,0,2,1-d1x2-g2-f64-nb-relu-clip0.25-v1234", CaseId.Format(c));
        Assert.Equal("n3c4h9w7-o6k3x2-s2x1-p1,0,2,1-d1x2-g2-f32-v1234",
            CaseId.Format(c with { Bias = true, Activation = ActivationKind.Identity, Clip = null, Dtype = CaseDtype.F32 }));
    }

    [Theory]
    [InlineData("n3c4h9w7-o6k3x2-s2x1-p1,0,2,1-d1x2-g2-f16-v1", "does not match")]
    [InlineData("n3c4h9w7-o6k3x2-s2x1-p1,0,2,1-d1x2-g3-f64-v1", "groups 3 must divide")]
    [InlineData("n1c1h2w2-o1k5x1-s1x1-p0,0,0,0-d1x1-g1-f64-v1", "exceeds the padded input height")]
    [InlineData("n01c1h2w2-o1k1x1-s1x1-p0,0,0,0-d1x1-g1-f64-v1", "canonical form is 'n1c1h2w2")]
    [InlineData("n1c1h2w2-o1k1x1-s1x1-p0,0,0,0-d1x1-g1-f64-clip-1-v1", "does not match")]
    [InlineData("n1c1h2w2-o1k1x1-s1x1-p0,0,0,0-d1x1-g1-f64-clip0-v1", "clip value must be positive")]
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
        var c = new CaseConfig(2, 3, 5, 4, 2, 3, 2, 1, 1, 1, 1, 0, 1, 1, 1, 1, true, CaseDtype.F32, ActivationKind.ReLU, null, 99);
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

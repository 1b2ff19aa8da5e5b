using System.Text.Json.Nodes;
using ConvCompare.Cases;
using ConvCompare.Snapshots;

namespace ConvCompare.Tests.Harness.SecondOrder;

/// <summary>The order token of case ids: present only at order 2, so every first-order id is unchanged.</summary>
public class SecondOrderIdTests
{
    private const string FirstOrder = "n3c4h9w7-o6k3x2-s2x1-p1,0,2,1-d1x2-g2-f64-tanh-v35";

    [Fact]
    public void OrderTwo_IsWrittenAsOneTokenBeforeTheSeed_AndParsesBack()
    {
        Assert.True(CaseId.TryParse(FirstOrder, out var config, out string error), error);
        Assert.Equal(1, config.Order);

        string id = CaseId.Format(config with { Order = 2 });

        Assert.Equal("n3c4h9w7-o6k3x2-s2x1-p1,0,2,1-d1x2-g2-f64-tanh-order2-v35", id);
        Assert.True(CaseId.TryParse(id, out var parsed, out error), error);
        Assert.Equal(config with { Order = 2 }, parsed);
    }

    [Fact]
    public void EveryScenarioId_ParsesToItsOrder_AndIsWrittenBackExactly()
    {
        foreach (string id in ScenarioTable.All.Select(s => s.CaseId))
        {
            Assert.True(CaseId.TryParse(id, out var config, out string error), error);
            Assert.Equal(id.Contains("-order2-", StringComparison.Ordinal) ? 2 : 1, config.Order);
            Assert.Equal(id, CaseId.Format(config));
        }
    }

    /// <summary>
    /// The first-order sweep of seed 42 is the one the generator snapshot stored before second order existed: the
    /// stored file now differs only at the two cases the default sweep checks to second order, which were these.
    /// </summary>
    [Fact]
    public void FirstOrderSweep_IsTheSweepStoredBeforeSecondOrderExisted()
    {
        var stored = JsonNode.Parse(File.ReadAllText(SnapshotStore.ForRepository(AppContext.BaseDirectory).StoredPath(GeneratorSnapshot.Name)))!["ids"]!
            .AsArray().Select(n => n!.GetValue<string>()).ToList();
        var before = new Dictionary<int, string>
        {
            [24] = "n1c11h13w3-o2k6x5-s2x3-p3,0,0,2-d3x1-g1-f32-tanh-clip0.25-v639939",
            [74] = "n1c6h32w26-o1k3x5-s1x1-p0,0,1,0-d2x1-g1-f32-tanh-clip8-v247179",
        };

        var firstOrder = new CaseGenerator(GeneratorSnapshot.Seed, new CaseGeneratorOptions { Order = 1 })
            .Sweep(GeneratorSnapshot.Cases, Shard.All).Select(c => CaseId.Format(c.Case)).ToList();

        Assert.Equal(stored.Select((id, k) => before.GetValueOrDefault(k, id)), firstOrder);
        Assert.All(before.Keys, k => Assert.EndsWith("-order2" + stored[k][stored[k].LastIndexOf("-v", StringComparison.Ordinal)..], stored[k], StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("n1c2h5w5-o2k3x3-s1x1-p0,0,0,0-d1x1-g1-f64-clip0.25-order2-v27", "no clipping")]
    [InlineData("n1c2h5w5-o2k3x3-s1x1-p0,0,0,0-d1x1-g1-f64-zero-order2-v27", "uniform values")]
    public void SecondOrderId_WithClippingOrSpecialValues_IsRefusedWithTheRule(string id, string rule)
    {
        Assert.False(CaseId.TryParse(id, out _, out string error));
        Assert.Contains("is not a valid layer: a second-order case has uniform values and no clipping", error, StringComparison.Ordinal);
        Assert.Contains(rule, error, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultSweep_ChecksOneUniformCaseInFiftyToSecondOrder_AndOtherwiseDrawsTheFirstOrderSweep()
    {
        var mixed = new CaseGenerator(42).Sweep(500, Shard.All).ToList();
        var first = new CaseGenerator(42, new CaseGeneratorOptions { Order = 1 }).Sweep(500, Shard.All).ToList();

        var second = mixed.Where(c => c.Case.Order == 2).Select(c => c.Index).ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(k => k * CaseGenerator.SecondOrderEvery + CaseGenerator.SecondOrderAt), second);
        foreach (var ((index, c), (_, f)) in mixed.Zip(first))
            Assert.Equal(c.Order == 2 ? f with { Order = 2, Clip = null } : f, c);
    }

    [Fact]
    public void OrderTwoSweep_ChecksEveryUniformCaseToSecondOrder_AndLeavesSpecialValuesFirstOrder()
    {
        var cases = new CaseGenerator(7, new CaseGeneratorOptions { Order = 2 }).Sweep(60, Shard.All).Select(c => c.Case).ToList();

        Assert.All(cases, c => Assert.Equal(c.Values == ValueKind.Uniform ? 2 : 1, c.Order));
        Assert.Contains(cases, c => c.Values != ValueKind.Uniform);
        Assert.All(cases, c => Assert.Null(c.Problem));
    }

    [Fact]
    public void SecondOrderInputs_AreTheFirstOrderCasesValues_PlusUpstreamGradientsOfTheDtype()
    {
        Assert.True(CaseId.TryParse("n2c3h6w5-o4k3x2-s1x1-p0,0,0,0-d1x1-g1-f32-sigmoid-v2", out var config, out string error), error);
        var first = CaseInputs.Create(config);
        var second = CaseInputs.Create(config with { Order = 2 });

        Assert.Null(first.SecondOrder);
        Assert.Equal(first.Input.Data, second.Input.Data);
        Assert.Equal(first.Weights.Data, second.Weights.Data);
        Assert.Equal(first.Upstream.Data, second.Upstream.Data);
        Assert.Equal(first.PreviousZ!.Data, second.PreviousZ!.Data);
        var gg = second.SecondOrder!;
        Assert.Equal(config.InputShape, gg.Input.Shape);
        Assert.Equal(config.WeightShape, gg.Weights.Shape);
        Assert.Equal(config.Shape.Cout, gg.Bias!.Length);
        Assert.All(gg.Input.Data.Concat(gg.Weights.Data).Concat(gg.Bias.Data), v => Assert.True(v == (float)v && v >= -1 && v < 1));
        Assert.NotEqual(gg.Input.Data, second.Input.Data);
    }
}

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

    [Fact]
    public void DefaultShareOfSecondOrderCases_IsAppended_LeavingEveryOtherCaseOfTheSeedAsItWas()
    {
        var options = new CaseGeneratorOptions { FamilyCases = 5 };
        var without = new CaseGenerator(42, options).Sweep(100, Shard.All).ToList();
        var with = new CaseGenerator(42, options with { SecondOrderCases = 7 }).Sweep(100, Shard.All).ToList();

        Assert.Equal(without, with.Take(without.Count));
        Assert.All(without, c => Assert.Equal(1, c.Case.Order));
        var appended = with.Skip(without.Count).ToList();
        Assert.Equal(Enumerable.Range(105, 7), appended.Select(c => c.Index));
        Assert.All(appended, c =>
        {
            Assert.Equal(2, c.Case.Order);
            Assert.Null(c.Case.Problem);
            Assert.Null(c.Case.Family);
            Assert.EndsWith("-order2" + CaseId.Format(c.Case)[CaseId.Format(c.Case).LastIndexOf("-v", StringComparison.Ordinal)..], CaseId.Format(c.Case), StringComparison.Ordinal);
        });
        Assert.Equal(with.Count, new CaseGenerator(42, options with { SecondOrderCases = 7 }).SweepSize(100));
    }

    [Fact]
    public void OrderOneOrTwo_AppendsNoSecondOrderCases()
    {
        foreach (int order in new[] { 1, 2 })
            Assert.Equal(100, new CaseGenerator(42, new CaseGeneratorOptions { Order = order, SecondOrderCases = 7 }).Sweep(100, Shard.All).Count());
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

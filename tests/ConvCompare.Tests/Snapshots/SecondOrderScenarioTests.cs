using System.Text.Json.Nodes;
using ConvCompare.Cases;
using ConvCompare.Snapshots;

namespace ConvCompare.Tests.Snapshots;

/// <summary>
/// The second-order scenarios: stored like the others, with the double backward's tensors and the numeric
/// second-order verdict, and sensitive to a 1e-9 relative change of one element; the first-order scenarios hold
/// no second-order entry.
/// </summary>
public class SecondOrderScenarioTests
{
    private static readonly SnapshotStore Repository = SnapshotStore.ForRepository(AppContext.BaseDirectory);

    [Fact]
    public void SecondOrderScenarios_InBothDtypes_StoreEverySecondOrderTensorAndTheNumericCheck()
    {
        var second = ScenarioTable.All.Where(s => ScenarioSnapshot.Config(s).Order == 2).ToList();
        Assert.Equal([CaseDtype.F32, CaseDtype.F64], second.Select(s => ScenarioSnapshot.Config(s).Dtype).Order());
        foreach (var scenario in ScenarioTable.All)
        {
            var stored = JsonNode.Parse(File.ReadAllText(Repository.StoredPath(SnapshotCatalog.ScenarioName(scenario))))!;
            bool isSecond = second.Contains(scenario);
            foreach (var kind in TensorKinds.SecondOrder)
                Assert.Equal(isSecond, stored["tensors"]![kind.Name()] is not null);
            Assert.Equal(isSecond, stored["verdicts"]!["serial"]!["gradgradcheck"] is not null);
            Assert.Equal(isSecond, stored["config"]!["order"] is not null);
        }
    }

    [Theory]
    [InlineData("d2x")]
    [InlineData("d2w")]
    [InlineData("d2dy")]
    public void OneSecondOrderElementOffBy1e9Relative_IsCaught(string tensor)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var scenario = ScenarioTable.All.Single(s => s.Name == "second-order-tanh-f64");
        var results = ScenarioSnapshot.Results(scenario);
        var verdicts = ScenarioSnapshot.Verdicts(scenario);
        var target = results.Single(r => r.Name == tensor);
        int worst = Array.IndexOf(target.Values, target.Values.MaxBy(Math.Abs));
        double[] perturbed = (double[])target.Values.Clone();
        perturbed[worst] *= 1 + 1e-9;
        Assert.True(target.Bounds[worst] < 1e-9 * Math.Abs(target.Values[worst]), "the tolerance must be finer than the planted change");
        string stored = File.ReadAllText(Repository.StoredPath(SnapshotCatalog.ScenarioName(scenario)));
        Assert.Empty(SnapshotComparer.Compare(stored, ScenarioSnapshot.Snapshot(scenario, results, verdicts)));

        var now = ScenarioSnapshot.Snapshot(scenario, [.. results.Select(r => r == target ? r with { Values = perturbed } : r)], verdicts);
        var difference = Assert.Single(SnapshotComparer.Compare(stored, now));

        Assert.Equal($"$.tensors.{tensor}.values[{worst}]", difference.Path);
    }
}

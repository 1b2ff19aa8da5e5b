using System.Globalization;
using System.Text.Json.Nodes;
using ConvCompare.Cases;
using ConvCompare.Oracles;
using ConvCompare.Runner;
using ConvCompare.Snapshots;
using ConvRef;

namespace ConvCompare.Tests.Snapshots;

/// <summary>
/// Proves the stored scenario snapshots are sensitive: a stored number edited beyond its rounding
/// tolerance fails with a diff naming it (and the same edit within rounding passes), a 1e-9 relative
/// change of one ConvRef output element fails (also when the tensor is stored as statistics), and a
/// deleted snapshot fails under CI=true.
/// </summary>
public class ScenarioRegressionTests
{
    private static readonly SnapshotStore Repository = SnapshotStore.ForRepository(AppContext.BaseDirectory);

    private static readonly Lazy<(Scenario Scenario, IReadOnlyList<SnapshotTensor> Results, IReadOnlyList<CaseResult> Verdicts)> Small =
        new(() => Run("multichannel-f64"));

    private static readonly Lazy<(Scenario Scenario, IReadOnlyList<SnapshotTensor> Results, IReadOnlyList<CaseResult> Verdicts)> Large =
        new(() => Run("batch8-f64"));

    private static (Scenario, IReadOnlyList<SnapshotTensor>, IReadOnlyList<CaseResult>) Run(string name)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var scenario = ScenarioTable.All.Single(s => s.Name == name);
        return (scenario, ScenarioSnapshot.Results(scenario), ScenarioSnapshot.Verdicts(scenario));
    }

    private static string Stored(Scenario scenario) =>
        File.ReadAllText(Repository.StoredPath(SnapshotCatalog.ScenarioName(scenario)));

    private static IReadOnlyList<SnapshotDifference> EditStoredNumber(string path, double boundsAway)
    {
        var (scenario, results, verdicts) = Small.Value;
        var now = ScenarioSnapshot.Snapshot(scenario, results, verdicts);
        var tolerance = now.Tolerances[path];
        Assert.True(tolerance.Bound > 0);
        // Edited from the value now, so the stored number ends up exactly boundsAway bounds from it.
        double current = Locate(JsonNode.Parse(now.ToJson())!, path).GetValue<double>();
        var stored = JsonNode.Parse(Stored(scenario))!;
        Locate(stored, path).ReplaceWith(JsonValue.Create(current + boundsAway * tolerance.Bound));
        return SnapshotComparer.Compare(SnapshotDocument.ToJson(stored), now);
    }

    private static JsonNode Locate(JsonNode root, string path)
    {
        var node = root;
        foreach (string part in path.TrimStart('$', '.').Split('.'))
        {
            int bracket = part.IndexOf('[', StringComparison.Ordinal);
            node = bracket < 0
                ? node[part]!
                : node[part[..bracket]]![int.Parse(part[(bracket + 1)..^1], CultureInfo.InvariantCulture)]!;
        }
        return node;
    }

    [Fact]
    public void StoredNumberEditedBeyondItsTolerance_FailsWithADiffNamingIt()
    {
        var difference = Assert.Single(EditStoredNumber("$.tensors.dw.values[3]", 2));

        Assert.Equal("$.tensors.dw.values[3]", difference.Path);
        string line = difference.ToString();
        Assert.StartsWith("dw[0,0,1,1]: stored ", line, StringComparison.Ordinal);
        Assert.Contains(" = 2 x its bound ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void StoredNumberEditedWithinItsTolerance_Passes() =>
        Assert.Empty(EditStoredNumber("$.tensors.dw.values[3]", 0.5));

    [Fact]
    public void OneOutputElementOffBy1e9Relative_IsCaught()
    {
        var (scenario, results, verdicts) = Small.Value;
        var y = results.Single(r => r.Kind == TensorKind.Y);
        int worst = Array.IndexOf(y.Values, y.Values.MaxBy(Math.Abs));
        double[] perturbed = (double[])y.Values.Clone();
        perturbed[worst] *= 1 + 1e-9;
        Assert.True(y.Bounds[worst] < 1e-9 * Math.Abs(y.Values[worst]), "the tolerance must be finer than the planted change");

        var now = ScenarioSnapshot.Snapshot(scenario, [.. results.Select(r => r == y ? r with { Values = perturbed } : r)], verdicts);
        var difference = Assert.Single(SnapshotComparer.Compare(Stored(scenario), now));

        Assert.Equal($"$.tensors.y.values[{worst}]", difference.Path);
    }

    [Fact]
    public void OneOutputElementOffBy1e9Relative_IsCaughtByTheStatistics_WhenTheTensorIsSummarized()
    {
        var (scenario, results, verdicts) = Large.Value;
        var y = results.Single(r => r.Kind == TensorKind.Y);
        Assert.True(y.Values.Length > TensorSnapshot.FullLimit);
        var samples = TensorSnapshot.SamplePositions(y.Values.Length).ToHashSet();
        int element = Enumerable.Range(0, y.Values.Length).Where(i => !samples.Contains(i)).MaxBy(i => Math.Abs(y.Values[i]));
        double[] perturbed = (double[])y.Values.Clone();
        perturbed[element] *= 1 + 1e-9;

        var now = ScenarioSnapshot.Snapshot(scenario, [.. results.Select(r => r == y ? r with { Values = perturbed } : r)], verdicts);
        var differences = SnapshotComparer.Compare(Stored(scenario), now);

        Assert.NotEmpty(differences);
        Assert.All(differences, d => Assert.StartsWith("$.tensors.y.summary.", d.Path, StringComparison.Ordinal));
        Assert.Contains(differences, d => d.Where == "y sum");
    }

    [Fact]
    public void DeletedSnapshot_Fails_AndWaitsAsTheReceivedFile()
    {
        var (scenario, results, verdicts) = Small.Value;
        string name = SnapshotCatalog.ScenarioName(scenario);
        var now = ScenarioSnapshot.Snapshot(scenario, results, verdicts);
        using var folder = new TempSnapshotFolder();
        var store = new SnapshotStore(folder.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(store.StoredPath(name))!);
        File.Copy(Repository.StoredPath(name), store.StoredPath(name));
        Assert.Equal(SnapshotOutcome.Matched, store.Verify(name, now).Outcome);

        File.Delete(store.StoredPath(name));
        var check = store.Verify(name, now);

        Assert.Equal(SnapshotOutcome.Missing, check.Outcome);
        Assert.False(check.Passed);
        Assert.False(File.Exists(store.StoredPath(name)));
        Assert.True(File.Exists(store.ReceivedPath(name)));
    }

    /// <summary>ConvRef's vectorized engine with one element of dJ/da moved by 1e-6 relative: a planted regression.</summary>
    private sealed class PlantedEngine : ILayerEngine
    {
        private readonly ConvRefEngine _inner = new(Conv2dAlgorithm.Vectorized);

        public string Name => _inner.Name;

        public CaseOutputs Compute(CaseConfig config, CaseInputs inputs, CaseDtype dtype)
        {
            var outputs = _inner.Compute(config, inputs, dtype);
            var dx = outputs.InputGradient.Clone();
            int worst = Array.IndexOf(dx.Data, dx.Data.MaxBy(Math.Abs));
            dx.Data[worst] *= 1 + 1e-6;
            return outputs.With(TensorKind.Dx, dx);
        }
    }

    [Fact]
    public void PlantedRegressionInTheVectorizedPath_FlipsTheStoredVerdict()
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var (scenario, results, _) = Small.Value;
        var runner = new CaseRunner([new ConvRefEngine(Conv2dAlgorithm.Serial), new PlantedEngine()], new TorchOracle());
        var verdicts = runner.Run(ScenarioSnapshot.Config(scenario));

        var differences = SnapshotComparer.Compare(Stored(scenario), ScenarioSnapshot.Snapshot(scenario, results, verdicts));

        Assert.Contains(differences, d => d.Path == "$.verdicts.vectorized.pass" && d.Stored == "true" && d.Now == "false");
        Assert.Contains(differences, d => d.Path == "$.verdicts.vectorized.tensors.dx.pass");
        Assert.DoesNotContain(differences, d => d.Path.StartsWith("$.verdicts.serial", StringComparison.Ordinal));
    }
}

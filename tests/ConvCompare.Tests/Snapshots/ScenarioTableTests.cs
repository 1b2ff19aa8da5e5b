using ConvCompare.Cases;
using ConvCompare.Snapshots;
using ConvRef;

namespace ConvCompare.Tests.Snapshots;

/// <summary>The scenario table is valid and covers every hyperparameter class the harness generates.</summary>
public class ScenarioTableTests
{
    private static readonly IReadOnlyList<CaseConfig> Configs = [.. ScenarioTable.All.Select(ScenarioSnapshot.Config)];

    [Fact]
    public void EveryRow_HasAUniqueNameAndId_ThatTheHarnessAccepts()
    {
        Assert.True(ScenarioTable.All.Count >= 30);
        Assert.Equal(ScenarioTable.All.Count, ScenarioTable.All.Select(s => s.Name).Distinct().Count());
        Assert.Equal(ScenarioTable.All.Count, ScenarioTable.All.Select(s => s.CaseId).Distinct().Count());
        Assert.All(ScenarioTable.All, s => Assert.Equal(s.CaseId, CaseId.Format(ScenarioSnapshot.Config(s))));
        Assert.All(Configs, c => Assert.Null(c.Problem));
    }

    [Fact]
    public void TheRows_CoverEveryEdgeClass()
    {
        var covered = Configs.Aggregate(EdgeClass.None, (all, c) => all | EdgeClasses.Of(c));

        // Stored scenarios are small layers with uniform values: a real-layer scenario would make every
        // test run pay for it, and the sweep's realistic and special tiers cover those two classes.
        Assert.All(Enum.GetValues<EdgeClass>().Where(e => e is not (EdgeClass.RealLayerSize or EdgeClass.SpecialValues)),
            e => Assert.True(covered.HasFlag(e), $"no scenario is {e}"));
    }

    [Fact]
    public void TheRows_CoverEveryHyperparameterClass()
    {
        Assert.Contains(Configs, c => c.Geometry.StrideH > 1 || c.Geometry.StrideW > 1);
        Assert.Contains(Configs, c => c.Geometry.StrideH != c.Geometry.StrideW);
        Assert.Contains(Configs, c => c.Geometry.PadTop != c.Geometry.PadBottom || c.Geometry.PadLeft != c.Geometry.PadRight);
        Assert.Contains(Configs, c => c.Geometry.DilationH > 1 && c.Geometry.DilationH != c.Geometry.DilationW);
        Assert.Contains(Configs, c => !c.Bias);
        Assert.Contains(Configs, c => c.Clip is not null);
        Assert.Contains(Configs, c => c.Shape.N == 1);
        Assert.Contains(Configs, c => c.Shape.N > 1);
        foreach (var dtype in Enum.GetValues<CaseDtype>())
            foreach (var activation in Enum.GetValues<ActivationKind>())
                Assert.Contains(Configs, c => c.Dtype == dtype && c.Activation == activation);
    }

    [Fact]
    public void SomeTensors_AreLargeEnoughToBeStoredAsStatistics() =>
        Assert.Contains(Configs, c => (long)c.Shape.N * c.Shape.Cout * c.OutH * c.OutW > TensorSnapshot.FullLimit);
}

using ConvCompare.Cases;
using ConvCompare.Oracles;
using ConvCompare.Runner;
using global::ConvRef;
using TorchSharp;

namespace ConvCompare.Tests.Harness;

public class ArbitrationTests
{
    private const string Id = "n2c3h7w7-o4k3x3-s1x1-p1,1,1,1-d1x1-g1-f32-v11";

    private static CaseConfig Config()
    {
        Assert.True(CaseId.TryParse(Id, out var config, out string error), error);
        return config;
    }

    [Fact]
    public void UnplantedCase_PassesWithTheOracleAgreeing()
    {
        using var scope = torch.NewDisposeScope();
        var results = new CaseRunner([new ConvRefEngine(Conv2dAlgorithm.Serial)], new TorchOracle()).Run(Config() with { Dtype = CaseDtype.F64 });

        Assert.Equal(["serial", "torch"], results.Select(r => r.Implementation));
        Assert.Equal([false, true], results.Select(r => r.IsOracle));
        Assert.All(results, r => Assert.True(r.Pass));
        Assert.All(results.SelectMany(r => r.Tensors), t => Assert.False(t.Arbitrated));
    }

    [Theory]
    [InlineData("y")]
    [InlineData("dx")]
    [InlineData("dw")]
    [InlineData("db")]
    public void PlantedConvRefError_IsBlamedOnConvRef(string tensor)
    {
        var kind = Kind(tensor);
        int element = kind == TensorKind.Db ? 2 : 5;
        var planted = new PlantedEngine(new ConvRefEngine(Conv2dAlgorithm.Vectorized), kind, element, 1e-4);
        var (result, oracle) = Pair(new CaseRunner([planted], new ReferenceOracle()).Run(Config()));

        var verdict = Assert.Single(result.Tensors, t => t.Kind == kind);
        Assert.True(verdict.Arbitrated);
        Assert.False(verdict.VersusReference!.Pass);
        Assert.Contains(element, verdict.VersusReference.OutOfBound);
        Assert.False(result.Pass);
        Assert.True(oracle.Pass);
        Assert.True(Assert.Single(oracle.Tensors, t => t.Kind == kind).VersusReference!.Pass);
    }

    [Theory]
    [InlineData("dx", 1e-4)]
    [InlineData("dx", double.NaN)]
    [InlineData("dw", 1e-4)]
    public void PlantedOracleError_IsBlamedOnTheOracle(string tensor, double delta)
    {
        var kind = Kind(tensor);
        var wrongTorch = new PlantedEngine(new ReferenceOracle(), kind, 3, delta, (_, dtype) => dtype == CaseDtype.F32);
        var (result, oracle) = Pair(new CaseRunner([new ConvRefEngine(Conv2dAlgorithm.Vectorized)], wrongTorch).Run(Config()));

        Assert.True(result.Pass);
        Assert.False(oracle.Pass);
        var fault = Assert.Single(oracle.Tensors, t => !t.Pass);
        Assert.Equal(kind, fault.Kind);
        Assert.StartsWith(ElementName(kind, 3) + ": torch ", fault.Evidence[0], StringComparison.Ordinal);
        Assert.Contains(", reference ", fault.Evidence[0], StringComparison.Ordinal);
        var verdict = Assert.Single(result.Tensors, t => t.Kind == kind);
        Assert.True(verdict.VersusReference!.Pass);
    }

    [Fact]
    public void OracleThatIsOutOfBound_HasEveryImplementationJudgedAgainstTheReference()
    {
        // The oracle is off by 1e-4 in one dx element, so no implementation agrees with it there; once the
        // reference shows the oracle out of bound, every implementation's dx is judged against the reference.
        var wrongTorch = new PlantedEngine(new ReferenceOracle(), TensorKind.Dx, 3, 1e-4);
        var results = new CaseRunner([new ConvRefEngine(Conv2dAlgorithm.Serial), new ConvRefEngine(Conv2dAlgorithm.Vectorized)], wrongTorch).Run(Config());

        Assert.All(results.Where(r => !r.IsOracle), r => Assert.True(Assert.Single(r.Tensors, t => t.Kind == TensorKind.Dx).Arbitrated));
        Assert.All(results.Where(r => !r.IsOracle), r => Assert.True(r.Pass));
    }

    [Fact]
    public void OracleThatThrows_IsItsOwnFailure_AndTheImplementationsAreJudgedAgainstTheReference()
    {
        var throwingTorch = PlantedEngine.Throwing(new ReferenceOracle(), "planted oracle bug");
        var (result, oracle) = Pair(new CaseRunner([new ConvRefEngine(Conv2dAlgorithm.Serial)], throwingTorch).Run(Config()));

        Assert.True(result.Pass);
        Assert.All(result.Tensors, t => Assert.True(t.Arbitrated && t.Agreement is null, t.Kind.Name()));
        Assert.Equal("InvalidOperationException: planted oracle bug", oracle.Error);
        Assert.False(oracle.Pass);
        Assert.Empty(oracle.Tensors);
    }

    [Fact]
    public void ImplementationThatThrows_FailsAlone_AndTheOracleIsStillJudged()
    {
        var throwing = PlantedEngine.Throwing(new ConvRefEngine(Conv2dAlgorithm.Serial), "planted serial bug");
        var results = new CaseRunner([throwing], new ReferenceOracle()).Run(Config());

        var (serial, oracle) = Pair(results);
        Assert.Equal("InvalidOperationException: planted serial bug", serial.Error);
        Assert.Null(serial.GradCheck);
        Assert.True(oracle.Pass);
        Assert.All(oracle.Tensors, t => Assert.True(t.Arbitrated, t.Kind.Name()));
    }

    private static (CaseResult Result, CaseResult Oracle) Pair(IReadOnlyList<CaseResult> results)
    {
        Assert.Equal(2, results.Count);
        Assert.False(results[0].IsOracle);
        Assert.True(results[1].IsOracle);
        return (results[0], results[1]);
    }

    private static TensorKind Kind(string name) => TensorKinds.All.Single(k => k.Name() == name);

    private static string ElementName(TensorKind kind, int flat) =>
        ConvCompare.Comparison.TensorComparison.ElementName(kind.Name(), kind == TensorKind.Dx ? Config().InputShape : Config().WeightShape, flat);
}

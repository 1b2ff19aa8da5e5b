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
        var result = Assert.Single(new CaseRunner([new ConvRefEngine(Conv2dAlgorithm.Serial)], new TorchOracle()).Run(Config() with { Dtype = CaseDtype.F64 }));
        Assert.True(result.Pass);
        Assert.True(result.OracleAgrees);
        Assert.All(result.Tensors, t => Assert.False(t.Arbitrated));
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
        using var scope = torch.NewDisposeScope();
        var planted = new PlantedEngine(new ConvRefEngine(Conv2dAlgorithm.Vectorized), kind, element, 1e-4);
        var result = Assert.Single(new CaseRunner([planted], new ReferenceOracle()).Run(Config()));

        var verdict = Assert.Single(result.Tensors, t => t.Kind == kind);
        Assert.True(verdict.Arbitrated);
        Assert.False(verdict.ConvRefVersusReference!.Pass);
        Assert.True(verdict.OracleVersusReference!.Pass);
        Assert.Contains(element, verdict.ConvRefVersusReference.OutOfBound);
        Assert.False(result.Pass);
        Assert.True(result.OracleAgrees);
    }

    [Theory]
    [InlineData("dx", 1e-4)]
    [InlineData("dx", double.NaN)]
    [InlineData("dw", 1e-4)]
    public void PlantedOracleError_IsBlamedOnTheOracle(string tensor, double delta)
    {
        var kind = Kind(tensor);
        using var scope = torch.NewDisposeScope();
        var wrongTorch = new PlantedEngine(new ReferenceOracle(), kind, 3, delta, (_, dtype) => dtype == CaseDtype.F32);
        var result = Assert.Single(new CaseRunner([new ConvRefEngine(Conv2dAlgorithm.Vectorized)], wrongTorch).Run(Config()));

        Assert.True(result.Pass);
        var fault = Assert.Single(result.OracleFaults);
        Assert.Equal(kind.Name(), fault.What);
        Assert.StartsWith(TensorComparisonName(kind, 3), fault.Elements[0], StringComparison.Ordinal);
        var verdict = Assert.Single(result.Tensors, t => t.Kind == kind);
        Assert.True(verdict.ConvRefVersusReference!.Pass);
    }

    private static TensorKind Kind(string name) => TensorKinds.All.Single(k => k.Name() == name);

    private static string TensorComparisonName(TensorKind kind, int flat) =>
        ConvCompare.Comparison.TensorComparison.ElementName(kind.Name(), kind == TensorKind.Dx ? Config().InputShape : Config().WeightShape, flat);
}

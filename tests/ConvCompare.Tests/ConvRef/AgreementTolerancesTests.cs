using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Numerics;
using ConvCompare.Runner;
using ConvCompare.Tests.ConvRef.Support;
using ConvCompare.Tests.Harness;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef;

/// <summary>The agreement checks can fail: planted errors just beyond the bound are caught, and so is a wrong weight.</summary>
public class AgreementTolerancesTests
{
    /// <summary>Stride (3, 2), asymmetric padding, dilation (2, 1), two groups, bias.</summary>
    private static readonly CaseConfig Layer = new(new(2, 4, 9, 8, 4, 3, 2),
        new() { StrideH = 3, StrideW = 2, PadTop = 2, PadLeft = 1, PadRight = 1, DilationH = 2, Groups = 2 },
        Bias: true, CaseDtype.F32, ActivationKind.Identity, Clip: null, ValueSeed: 5);

    [Fact]
    public void ErrorJustBeyondTheBound_IsCaughtAtItsElement()
    {
        var inputs = CaseInputs.Create(Layer);
        var engine = new ConvRefEngine(Conv2dAlgorithm.Serial);
        var run = engine.Compute(Layer, inputs, CaseDtype.F32);
        var bound = RoundingBound.Compute(Layer, inputs).Between(TensorKind.Dw, Arithmetic.Float32, Arithmetic.Float32);
        AgreementTolerances.AssertOutputsAgree("same", Layer, inputs, run, Arithmetic.Float32, run, Arithmetic.Float32);

        int i = Array.IndexOf(bound, bound.Max());
        double scale = run.Dw.Data.Max(Math.Abs);
        var planted = new PlantedEngine(engine, TensorKind.Dw, i, 1.01 * bound[i] / scale).Compute(Layer, inputs, CaseDtype.F32);
        Assert.Equal(i, AgreementTolerances.Violation(run.Dw.Data, planted.Dw.Data, bound));
        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() =>
            AgreementTolerances.AssertOutputsAgree("planted", Layer, inputs, run, Arithmetic.Float32, planted, Arithmetic.Float32));
        Assert.StartsWith($"planted dw[{i}]", failure.Message);
    }

    [Fact]
    public void ErrorJustInsideTheBound_Passes()
    {
        var inputs = CaseInputs.Create(Layer);
        var engine = new ConvRefEngine(Conv2dAlgorithm.Serial);
        var run = engine.Compute(Layer, inputs, CaseDtype.F32);
        var bound = RoundingBound.Compute(Layer, inputs).Between(TensorKind.Dw, Arithmetic.Float32, Arithmetic.Float32);
        int i = Array.IndexOf(bound, bound.Max());
        var planted = new PlantedEngine(engine, TensorKind.Dw, i, 0.99 * bound[i] / run.Dw.Data.Max(Math.Abs)).Compute(Layer, inputs, CaseDtype.F32);
        Assert.NotEqual(run.Dw.Data[i], planted.Dw.Data[i]);
        Assert.Null(AgreementTolerances.Violation(run.Dw.Data, planted.Dw.Data, bound));
    }

    [Fact]
    public void OneWeightOffByOnePartInAThousand_IsCaughtInTheOutput()
    {
        var inputs = CaseInputs.Create(Layer);
        var weights = inputs.Weights.Clone();
        weights.Data[0] = (float)(weights.Data[0] * 1.001);
        var expected = new ConvRefEngine(Conv2dAlgorithm.Serial).Compute(Layer, inputs, CaseDtype.F32);
        var planted = new ConvRefEngine(Conv2dAlgorithm.Vectorized).Compute(Layer, inputs with { Weights = weights }, CaseDtype.F32);
        var bound = RoundingBound.Compute(Layer, inputs).Between(TensorKind.Y, Arithmetic.Float32, Arithmetic.Float32);
        Assert.NotNull(AgreementTolerances.Violation(expected.Y.Data, planted.Y.Data, bound));
    }
}

using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.GradCheck;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using ConvCompare.Runner;
using global::ConvRef;

namespace ConvCompare.Tests.Harness.SecondOrder;

/// <summary>
/// The second-order judge: the definition-level double backward agrees with TorchSharp's autograd in float64
/// within the derived bounds, and the numeric second-order check passes a correct double backward and catches
/// a 1e-6 relative error in any one of its tensors.
/// </summary>
public class SecondOrderJudgeTests
{
    public static TheoryData<string> Cases => new()
    {
        "n2c3h6w5-o4k3x2-s1x1-p0,0,0,0-d1x1-g1-f64-order2-v2",
        "n3c4h9w7-o6k3x2-s2x1-p1,0,2,1-d1x2-g2-f64-tanh-order2-v35",
        "n2c4h7w6-o4k3x3-s2x2-p1,1,1,1-d2x1-g4-f32-sigmoid-order2-v40",
        "n1c2h5w6-o3k3x2-s1x1-p2,0,1,3-d1x1-g1-f64-nb-lrelu-order2-v8",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DefinitionLevelDoubleBackward_AgreesWithAutogradInFloat64_WithinTheDerivedBound(string id)
    {
        var config = Parse(id);
        var inputs = CaseInputs.Create(config);
        var bound = RoundingBound.Compute(config, inputs);
        var gg = inputs.SecondOrder!;
        var torch = TorchDoubleBackward.Compute(Convolution.Conv2d, TorchConvolutions.FamilySpec(config.Spec), inputs.Input, inputs.Weights, inputs.Upstream,
            gg.Input, gg.Weights, gg.Bias, config.ConvRefActivation, inputs.PreviousZ);
        var expected = new SecondOrderOutputs(torch.Input, torch.Weights, torch.Delta);
        var outputs = new CaseOutputs(inputs.Input, inputs.Input, inputs.Weights, null) { SecondOrder = expected };

        foreach (var kind in TensorKinds.SecondOrder)
        {
            var reference = DoubleBackwardReference.Compute(config, inputs, kind);
            var comparison = TensorComparison.Compare(kind, outputs[kind]!, reference, bound.Between(kind, Arithmetic.Float64, Arithmetic.CompensatedFloat64), CaseDtype.F64);
            Assert.True(comparison.Pass, $"{id} {kind.Name()}: bound ratio {comparison.BoundRatio}");
            Assert.Contains(reference.Data, v => v != 0);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void NumericSecondOrderCheck_PassesTheReference_AndCatchesAOneInAMillionRelativeErrorInEachTensor(string id)
    {
        var config = Parse(id);
        var inputs = CaseInputs.Create(config);
        var bound = RoundingBound.Compute(config, inputs);
        var right = new SecondOrderOutputs(Reference(config, inputs, TensorKind.D2x), Reference(config, inputs, TensorKind.D2w), Reference(config, inputs, TensorKind.D2dy))
        {
            PreviousZ = inputs.PreviousZ is null ? null : Reference(config, inputs, TensorKind.D2z),
        };
        var outputs = new CaseOutputs(inputs.Input, inputs.Input, inputs.Weights, null) { SecondOrder = right };
        var planted = TensorKinds.SecondOrder.Select(kind =>
        {
            var t = outputs[kind]!;
            return (kind.Name(), outputs.With(kind, new Tensor<double>([.. t.Shape], Array.ConvertAll(t.Data, v => v * (1 + 1e-6)))).SecondOrder!);
        }).ToList();

        var results = SecondOrderCheck.Run(config, inputs, bound, SecondOrderCheck.DefaultDirections, [("reference", right), .. planted]);

        Assert.True(results[0].Pass, $"{results[0].Worst}: error {results[0].MaxError}, tolerance {results[0].Tolerance}");
        // Two directions of each of a, w and dy, and of z^(l-1) with an activation below.
        Assert.Equal(config.Activation == ActivationKind.Identity ? 6 : 8, results[0].Checks);
        foreach (var (result, (name, _)) in results.Skip(1).Zip(planted))
        {
            Assert.False(result.Pass, $"{id}: a 1e-6 relative error in {name} passed");
            Assert.StartsWith(name switch { "d2x" => "a ", "d2w" => "w ", _ => "dy " }, result.Worst, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NumericSecondOrderCheck_JudgesConvRefsDoubleBackward_AndItsTolerancesDependOnTheCaseAlone()
    {
        var config = Parse("n3c4h9w7-o6k3x2-s2x1-p1,0,2,1-d1x2-g2-f64-tanh-order2-v35");
        var inputs = CaseInputs.Create(config);
        var bound = RoundingBound.Compute(config, inputs);
        var serial = new ConvRefEngine(Conv2dAlgorithm.Serial).Compute(config, inputs, CaseDtype.F64).SecondOrder!;
        var zeros = new SecondOrderOutputs(Tensor<double>.Zeros(config.InputShape), Tensor<double>.Zeros(config.WeightShape), Tensor<double>.Zeros(config.OutputShape));

        var results = SecondOrderCheck.Run(config, inputs, bound, 2, [("serial", serial), ("zeros", zeros)]);

        Assert.True(results[0].Pass);
        Assert.False(results[1].Pass);
        Assert.Equal(results[0].Tolerance > 0, results[1].Tolerance > 0);
    }

    private static Tensor<double> Reference(CaseConfig config, CaseInputs inputs, TensorKind kind) => DoubleBackwardReference.Compute(config, inputs, kind);

    private static CaseConfig Parse(string id)
    {
        Assert.True(CaseId.TryParse(id, out var config, out string error), error);
        return config;
    }
}

using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.GradCheck;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using ConvCompare.Reports;
using ConvCompare.Runner;
using global::ConvRef;

namespace ConvCompare.Tests.Harness.SecondOrder;

/// <summary>
/// dL/dz^(l-1) = gg_a .* dJ/da .* g''(z) (Eq 6 differentiated in z), judged by the harness in every second-order case with
/// an activation below: the definition-level value agrees with TorchSharp's autograd in float64 within its derived bound
/// (sigmoid's cancelling 1 - 2s included), a planted error is caught and blamed on the implementation that has it, and
/// g' in the place of g'' fails d2z alone. Cases without an activation judge no d2z.
/// </summary>
public class PreviousZGradientTests
{
    private static readonly string[] IdList =
    [
        "n2c3h6w5-o4k3x2-s1x1-p0,0,0,0-d1x1-g1-f64-sigmoid-order2-v2",
        "n3c4h9w7-o6k3x2-s2x1-p1,0,2,1-d1x2-g2-f64-tanh-order2-v35",
        "n2c4h7w6-o4k3x3-s2x2-p1,1,1,1-d2x1-g4-f64-relu-order2-v40",
        "n1c2h5w6-o3k3x2-s1x1-p2,0,1,3-d1x1-g1-f64-nb-lrelu-order2-v8",
        "conv1d-n2c4w9-o2k3-s1-p2,1-d2-g2-reflect-f64-tanh-order2-v11",
        "conv_transpose2d-n1c2h4w3-o4k3x2-s2x1-p1,0,0,1-op1x0-d1x1-g2-f64-sigmoid-order2-v12",
        "conv3d-n1c2d3h4w3-o2k2x2x2-s1x1x1-psame-d1x1x1-g1-circular-f64-sigmoid-order2-v13",
    ];

    public static TheoryData<string> Ids() => [.. IdList];

    [Theory]
    [MemberData(nameof(Ids))]
    public void DefinitionLevelPreviousZGradient_AgreesWithAutogradInFloat64_WithinTheDerivedBound(string id)
    {
        var config = Parse(id);
        var inputs = CaseInputs.Create(config);
        var bound = RoundingBound.Compute(config, inputs);
        var gg = inputs.SecondOrder!;
        var spec = config.Family?.Spec(config.Geometry) ?? TorchConvolutions.FamilySpec(config.Spec);
        var torch = TorchDoubleBackward.Compute(config.Op.Convolution(), spec, inputs.Input, inputs.Weights, inputs.Upstream,
            gg.Input, gg.Weights, gg.Bias, config.ConvRefActivation, inputs.PreviousZ);

        var reference = CompensatedReference.Compute(config, inputs, TensorKind.D2z);
        var comparison = TensorComparison.Compare(TensorKind.D2z, torch.PreviousZ!, reference,
            bound.Between(TensorKind.D2z, Arithmetic.Float64, Arithmetic.CompensatedFloat64), CaseDtype.F64);

        Assert.True(comparison.Pass, $"{id}: bound ratio {comparison.BoundRatio}");
        Assert.Contains(TensorKind.D2z, TensorKinds.Judged(config));
        if (config.Activation is ActivationKind.Sigmoid or ActivationKind.Tanh)
            Assert.Contains(reference.Data, v => v != 0);
        else
            Assert.All(reference.Data, v => Assert.Equal(0, v));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void NumericCheckAlongZ_PassesConvRefsPreviousZGradient_AndCatchesAOneInAMillionRelativeError(string id)
    {
        var config = Parse(id);
        var inputs = CaseInputs.Create(config);
        var bound = RoundingBound.Compute(config, inputs);
        var serial = new ConvRefEngine(Conv2dAlgorithm.Serial).Compute(config, inputs, CaseDtype.F64).SecondOrder!;
        var dz = serial.PreviousZ!.Clone();
        int at = Array.IndexOf(dz.Data, dz.Data.MaxBy(Math.Abs));
        // An all-zero dL/dz (ReLU, leaky ReLU) gets 1e-6 itself, as in PlantedEngine.
        dz.Data[at] = dz.Data[at] == 0 ? 1e-6 : dz.Data[at] * (1 + 1e-6);

        var results = SecondOrderCheck.Run(config, inputs, bound, SecondOrderCheck.DefaultDirections, [("serial", serial), ("planted", serial with { PreviousZ = dz })]);

        Assert.True(results[0].Pass, $"{id}: {results[0].Worst}: error {results[0].MaxError}, tolerance {results[0].Tolerance}");
        Assert.Equal(8, results[0].Checks);
        Assert.False(results[1].Pass, $"{id}: a 1e-6 relative error in d2z passed");
        Assert.StartsWith("z ", results[1].Worst, StringComparison.Ordinal);
    }

    [Fact]
    public void CaseWithoutAnActivationOrOfOrderOne_JudgesNoPreviousZGradient()
    {
        Assert.DoesNotContain(TensorKind.D2z, TensorKinds.Judged(Parse("n2c3h6w5-o4k3x2-s1x1-p0,0,0,0-d1x1-g1-f64-order2-v2")));
        Assert.DoesNotContain(TensorKind.D2z, TensorKinds.Judged(Parse("n2c3h6w5-o4k3x2-s1x1-p0,0,0,0-d1x1-g1-f64-sigmoid-v2")));
        Assert.DoesNotContain(TensorKind.D2z, TensorKinds.Of(Parse("n2c3h6w5-o4k3x2-s1x1-p0,0,0,0-d1x1-g1-f64-sigmoid-order2-v2")));
    }

    [Theory]
    [InlineData("serial")]
    [InlineData("vectorized")]
    [InlineData("torch")]
    public void PlantedErrorInPreviousZGradient_IsCaughtAndBlamedOnThatImplementationAlone(string planted)
    {
        ILayerEngine Plant(ILayerEngine engine) => engine.Name != planted ? engine : new PlantedEngine(engine, TensorKind.D2z, 0, 1e-6);
        var runner = new CaseRunner([Plant(new ConvRefEngine(Conv2dAlgorithm.Serial)), Plant(new ConvRefEngine(Conv2dAlgorithm.Vectorized, threads: 1))],
            Plant(new ReferenceOracle()));
        var configs = IdList.Select(Parse).Where(c => c.Activation is ActivationKind.Sigmoid or ActivationKind.Tanh).ToList();

        var results = configs.SelectMany(runner.Run).ToList();

        Assert.All(results, r =>
        {
            Assert.True(r.Implementation != planted == r.Pass, $"{r.Id} {r.Implementation}");
            Assert.Equal(r.Implementation == planted ? ["d2z"] : [], r.Tensors.Where(t => !t.Pass).Select(t => t.Kind.Name()));
        });
        var summary = new RunSummary(results, strictOracle: false);
        Assert.Equal(planted == "torch" ? configs.Count : 0, summary.OracleFaults);
        Assert.Contains(summary.Rows, row => row.Name == "d2z" && row.Counts.Any(c => c.Failed == (c.Implementation == planted ? configs.Count : 0)));
    }

    [Fact]
    public void FirstDerivativeInPlaceOfTheSecond_FailsPreviousZGradientAlone()
    {
        var engine = new ConvRefEngine(Conv2dAlgorithm.Vectorized, threads: 1);
        var runner = new CaseRunner([new FirstDerivativeEngine(engine)], new ReferenceOracle());
        var configs = IdList.Select(Parse).Where(c => c.Activation is ActivationKind.Sigmoid or ActivationKind.Tanh).ToList();

        var convRef = configs.SelectMany(runner.Run).Where(r => !r.IsOracle).ToList();

        Assert.All(convRef, r => Assert.Equal(["d2z"], r.Tensors.Where(t => !t.Pass).Select(t => t.Kind.Name())));
    }

    /// <summary>A double backward whose dL/dz^(l-1) uses g'(z) where g''(z) belongs: gg_a .* dJ/da .* g'(z).</summary>
    private sealed class FirstDerivativeEngine(ILayerEngine inner) : ILayerEngine
    {
        public string Name => inner.Name;

        public CaseOutputs Compute(CaseConfig config, CaseInputs inputs, CaseDtype dtype)
        {
            var outputs = inner.Compute(config, inputs, dtype);
            if (outputs.SecondOrder?.PreviousZ is null)
                return outputs;
            var rawInputGradient = inner.Compute(config with { Activation = ActivationKind.Identity }, inputs with { PreviousZ = null }, dtype).InputGradient;
            var g = config.ConvRefActivation;
            var wrong = new Tensor<double>([.. rawInputGradient.Shape], [.. rawInputGradient.Data.Select((d, i) =>
                inputs.SecondOrder!.Input.Data[i] * d * g.Derivative(inputs.PreviousZ!.Data[i]))]);
            return outputs.With(TensorKind.D2z, wrong);
        }
    }

    private static CaseConfig Parse(string id)
    {
        Assert.True(CaseId.TryParse(id, out var config, out string error), error);
        return config;
    }
}

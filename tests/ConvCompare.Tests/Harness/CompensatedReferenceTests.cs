using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using TorchSharp;

namespace ConvCompare.Tests.Harness;

public class CompensatedReferenceTests
{
    /// <summary>
    /// The arbiter is only consulted on disagreements, so it is checked here on its own: on generated
    /// cases (every stride, dilation, padding, group, activation and clip class) each of its tensors
    /// lies within float64 TorchSharp's bound plus its own.
    /// </summary>
    [Fact]
    public void OnGeneratedCases_AgreesWithFloat64TorchSharpWithinTheirBounds()
    {
        using var scope = torch.NewDisposeScope();
        var generator = new CaseGenerator(31, new CaseGeneratorOptions { MaxMultiplyAdds = 6_000, Dtypes = DtypeChoice.F64 });
        var oracle = new TorchOracle();
        for (int i = 0; i < 60; i++)
        {
            var config = generator.Generate(i);
            var inputs = CaseInputs.Create(config);
            var bound = RoundingBound.Compute(config, inputs);
            var torch = oracle.Compute(config, inputs, CaseDtype.F64);
            foreach (var kind in TensorKinds.All.Where(k => k != TensorKind.Db || config.Bias))
            {
                var reference = CompensatedReference.Compute(config, inputs, kind);
                var comparison = TensorComparison.Compare(kind, reference, torch[kind]!,
                    bound.Between(kind, Arithmetic.CompensatedFloat64, Arithmetic.Float64), CaseDtype.F64);
                Assert.True(comparison.Pass, $"{CaseId.Format(config)} {kind.Name()}: bound ratio {comparison.BoundRatio}");
            }
        }
    }
}

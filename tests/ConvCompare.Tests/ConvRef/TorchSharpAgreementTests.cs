using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using ConvCompare.Runner;
using ConvCompare.Tests.ConvRef.Support;
using ConvCompare.Tests.Harness;
using global::ConvRef;
using TorchSharp;

namespace ConvCompare.Tests.ConvRef;

/// <summary>
/// ConvRef against TorchSharp's conv2d and autograd through exactly what <c>run</c> uses: the cases are
/// <see cref="CaseConfig"/>s of the edge tier of <see cref="CaseGenerator"/> (stride, asymmetric padding,
/// dilation, groups, depthwise, bias), every third with an activation of the layer below and every fourth
/// clipped; the values are <see cref="CaseInputs"/> (exact in float32); ConvRef runs through
/// <see cref="ConvRefEngine"/> (both algorithms, in float32 and float64), TorchSharp through
/// <see cref="TorchOracle"/> in float64 only (its float32 convolution is wrong on some CPUs, see
/// docs/platform.md), and every element must lie within <see cref="RoundingBound"/>'s bound between the two.
/// </summary>
public class TorchSharpAgreementTests
{
    private const int CaseCount = 24;

    private static readonly CaseGenerator Generator = new(1000, new CaseGeneratorOptions
    {
        Tier = CaseTier.Edge, Dtypes = DtypeChoice.F32, MaxMultiplyAdds = 20_000,
    });

    private static readonly ActivationKind[] Activations =
        [ActivationKind.ReLU, ActivationKind.LeakyReLU, ActivationKind.Sigmoid, ActivationKind.Tanh];

    public static TheoryData<int> Cases() => [.. Enumerable.Range(0, CaseCount)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void BothAlgorithmsInBothPrecisions_MatchTorchForwardAndAutogradInFloat64(int index)
    {
        var config = Case(index);
        var inputs = CaseInputs.Create(config);
        var torchResult = TorchFloat64(config, inputs);
        foreach (var algorithm in Enum.GetValues<Conv2dAlgorithm>())
            foreach (var dtype in new[] { CaseDtype.F32, CaseDtype.F64 })
            {
                var convRef = new ConvRefEngine(algorithm).Compute(config, inputs, dtype);
                AgreementTolerances.AssertOutputsAgree($"{CaseId.Format(config)} {algorithm} {dtype}", config, inputs, torchResult, Arithmetic.Float64, convRef, Arithmetic.For(dtype));
            }
    }

    [Fact]
    public void TheCases_CoverStrideAsymmetricPaddingDilationGroupsDepthwiseBiasActivationsAndClipping()
    {
        var cases = Enumerable.Range(0, CaseCount).Select(Case).ToList();
        Assert.Contains(cases, c => c.Geometry.StrideH > 1 || c.Geometry.StrideW > 1);
        Assert.Contains(cases, c => c.Geometry.PadTop != c.Geometry.PadBottom || c.Geometry.PadLeft != c.Geometry.PadRight);
        Assert.Contains(cases, c => c.Geometry.DilationH > 1 || c.Geometry.DilationW > 1);
        Assert.Contains(cases, c => c.Geometry.Groups > 1 && c.Geometry.Groups < c.Shape.Cin);
        Assert.Contains(cases, c => c.Geometry.Groups > 1 && c.Geometry.Groups == c.Shape.Cin);
        Assert.Contains(cases, c => c.Shape.N > 1);
        Assert.Contains(cases, c => c.Bias);
        Assert.Contains(cases, c => !c.Bias);
        Assert.Contains(cases, c => c.Clip is not null);
        Assert.All(Activations, kind => Assert.Contains(cases, c => c.Activation == kind));
        Assert.Contains(cases, c => c.Activation == ActivationKind.Identity);
    }

    /// <summary>An error planted in one element of one ConvRef output, three times the bound there, fails the agreement check.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void AnErrorAboveTheBoundInOneElementOfEachOutput_FailsTheCheck(int tensor)
    {
        var kind = TensorKinds.All[tensor];
        var config = Enumerable.Range(0, CaseCount).Select(Case).First(c => c.Bias);
        var inputs = CaseInputs.Create(config);
        var torchResult = TorchFloat64(config, inputs);
        var inner = new ConvRefEngine(Conv2dAlgorithm.Vectorized);
        var bound = Bound(config, inputs, kind, CaseDtype.F32);
        int element = bound.Length / 2;
        double scale = inner.Compute(config, inputs, CaseDtype.F32)[kind]!.Data.Max(Math.Abs);
        var planted = new PlantedEngine(inner, kind, element, 3 * bound[element] / (scale > 0 ? scale : 1));

        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() =>
            AgreementTolerances.AssertOutputsAgree("planted", config, inputs, torchResult, Arithmetic.Float64, planted.Compute(config, inputs, CaseDtype.F32), Arithmetic.Float32));
        Assert.StartsWith($"planted {kind.Name()}[{element}]", failure.Message);
    }

    private static CaseConfig Case(int index)
    {
        var c = Generator.Generate(index);
        c = c with { Activation = index % 3 == 0 ? Activations[index / 3 % Activations.Length] : ActivationKind.Identity, Clip = null };
        return index % 4 == 0 ? c with { Clip = CaseGenerator.ClipValueFor(c) } : c;
    }

    private static CaseOutputs TorchFloat64(CaseConfig config, CaseInputs inputs)
    {
        using var scope = torch.NewDisposeScope();
        return new TorchOracle().Compute(config, inputs, CaseDtype.F64);
    }

    /// <summary>The bound on |ConvRef in <paramref name="dtype"/> - TorchSharp in float64| for each element of <paramref name="kind"/>.</summary>
    private static double[] Bound(CaseConfig config, CaseInputs inputs, TensorKind kind, CaseDtype dtype) =>
        RoundingBound.Compute(config, inputs).Between(kind, Arithmetic.For(dtype), Arithmetic.Float64);
}

using ConvCompare.Cases;
using ConvCompare.Cli;
using ConvCompare.Runner;
using global::ConvRef;

namespace ConvCompare.Tests.Harness;

/// <summary>
/// The harness's ConvRef engine calls the allocating entry points for a case with an even value seed
/// and the caller-owned-output ones (<c>ForwardInto</c>, <c>BackwardInto</c>) for an odd one: the two
/// give the same bits, and the default sweep judges both kinds, on every tier it mixes.
/// </summary>
public class ConvRefEngineTests
{
    [Theory]
    [InlineData(Conv2dAlgorithm.Serial, false)]
    [InlineData(Conv2dAlgorithm.Vectorized, false)]
    [InlineData(Conv2dAlgorithm.Vectorized, true)]
    public void IntoEntryPoints_GiveTheSameBitsAsTheAllocatingOnes(Conv2dAlgorithm algorithm, bool float64)
    {
        var dtype = float64 ? CaseDtype.F64 : CaseDtype.F32;
        // Bias, an activation below (delta^(l-1)) and clipping: every output BackwardInto writes.
        var odd = new CaseConfig(
            Shape: new(N: 2, Cin: 4, H: 9, W: 8, Cout: 6, KH: 3, KW: 2),
            Geometry: new() { StrideH = 2, StrideW = 1, PadTop = 1, PadBottom = 0, PadLeft = 2, PadRight = 1, DilationH = 1, DilationW = 2 },
            Bias: true, Dtype: dtype, Activation: ActivationKind.LeakyReLU, Clip: 0.05, ValueSeed: 7);
        var even = odd with { ValueSeed = 8 };
        Assert.True(ConvRefEngine.UsesInto(odd));
        Assert.False(ConvRefEngine.UsesInto(even));
        var inputs = CaseInputs.Create(odd);
        var engine = new ConvRefEngine(algorithm);
        var into = engine.Compute(odd, inputs, dtype);
        var allocating = engine.Compute(even, inputs, dtype);
        foreach (var kind in TensorKinds.All)
        {
            var a = into[kind]!.Data;
            var b = allocating[kind]!.Data;
            Assert.DoesNotContain(a, double.IsNaN);
            Assert.Equal(b.Select(BitConverter.DoubleToInt64Bits), a.Select(BitConverter.DoubleToInt64Bits));
        }
    }

    [Fact]
    public void DefaultSweep_JudgesBothEntryPointKinds_OnEveryTier()
    {
        var generator = new CaseGenerator(RunCommand.DefaultSeed);
        var cases = Enumerable.Range(0, RunCommand.DefaultCases).Select(i => (Tier: generator.TierOf(i), Into: ConvRefEngine.UsesInto(generator.Generate(i)))).ToList();
        foreach (var tier in new[] { CaseTier.Edge, CaseTier.Special, CaseTier.Realistic })
        {
            Assert.Contains(cases, c => c.Tier == tier && c.Into);
            Assert.Contains(cases, c => c.Tier == tier && !c.Into);
        }
    }
}

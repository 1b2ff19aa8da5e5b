using ConvCompare.Cases;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using ConvCompare.Runner;
using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;
using TorchSharp;

namespace ConvCompare.Tests.ConvRef.Family;

/// <summary>
/// Every operation of the family in every padding mode it takes, both algorithms in both precisions,
/// against the oracle <c>run</c> uses (<see cref="TorchOracle"/>: TorchSharp's own functions and
/// autograd) in float64 on the same values, within the harness's rounding bound between the two:
/// stride, dilation, padding per side, same and valid, output padding, groups and depthwise, bias,
/// unbatched inputs, the activations below and clipping, as the sweep draws them.
/// </summary>
public class FamilyTorchAgreementTests
{
    public static TheoryData<string> Cases() => FamilyCases.Drawn(seed: 1, perMode: 4, perTransposed: 8);

    [Theory]
    [MemberData(nameof(Cases))]
    public void BothAlgorithmsInBothPrecisions_MatchTorchFunctionsAndAutograd(string id)
    {
        var config = FamilyCases.Parse(id);
        var inputs = CaseInputs.Create(config);
        var expected = TorchFloat64(config, inputs);
        foreach (var algorithm in Enum.GetValues<Conv2dAlgorithm>())
            foreach (var dtype in new[] { CaseDtype.F32, CaseDtype.F64 })
                AgreementTolerances.AssertOutputsAgree($"{id} {algorithm} {dtype}", config, inputs, expected, Arithmetic.Float64,
                    new ConvRefEngine(algorithm).Compute(config, inputs, dtype), Arithmetic.For(dtype));
    }

    [Fact]
    public void TheCases_CoverEveryOperationModeActivationAndClipping()
    {
        var cases = FamilyCases.All(seed: 1, perMode: 4, perTransposed: 8).ToList();
        Assert.All(cases, c => Assert.Null(c.Problem));
        foreach (var op in CaseOps.All)
        {
            var ofOp = cases.Where(c => c.Op == op).ToList();
            foreach (var mode in op.Transposed() ? [CasePaddingMode.Zeros] : CaseOps.Modes)
                Assert.Contains(ofOp, c => c.PaddingMode == mode);
            foreach (var kind in Enum.GetValues<ActivationKind>())
                Assert.Contains(ofOp, c => c.Activation == kind);
            Assert.Contains(ofOp, c => c.Clip is not null);
            Assert.Contains(ofOp, c => c.Clip is null);
        }
    }

    internal static CaseOutputs TorchFloat64(CaseConfig config, CaseInputs inputs)
    {
        using var scope = torch.NewDisposeScope();
        return new TorchOracle().Compute(config, inputs, CaseDtype.F64);
    }
}

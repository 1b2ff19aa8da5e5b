using ConvCompare.Cases;
using ConvCompare.Oracles;
using ConvCompare.Runner;
using global::ConvRef;

namespace ConvCompare.Tests.Harness;

/// <summary>
/// An oracle that is right by construction: the compensated reference rounded to the computing dtype
/// (at second order also the definition-level double backward, <see cref="DoubleBackwardReference"/>).
/// Arbitration tests plant errors in it instead of in TorchSharp, whose float32 convolution is itself
/// wrong for some shapes on some CPUs (docs/platform.md), so that what they prove does not depend on
/// which CPU runs them.
/// </summary>
internal sealed class ReferenceOracle : ILayerEngine
{
    public string Name => "torch";

    public CaseOutputs Compute(CaseConfig config, CaseInputs inputs, CaseDtype dtype)
    {
        Tensor<double> Rounded(TensorKind kind)
        {
            var exact = CompensatedReference.Compute(config, inputs, kind);
            return new Tensor<double>([.. exact.Shape], Array.ConvertAll(exact.Data, v => CaseInputs.Round(v, dtype)));
        }
        return new CaseOutputs(Rounded(TensorKind.Y), Rounded(TensorKind.Dx), Rounded(TensorKind.Dw), config.Bias ? Rounded(TensorKind.Db) : null)
        {
            SecondOrder = config.Order == 2
                ? new SecondOrderOutputs(Rounded(TensorKind.D2x), Rounded(TensorKind.D2w), Rounded(TensorKind.D2dy))
                {
                    PreviousZ = TensorKinds.Judged(config).Contains(TensorKind.D2z) ? Rounded(TensorKind.D2z) : null,
                }
                : null,
        };
    }
}

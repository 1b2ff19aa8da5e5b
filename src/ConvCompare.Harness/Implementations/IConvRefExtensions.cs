using ConvCompare.Cases;

namespace ConvCompare.Implementations;

/// <summary>
/// What ConvRef computes beyond the public <see cref="IConv2dImplementation"/>: the other operations of
/// the convolution family (1-D, 3-D, transposed, padding modes, unbatched) and the double backward of
/// conv2d and of the family. The public interface describes a conv2d layer's first order only; until it describes
/// N-dimensional and second-order problems, the harness reaches ConvRef's through this seam, and an
/// implementation without it is given neither kind of case (<see cref="ImplementationEngine.Supports"/>).
/// </summary>
internal interface IConvRefExtensions
{
    /// <summary>y and the first-order gradients of a case of the convolution family (<see cref="CaseConfig.Family"/>), in <paramref name="dtype"/>.</summary>
    CaseOutputs ComputeFamily(CaseConfig config, CaseInputs inputs, CaseDtype dtype);

    /// <summary>The double backward of a case (conv2d or one of the family) given its upstream gradients <see cref="CaseInputs.SecondOrder"/>, in <paramref name="dtype"/>.</summary>
    SecondOrderOutputs DoubleBackward(CaseConfig config, CaseInputs inputs, CaseDtype dtype);
}

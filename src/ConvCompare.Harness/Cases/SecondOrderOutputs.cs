using ConvRef;

namespace ConvCompare.Cases;

/// <summary>
/// What one implementation's double backward returned for a case, widened to float64: the gradients of
/// L = &lt;gg_a, dJ/da&gt; + &lt;gg_w, dJ/dw&gt; + &lt;gg_b, dJ/db&gt; (<see cref="SecondOrderUpstream"/>) with respect to
/// the backward pass's inputs.
/// </summary>
/// <param name="Input">dL/da (<see cref="TensorKind.D2x"/>), N x C_in x H x W.</param>
/// <param name="Weights">dL/dw (<see cref="TensorKind.D2w"/>), C_out x C_in/G x kH x kW.</param>
/// <param name="Delta">dL/d(dy) (<see cref="TensorKind.D2dy"/>), N x C_out x H_out x W_out.</param>
internal sealed record SecondOrderOutputs(Tensor<double> Input, Tensor<double> Weights, Tensor<double> Delta)
{
    /// <summary>dL/dz^(l-1) (<see cref="TensorKind.D2z"/>), shaped like a, when the case has an activation below; else null.</summary>
    public Tensor<double>? PreviousZ { get; init; }
}

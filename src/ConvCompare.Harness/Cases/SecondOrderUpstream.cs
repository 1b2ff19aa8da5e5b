using ConvRef;

namespace ConvCompare.Cases;

/// <summary>
/// The upstream gradients a second-order case gives its backward pass's outputs, as PyTorch's gradgradcheck
/// draws them: L = &lt;gg_a, dJ/da&gt; + &lt;gg_w, dJ/dw&gt; + &lt;gg_b, dJ/db&gt;, where dJ/da is delta^(l-1) = dJ/da .* g'(z)
/// when the case has an activation. Values exact in the case's dtype, like every other input.
/// </summary>
/// <param name="Input">gg_a, N x C_in x H x W.</param>
/// <param name="Weights">gg_w, C_out x C_in/G x kH x kW.</param>
/// <param name="Bias">gg_b, length C_out, or null without bias.</param>
internal sealed record SecondOrderUpstream(Tensor<double> Input, Tensor<double> Weights, Tensor<double>? Bias);

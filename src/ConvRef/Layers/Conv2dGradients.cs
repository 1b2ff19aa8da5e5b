using System.Numerics;

namespace ConvRef;

/// <summary>The gradients a convolution layer's backward pass produces.</summary>
/// <param name="Input">dJ/da^(l-1) (Eq 5/8), or the composite delta^(l-1) = dJ/da .* g'(z^(l-1)) (Eq 6/8) when an activation was given; shape N x C_in x H x W.</param>
/// <param name="Weights">dJ/dw (Eq 3/7), clipped when a clip value was given; shape C_out x C_in/G x kH x kW.</param>
/// <param name="Bias">dJ/db (Eq 9), length C_out; null when the layer has no bias.</param>
public sealed record Conv2dGradients<T>(Tensor<T> Input, Tensor<T> Weights, Tensor<T>? Bias)
    where T : unmanaged, IFloatingPointIeee754<T>;

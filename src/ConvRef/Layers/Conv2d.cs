using System.Numerics;

namespace ConvRef;

/// <summary>The gradients a convolution layer's backward pass produces.</summary>
/// <param name="Input">dJ/da^(l-1) (Eq 5/8), or the composite delta^(l-1) = dJ/da .* g'(z^(l-1)) (Eq 6/8) when an activation was given; shape N x C_in x H x W.</param>
/// <param name="Weights">dJ/dw (Eq 3/7), clipped when a clip value was given; shape C_out x C_in/G x kH x kW.</param>
/// <param name="Bias">dJ/db (Eq 9), length C_out; null when the layer has no bias.</param>
public sealed record Conv2dGradients<T>(Tensor<T> Input, Tensor<T> Weights, Tensor<T>? Bias)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>The entry points of ConvRef's 2-D convolution layer.</summary>
public static class Conv2d
{
    /// <summary>Forward pass, Eq 1 generalized: z = a (x) w + b.</summary>
    public static Tensor<T> Forward<T>(Tensor<T> input, Tensor<T> weights, Tensor<T>? bias, Conv2dSpec spec,
        Conv2dAlgorithm algorithm = Conv2dAlgorithm.Vectorized, Conv2dLimits? limits = null)
        where T : unmanaged, IFloatingPointIeee754<T>
        => throw new NotImplementedException();

    /// <summary>Backward pass for an upstream error delta = dJ/dz.</summary>
    public static Conv2dGradients<T> Backward<T>(Tensor<T> input, Tensor<T> weights, bool hasBias, Tensor<T> delta,
        Conv2dSpec spec, BackwardOptions<T>? options = null,
        Conv2dAlgorithm algorithm = Conv2dAlgorithm.Vectorized, Conv2dLimits? limits = null)
        where T : unmanaged, IFloatingPointIeee754<T>
        => throw new NotImplementedException();
}

/// <summary>What the backward pass adds beyond dJ/da, dJ/dw, dJ/db.</summary>
public sealed record BackwardOptions<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The activation g of the layer below; with <see cref="PreviousZ"/> the backward pass returns delta^(l-1) (Eq 6/8).</summary>
    public Activation PreviousActivation { get; init; } = Activation.Identity;

    /// <summary>z^(l-1), the pre-activation of the layer below (input = g(z^(l-1))); required unless the activation is the identity.</summary>
    public Tensor<T>? PreviousZ { get; init; }

    /// <summary>Clip dJ/dw to [-c, c], as the derivation's <c>clipvalue</c> does; null for no clipping.</summary>
    public T? ClipValue { get; init; }
}

/// <summary>Guards every entry point applies before it allocates or computes.</summary>
public sealed record Conv2dLimits
{
    /// <summary>Largest tensor (in bytes) an entry point will allocate; larger requests are refused up front. Default 2 GiB.</summary>
    public long MaxTensorBytes { get; init; } = 2L << 30;

    /// <summary>Reject NaN/Inf inputs with the first offending index; by default they compute through as IEEE 754 does.</summary>
    public bool RejectNonFinite { get; init; }

    /// <summary>The defaults.</summary>
    public static Conv2dLimits Default { get; } = new();
}

/// <summary>An activation g with its parameter (the slope of leaky ReLU).</summary>
/// <param name="Kind">Which function.</param>
/// <param name="NegativeSlope">Leaky ReLU's slope for z &lt;= 0 (PyTorch's default 0.01); ignored by the others.</param>
public readonly record struct Activation(ActivationKind Kind, double NegativeSlope = 0.01)
{
    /// <summary>g(z) = z.</summary>
    public static Activation Identity => new(ActivationKind.Identity);

    /// <summary>g(z) applied to one value.</summary>
    public T Apply<T>(T z) where T : unmanaged, IFloatingPointIeee754<T> => throw new NotImplementedException();

    /// <summary>g'(z) for one value.</summary>
    public T Derivative<T>(T z) where T : unmanaged, IFloatingPointIeee754<T> => throw new NotImplementedException();
}

using System.Numerics;

namespace ConvRef;

/// <summary>What the backward pass adds beyond dJ/da, dJ/dw, dJ/db.</summary>
public sealed record BackwardOptions<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The activation g of the layer below; with <see cref="PreviousZ"/> the backward pass returns delta^(l-1) (Eq 6/8).</summary>
    public Activation PreviousActivation { get; init; } = Activation.Identity;

    /// <summary>z^(l-1), the pre-activation of the layer below (input = g(z^(l-1))), shape N x C_in x H x W; required unless the activation is the identity.</summary>
    public Tensor<T>? PreviousZ { get; init; }

    /// <summary>
    /// Clip dJ/dw (summed over the batch) to [-c, c], as the derivation's <c>clipvalue</c> does; null for
    /// no clipping. dJ/da and dJ/db are never clipped. Must be &gt; 0 and finite.
    /// </summary>
    public T? ClipValue { get; init; }

    /// <summary>No activation, no clipping.</summary>
    public static BackwardOptions<T> None { get; } = new();
}

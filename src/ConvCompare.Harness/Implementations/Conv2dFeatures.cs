namespace ConvCompare.Implementations;

/// <summary>
/// What a conv2d layer may ask of an implementation beyond a plain stride-1, unpadded, ungrouped
/// convolution without bias. An implementation declares the ones it handles
/// (<see cref="IConv2dImplementation.Features"/>); a case that needs one it lacks is not given to it,
/// rather than counted as its failure.
/// </summary>
[Flags]
public enum Conv2dFeatures
{
    /// <summary>Only the plain convolution.</summary>
    None = 0,

    /// <summary>A bias b added to every output of a channel.</summary>
    Bias = 1,

    /// <summary>A stride greater than 1 along either axis.</summary>
    Stride = 2,

    /// <summary>Zero padding, the same on both sides of each axis.</summary>
    Padding = 4,

    /// <summary>Zero padding that differs between top and bottom or left and right.</summary>
    AsymmetricPadding = 8,

    /// <summary>A kernel dilation greater than 1 along either axis.</summary>
    Dilation = 16,

    /// <summary>More than one group (grouped and depthwise convolutions).</summary>
    Groups = 32,

    /// <summary>
    /// The activation g of the layer below: the input gradient written is delta^(l-1) = dJ/da .* g'(z^(l-1))
    /// from z^(l-1) (Eq 6/8) instead of dJ/da^(l-1).
    /// </summary>
    PreviousActivation = 64,

    /// <summary>dJ/dw clamped to [-c, c] after it is computed.</summary>
    GradientClip = 128,

    /// <summary>Every feature above.</summary>
    All = Bias | Stride | Padding | AsymmetricPadding | Dilation | Groups | PreviousActivation | GradientClip,
}

namespace ConvCompare.Implementations;

/// <summary>What the border around the input holds, PyTorch's <c>padding_mode</c>.</summary>
public enum ConvolutionPaddingMode
{
    /// <summary>Zeros: the border contributes nothing, and receives no gradient.</summary>
    Zeros,

    /// <summary>The input mirrored at its edge, the edge not repeated; the border's gradient folds back onto the elements it copies.</summary>
    Reflect,

    /// <summary>The edge element repeated; the border's gradient adds into the edge element.</summary>
    Replicate,

    /// <summary>The input wrapped around; the border's gradient adds into the elements at the other end.</summary>
    Circular,
}

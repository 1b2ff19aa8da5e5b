namespace ConvRef;

/// <summary>What the border around the input holds, PyTorch's <c>padding_mode</c>.</summary>
/// <remarks>
/// For a non-zero mode the padded input is a copy of input elements, so the backward pass folds the
/// border's gradient back onto the elements it copied: reflect and replicate add it into elements near
/// the border, circular into those at the opposite end.
/// </remarks>
public enum PaddingMode
{
    /// <summary>Zeros (the derivation's padding).</summary>
    Zeros,

    /// <summary>The input mirrored at its border, without repeating the edge: [a b c] padded by 2 is [c b | a b c | b a].</summary>
    Reflect,

    /// <summary>The edge element repeated: [a b c] padded by 2 is [a a | a b c | c c].</summary>
    Replicate,

    /// <summary>The input wrapped around: [a b c] padded by 2 is [b c | a b c | a b].</summary>
    Circular,
}

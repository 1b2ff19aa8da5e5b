namespace ConvCompare.Cases;

/// <summary>
/// What the border around a family case's input holds, PyTorch's <c>padding_mode</c>, in the harness's own
/// words: the judge reads it and may use no ConvRef type but plain data; <see cref="CaseFamily.Spec"/> names
/// ConvRef's equivalent for the engines under test.
/// </summary>
internal enum CasePaddingMode
{
    /// <summary>Zeros.</summary>
    Zeros,
    /// <summary>The input mirrored at its edge, the edge not repeated.</summary>
    Reflect,
    /// <summary>The edge element repeated.</summary>
    Replicate,
    /// <summary>The input wrapped around.</summary>
    Circular,
}

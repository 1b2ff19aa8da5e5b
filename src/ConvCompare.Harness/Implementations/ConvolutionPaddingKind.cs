namespace ConvCompare.Implementations;

/// <summary>
/// How a problem's padding was spelled, as PyTorch takes it. Whatever the spelling,
/// <see cref="ConvolutionProblem.PadBefore"/> and <see cref="ConvolutionProblem.PadAfter"/> hold the pads
/// it means, so an implementation may read those alone.
/// </summary>
public enum ConvolutionPaddingKind
{
    /// <summary>Integers before and after each axis.</summary>
    Explicit,

    /// <summary><c>'same'</c>: stride 1, dilation * (k - 1) in all per axis, half before and the extra one after.</summary>
    Same,

    /// <summary><c>'valid'</c>: no padding.</summary>
    Valid,
}

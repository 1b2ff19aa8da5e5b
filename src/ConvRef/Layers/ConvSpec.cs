namespace ConvRef;

/// <summary>
/// The hyperparameters of any convolution of the family (<see cref="Convolution"/>), as PyTorch's
/// <c>torch.nn.functional.conv*d</c>, <c>conv_transpose*d</c> and the modules' <c>padding_mode</c> have them.
/// Every per-axis value is one integer for every spatial axis or one per axis (depth, height, width), as
/// PyTorch accepts <c>int</c> or a tuple.
/// </summary>
public sealed record ConvSpec
{
    /// <summary>Stride per axis; default 1.</summary>
    public IReadOnlyList<int> Stride { get; init; } = [1];

    /// <summary>Padding: integers (per axis or per side), same or valid; default none.</summary>
    public ConvPadding Padding { get; init; } = ConvPadding.None;

    /// <summary>Dilation per axis (distance between kernel taps); default 1.</summary>
    public IReadOnlyList<int> Dilation { get; init; } = [1];

    /// <summary>Number of groups G; the input and output channels must both be divisible by it.</summary>
    public int Groups { get; init; } = 1;

    /// <summary>What the padding holds; transposed convolutions take zeros only, as in PyTorch.</summary>
    public PaddingMode PaddingMode { get; init; } = PaddingMode.Zeros;

    /// <summary>
    /// Transposed convolutions only: elements added to one side (the end) of each output axis, which
    /// picks among the output sizes a strided convolution maps to the same input size; each must be
    /// smaller than the stride or the dilation of its axis. Default 0.
    /// </summary>
    public IReadOnlyList<int> OutputPadding { get; init; } = [0];

    /// <summary>Stride 1, no padding, dilation 1, one group, zeros.</summary>
    public static ConvSpec Default { get; } = new();

    /// <inheritdoc/>
    public bool Equals(ConvSpec? other) =>
        other is not null && Stride.SequenceEqual(other.Stride) && Padding.Equals(other.Padding) && Dilation.SequenceEqual(other.Dilation)
        && Groups == other.Groups && PaddingMode == other.PaddingMode && OutputPadding.SequenceEqual(other.OutputPadding);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Stride.Count == 0 ? 0 : Stride[0], Padding, Groups, PaddingMode);
}

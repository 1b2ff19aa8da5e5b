namespace ConvRef;

/// <summary>How <see cref="ConvPadding"/> was given.</summary>
public enum ConvPaddingKind
{
    /// <summary>Integers: elements added before and after the input on each spatial axis.</summary>
    Explicit,

    /// <summary>
    /// PyTorch's <c>padding='same'</c>: the output is as large as the input (stride 1 only); an axis gets
    /// dilation·(k - 1) elements in all, half of them before and the rest (one more for an odd total)
    /// after, i.e. the extra on the bottom/right for even kernels.
    /// </summary>
    Same,

    /// <summary>PyTorch's <c>padding='valid'</c>: no padding.</summary>
    Valid,
}

/// <summary>
/// The padding of a convolution as PyTorch spells it: integers (<see cref="Of"/>, one for every axis or
/// one per axis, the same on both sides), integers per side (<see cref="PerSide"/>, what PyTorch reaches
/// with an explicit <c>F.pad</c>), <see cref="Same"/> or <see cref="Valid"/>. Axes are in the input's order
/// (depth, height, width).
/// </summary>
public sealed record ConvPadding
{
    private ConvPadding(ConvPaddingKind kind, int[] before, int[] after)
    {
        Kind = kind;
        Before = before;
        After = after;
    }

    /// <summary>Explicit, same or valid.</summary>
    public ConvPaddingKind Kind { get; }

    /// <summary>Elements added before the input (top, left, front): one value for every axis or one per axis; empty unless explicit.</summary>
    public IReadOnlyList<int> Before { get; }

    /// <summary>Elements added after the input (bottom, right, back), as <see cref="Before"/>.</summary>
    public IReadOnlyList<int> After { get; }

    /// <summary><c>padding='same'</c>.</summary>
    public static ConvPadding Same { get; } = new(ConvPaddingKind.Same, [], []);

    /// <summary><c>padding='valid'</c>.</summary>
    public static ConvPadding Valid { get; } = new(ConvPaddingKind.Valid, [], []);

    /// <summary>No padding, as an explicit 0.</summary>
    public static ConvPadding None { get; } = Of(0);

    /// <summary>PyTorch's <c>padding=p</c> or <c>padding=(pD, pH, pW)</c>: the same amount on both sides of each axis.</summary>
    public static ConvPadding Of(params int[] perAxis)
    {
        ArgumentNullException.ThrowIfNull(perAxis);
        return new(ConvPaddingKind.Explicit, [.. perAxis], [.. perAxis]);
    }

    /// <summary>Different amounts before and after: <paramref name="before"/>[i] and <paramref name="after"/>[i] on axis i.</summary>
    public static ConvPadding PerSide(int[] before, int[] after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return new(ConvPaddingKind.Explicit, [.. before], [.. after]);
    }

    /// <summary><c>same</c>, <c>valid</c>, <c>[1,2]</c> when symmetric, <c>[1,2]/[0,3]</c> (before/after) otherwise.</summary>
    public override string ToString() => Kind switch
    {
        ConvPaddingKind.Same => "same",
        ConvPaddingKind.Valid => "valid",
        _ when Before.SequenceEqual(After) => Tensor<float>.Format(Before),
        _ => Tensor<float>.Format(Before) + "/" + Tensor<float>.Format(After),
    };

    /// <inheritdoc/>
    public bool Equals(ConvPadding? other) =>
        other is not null && Kind == other.Kind && Before.SequenceEqual(other.Before) && After.SequenceEqual(other.After);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Before.Count == 0 ? 0 : Before[0], After.Count == 0 ? 0 : After[0]);
}

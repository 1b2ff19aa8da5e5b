using ConvRef;

namespace ConvCompare.Cases;

/// <summary>
/// Where a case's kernel window goes: stride (sH, sW), zero padding (top, bottom, left, right),
/// dilation (dH, dW) and groups G, with ConvRef's defaults (stride 1, no padding, dilation 1, one group).
/// The harness keeps its own copy of these numbers because the judge (bounds, reference) reads them
/// and must use no ConvRef code; <see cref="Spec"/> and <see cref="Of"/> convert at the edge.
/// </summary>
internal sealed record CaseGeometry
{
    /// <summary>Vertical stride sH.</summary>
    public int StrideH { get; init; } = 1;

    /// <summary>Horizontal stride sW.</summary>
    public int StrideW { get; init; } = 1;

    /// <summary>Zero rows above the input.</summary>
    public int PadTop { get; init; }

    /// <summary>Zero rows below the input.</summary>
    public int PadBottom { get; init; }

    /// <summary>Zero columns left of the input.</summary>
    public int PadLeft { get; init; }

    /// <summary>Zero columns right of the input.</summary>
    public int PadRight { get; init; }

    /// <summary>Vertical dilation dH.</summary>
    public int DilationH { get; init; } = 1;

    /// <summary>Horizontal dilation dW.</summary>
    public int DilationW { get; init; } = 1;

    /// <summary>Groups G (depthwise when G = C_in).</summary>
    public int Groups { get; init; } = 1;

    /// <summary>Stride 1, no padding, dilation 1, one group.</summary>
    public static CaseGeometry Default { get; } = new();

    /// <summary>The same geometry as ConvRef takes it.</summary>
    public Conv2dSpec Spec => new()
    {
        StrideH = StrideH, StrideW = StrideW,
        PadTop = PadTop, PadBottom = PadBottom, PadLeft = PadLeft, PadRight = PadRight,
        DilationH = DilationH, DilationW = DilationW, Groups = Groups,
    };

    /// <summary>The geometry of ConvRef's <paramref name="spec"/>.</summary>
    public static CaseGeometry Of(Conv2dSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new()
        {
            StrideH = spec.StrideH, StrideW = spec.StrideW,
            PadTop = spec.PadTop, PadBottom = spec.PadBottom, PadLeft = spec.PadLeft, PadRight = spec.PadRight,
            DilationH = spec.DilationH, DilationW = spec.DilationW, Groups = spec.Groups,
        };
    }
}

namespace ConvRef;

/// <summary>
/// How a rule's sentence names a hyperparameter. The words depend on the rank alone, as PyTorch's
/// F.pad order names the sides (stride_h, pad_top, rows; pad_front and planes for depth; plain stride
/// and positions for 1-D); the parameter name depends on the spec type the caller used
/// (<c>spec.StrideH</c> for <see cref="Conv2dSpec"/>, <c>spec.Stride</c> for <see cref="ConvSpec"/>).
/// </summary>
internal sealed class SpecNames
{
    private static readonly string[][] Suffixes = [[""], ["_h", "_w"], ["_d", "_h", "_w"]];
    private static readonly string[][] Nouns = [["positions"], ["rows", "columns"], ["planes", "rows", "columns"]];
    private static readonly string[][] Sides = [["left", "right"], ["top", "bottom", "left", "right"], ["front", "back", "top", "bottom", "left", "right"]];
    private static readonly string[] PropertySuffixes = ["H", "W"];
    private static readonly string[] SideProperties = ["PadTop", "PadBottom", "PadLeft", "PadRight"];

    private readonly bool _twoDimensionalSpec;

    private SpecNames(int rank, bool twoDimensionalSpec)
    {
        Rank = rank;
        _twoDimensionalSpec = twoDimensionalSpec;
    }

    /// <summary>For <see cref="Conv2dSpec"/>: one property per axis and side.</summary>
    public static SpecNames Conv2dSpec { get; } = new(2, true);

    /// <summary>For <see cref="ConvSpec"/> of the given rank.</summary>
    public static SpecNames ConvSpec(int rank) => new(rank, false);

    public int Rank { get; }

    /// <summary>stride_h, dilation_w, output_padding_d, or the bare name in 1-D.</summary>
    public string Label(string name, int axis) => name + Suffixes[Rank - 1][axis];

    /// <summary>pad_top, pad_back, ...: side 0 is before the input, 1 after.</summary>
    public string PadLabel(int axis, int side) => "pad_" + Sides[Rank - 1][2 * axis + side];

    /// <summary>rows, columns, planes, positions.</summary>
    public string Noun(int axis) => Nouns[Rank - 1][axis];

    /// <summary>The spec property an axis value comes from: spec.StrideH or spec.Stride.</summary>
    public string Parameter(string property, int axis) =>
        "spec." + property + (_twoDimensionalSpec ? PropertySuffixes[axis] : "");

    /// <summary>The spec property a padding side comes from: spec.PadTop or spec.Padding.</summary>
    public string PadParameter(int axis, int side) => _twoDimensionalSpec ? "spec." + SideProperties[2 * axis + side] : "spec.Padding";

    /// <summary>The parameter of a rule about several values together: spec (Conv2dSpec) or the ConvSpec property given.</summary>
    public string Whole(string property) => _twoDimensionalSpec ? "spec" : "spec." + property;
}

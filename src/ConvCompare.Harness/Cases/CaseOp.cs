using ConvRef;

namespace ConvCompare.Cases;

/// <summary>Which operation of the convolution family a case runs, named as PyTorch's functions.</summary>
internal enum CaseOp
{
    /// <summary><c>conv1d</c>: input N x C_in x L.</summary>
    Conv1d,
    /// <summary><c>conv2d</c>: input N x C_in x H x W.</summary>
    Conv2d,
    /// <summary><c>conv3d</c>: input N x C_in x D x H x W.</summary>
    Conv3d,
    /// <summary><c>conv_transpose1d</c>: weights C_in x C_out/G x k.</summary>
    ConvTranspose1d,
    /// <summary><c>conv_transpose2d</c>: weights C_in x C_out/G x kH x kW.</summary>
    ConvTranspose2d,
    /// <summary><c>conv_transpose3d</c>: weights C_in x C_out/G x kD x kH x kW.</summary>
    ConvTranspose3d,
}

/// <summary>Names, rank and kind of each <see cref="CaseOp"/>, and the tokens of padding modes in ids and reports.</summary>
internal static class CaseOps
{
    /// <summary>Every operation's name, in <see cref="CaseOp"/> order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"];

    /// <summary>Every operation.</summary>
    public static IReadOnlyList<CaseOp> All { get; } = Enum.GetValues<CaseOp>();

    /// <summary>PyTorch's name of <paramref name="op"/>.</summary>
    public static string Name(this CaseOp op) => Names[(int)op];

    /// <summary>Spatial axes: 1, 2 or 3.</summary>
    public static int Rank(this CaseOp op) => (int)op % 3 + 1;

    /// <summary>Whether <paramref name="op"/> is a transposed convolution.</summary>
    public static bool Transposed(this CaseOp op) => op >= CaseOp.ConvTranspose1d;

    /// <summary>The operation called <paramref name="name"/>, or null.</summary>
    public static CaseOp? Parse(string name)
    {
        int index = Names.ToList().IndexOf(name);
        return index >= 0 ? (CaseOp)index : null;
    }

    /// <summary>ConvRef's declaration of <paramref name="op"/>, the one of PyTorch's name: where the engines under test are called, never the judge.</summary>
    public static Convolution Convolution(this CaseOp op) => ConvRef.Convolution.All.Single(c => c.Name == op.Name());

    /// <summary>The token of a padding mode in ids and reports: zeros, reflect, replicate, circular.</summary>
    public static string Token(this CasePaddingMode mode) => mode switch
    {
        CasePaddingMode.Zeros => "zeros",
        CasePaddingMode.Reflect => "reflect",
        CasePaddingMode.Replicate => "replicate",
        CasePaddingMode.Circular => "circular",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown padding mode"),
    };

    /// <summary>Every padding mode.</summary>
    public static IReadOnlyList<CasePaddingMode> Modes { get; } = Enum.GetValues<CasePaddingMode>();

    /// <summary>The padding mode whose token is <paramref name="token"/>; zeros for an empty one.</summary>
    public static CasePaddingMode ParseMode(string token) => token switch
    {
        "" or "zeros" => CasePaddingMode.Zeros,
        "reflect" => CasePaddingMode.Reflect,
        "replicate" => CasePaddingMode.Replicate,
        "circular" => CasePaddingMode.Circular,
        _ => throw new ArgumentException($"no padding mode is called '{token}'", nameof(token)),
    };
}

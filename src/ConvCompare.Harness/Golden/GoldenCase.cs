using ConvCompare.Cases;
using ConvRef;

namespace ConvCompare.Golden;

/// <summary>
/// One case of the convolution family with expected values (conv2d unless <see cref="Family"/> says otherwise): inputs x, w, b and the upstream gradient dy, and the
/// expected y = conv2d(x, w, b) (Eq 1) and gradients dx (Eq 5/8), dw (Eq 3/7), db (Eq 9) of
/// J = sum(y .* dy). Values are held as double; for float32 files every value is a float widened
/// exactly, so casting back to float recovers the stored bits.
/// </summary>
/// <param name="Name">The case's name (the file name without extension).</param>
/// <param name="Dtype">The precision the tensors are stored in, and the one ConvRef computes in.</param>
/// <param name="Spec">Stride, padding, dilation and groups (of the height and width axes for a family case).</param>
/// <param name="X">Input [N, C_in, H, W] (a family case: [N, C_in, spatial...], or unbatched [C_in, spatial...]).</param>
/// <param name="W">Weights [C_out, C_in/G, kH, kW] (a transposed case: [C_in, C_out/G, k...]).</param>
/// <param name="B">Bias [C_out], null without bias.</param>
/// <param name="Dy">Upstream gradient dJ/dy [N, C_out, H_out, W_out].</param>
/// <param name="Y">Expected output.</param>
/// <param name="Dx">Expected dJ/dx.</param>
/// <param name="Dw">Expected dJ/dw.</param>
/// <param name="Db">Expected dJ/db, null without bias.</param>
/// <param name="Source">Who produced the expected values (free text).</param>
internal sealed record GoldenCase(
    string Name, CaseDtype Dtype, Conv2dSpec Spec,
    Tensor<double> X, Tensor<double> W, Tensor<double>? B, Tensor<double> Dy,
    Tensor<double> Y, Tensor<double> Dx, Tensor<double> Dw, Tensor<double>? Db,
    string Source)
{
    /// <summary>The optional second-order entries: upstream gradients ggx, ggw, ggb; null in a first-order file.</summary>
    public SecondOrderUpstream? Gg { get; init; }

    /// <summary>The expected double backward d2x, d2w, d2dy; set exactly when <see cref="Gg"/> is.</summary>
    public SecondOrderOutputs? SecondOrderExpected { get; init; }

    /// <summary>
    /// The family part (operation, padding mode and spelling, unbatched input, output padding, depth axis) of a
    /// file in version 2 of the format; null for a batched, zero-padded conv2d, the only case of version 1.
    /// </summary>
    public CaseFamily? Family { get; init; }

    /// <summary>Whether the layer has a bias (then <see cref="B"/> and <see cref="Db"/> are set).</summary>
    public bool HasBias => B is not null;

    /// <summary>
    /// The case as the harness describes layers: no activation below (the format has none, so dx is
    /// dJ/dx), no clipping, value seed 0 (the values come from the file, not from a seed).
    /// </summary>
    public CaseConfig Config => new(
        Shape: Family is null
            ? new(N: X.Shape[0], Cin: X.Shape[1], H: X.Shape[2], W: X.Shape[3], Cout: W.Shape[0], KH: W.Shape[2], KW: W.Shape[3])
            : FamilyShape(Family),
        Geometry: CaseGeometry.Of(Spec), Bias: HasBias, Dtype: Dtype, Activation: ActivationKind.Identity, Clip: null, ValueSeed: 0)
    {
        Order = Gg is null ? 1 : 2,
        Family = Family,
    };

    /// <summary>
    /// The height and width axes' sizes of a family case, read off x and w: the spatial sizes are x's last
    /// dimensions (1-D has width alone, so height and kernel height are 1), C_out is w's first dimension, or
    /// its second times G for a transposed operation; depth and kernel depth are in <paramref name="family"/>.
    /// </summary>
    private CaseShape FamilyShape(CaseFamily family)
    {
        bool batched = family.Batched, planar = family.Op.Rank() >= 2;
        return new(N: batched ? X.Shape[0] : 1, Cin: X.Shape[batched ? 1 : 0], H: planar ? X.Shape[^2] : 1, W: X.Shape[^1],
            Cout: family.Op.Transposed() ? W.Shape[1] * Spec.Groups : W.Shape[0], KH: planar ? W.Shape[^2] : 1, KW: W.Shape[^1]);
    }

    /// <summary>x, w, b and dy (and the second-order upstream gradients) as the harness's engines take them.</summary>
    public CaseInputs Inputs => new(X, W, B, Dy, PreviousZ: null) { SecondOrder = Gg };

    /// <summary>The file's expected y, dx, dw, db (and second-order gradients).</summary>
    public CaseOutputs Expected => new(Y, Dx, Dw, Db) { SecondOrder = SecondOrderExpected };

    /// <summary>A golden case from a harness case and the outputs an oracle computed for it (the activation and clipping of <paramref name="config"/> must be off).</summary>
    public static GoldenCase From(string name, CaseConfig config, CaseInputs inputs, CaseOutputs expected, string source)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(expected);
        if (config.Activation != ActivationKind.Identity || config.Clip is not null)
            throw new ArgumentException("the golden format has no activation and no clipping", nameof(config));
        return new GoldenCase(name, config.Dtype, config.Spec, inputs.Input, inputs.Weights, inputs.Bias, inputs.Upstream,
            expected.Y, expected.InputGradient, expected.Dw, expected.Db, source)
        {
            Family = config.Family,
            Gg = inputs.SecondOrder,
            SecondOrderExpected = inputs.SecondOrder is null ? null : expected.SecondOrder,
        };
    }
}

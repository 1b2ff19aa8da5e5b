using ConvRef;

namespace ConvCompare.Golden;

/// <summary>The precision a golden file stores its tensors in.</summary>
internal enum GoldenDType
{
    Float32,
    Float64,
}

/// <summary>
/// One conv2d case with expected values: inputs x, w, b and the upstream gradient dy, and the
/// expected y = conv2d(x, w, b) (Eq 1) and gradients dx (Eq 5/8), dw (Eq 3/7), db (Eq 9) of
/// J = sum(y .* dy). Values are held as double; for float32 files every value is a float widened
/// exactly, so casting back to float recovers the stored bits.
/// </summary>
/// <param name="Name">The case's name (the file name without extension).</param>
/// <param name="DType">The precision the tensors are stored in, and the one ConvRef computes in.</param>
/// <param name="Spec">Stride, padding, dilation and groups.</param>
/// <param name="X">Input [N, C_in, H, W].</param>
/// <param name="W">Weights [C_out, C_in/G, kH, kW].</param>
/// <param name="B">Bias [C_out], null without bias.</param>
/// <param name="Dy">Upstream gradient dJ/dy [N, C_out, H_out, W_out].</param>
/// <param name="Y">Expected output.</param>
/// <param name="Dx">Expected dJ/dx.</param>
/// <param name="Dw">Expected dJ/dw.</param>
/// <param name="Db">Expected dJ/db, null without bias.</param>
/// <param name="Source">Who produced the expected values (free text).</param>
internal sealed record GoldenCase(
    string Name, GoldenDType DType, Conv2dSpec Spec,
    Tensor<double> X, Tensor<double> W, Tensor<double>? B, Tensor<double> Dy,
    Tensor<double> Y, Tensor<double> Dx, Tensor<double> Dw, Tensor<double>? Db,
    string Source)
{
    /// <summary>Whether the layer has a bias (then <see cref="B"/> and <see cref="Db"/> are set).</summary>
    public bool HasBias => B is not null;

    /// <summary>The expected tensors by their names in the format, in report order.</summary>
    public IEnumerable<(string Name, Tensor<double> Value)> Expected()
    {
        yield return (GoldenFormat.Y, Y);
        yield return (GoldenFormat.Dx, Dx);
        yield return (GoldenFormat.Dw, Dw);
        if (Db is not null)
            yield return (GoldenFormat.Db, Db);
    }
}

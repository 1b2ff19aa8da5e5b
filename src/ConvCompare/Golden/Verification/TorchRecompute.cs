using ConvRef;
using TorchSharp;
using static TorchSharp.torch;

namespace ConvCompare.Golden.Verification;

/// <summary>
/// Recomputes a golden case with TorchSharp autograd in the file's precision, so that <c>--torch</c>
/// checks the oracle itself against values from another framework (float32 files in float32, where
/// this machine's oneDNN float32 dJ/dx is known to be intermittently wrong: that shows up as an oracle fault).
/// </summary>
internal static class TorchRecompute
{
    /// <summary>y = conv2d(x, w, b) and the autograd gradients of J = sum(y .* dy).</summary>
    /// <remarks>Call <see cref="Oracles.TorchRuntime.EnsureLoaded"/> first.</remarks>
    public static GoldenComputation Run(GoldenCase golden)
    {
        using var scope = NewDisposeScope();
        var type = golden.DType == GoldenDType.Float32 ? ScalarType.Float32 : ScalarType.Float64;
        var x = ToTorch(golden.X, type).requires_grad_();
        var w = ToTorch(golden.W, type).requires_grad_();
        var b = golden.B is null ? null : ToTorch(golden.B, type).requires_grad_();
        var spec = golden.Spec;
        // conv2d pads symmetrically per axis only; asymmetric padding is an explicit zero pad (left, right, top, bottom) first.
        var padded = nn.functional.pad(x, [spec.PadLeft, spec.PadRight, spec.PadTop, spec.PadBottom]);
        var y = nn.functional.conv2d(padded, w, b, strides: [spec.StrideH, spec.StrideW],
            dilation: [spec.DilationH, spec.DilationW], groups: spec.Groups);
        y.backward([ToTorch(golden.Dy, type)]);
        return new GoldenComputation(FromTorch(y), FromTorch(x.grad!), FromTorch(w.grad!), b is null ? null : FromTorch(b.grad!));
    }

    private static Tensor ToTorch(Tensor<double> value, ScalarType type) =>
        tensor(value.Data, [.. value.Shape.Select(d => (long)d)], ScalarType.Float64).to_type(type);

    private static Tensor<double> FromTorch(Tensor value) =>
        new([.. value.shape.Select(d => (int)d)], value.detach().to_type(ScalarType.Float64).contiguous().data<double>().ToArray());
}

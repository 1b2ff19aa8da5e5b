using ConvCompare.Oracles;
using global::ConvRef;
using TorchSharp;
using static TorchSharp.torch;

namespace ConvCompare.Tests.ConvRef.Support;

/// <summary>
/// TorchSharp's conv2d and autograd on a <see cref="ConvCase"/>, always in float64 (on the same values
/// the float32 runs use: TorchSharp's own float32 input gradient is intermittently wrong on this CPU,
/// see docs/platform.md). Asymmetric padding goes through an explicit pad; the activation's derivative
/// comes from autograd through g; clipping is a clamp of the weight gradient.
/// </summary>
internal static class TorchReference
{
    public sealed record Result(double[] Z, double[] Input, double[] Weights, double[]? Bias);

    public static Result Compute(ConvCase c)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var a = tensor(c.Input, Longs(c.InputShape), requires_grad: true);
        var w = tensor(c.Weights, Longs(c.WeightShape), requires_grad: true);
        var b = c.Bias is null ? null : tensor(c.Bias, [c.Bias.Length], requires_grad: true);
        var s = c.Spec;
        var padded = nn.functional.pad(a, [s.PadLeft, s.PadRight, s.PadTop, s.PadBottom]);
        var z = nn.functional.conv2d(padded, w, b, strides: [s.StrideH, s.StrideW], padding: [0, 0],
            dilation: [s.DilationH, s.DilationW], groups: s.Groups);
        (z * tensor(c.Delta, Longs(c.OutputShape))).sum().backward();

        var inputGradient = a.grad!;
        if (c.PreviousZ is not null)
        {
            var previousZ = tensor(c.PreviousZ, Longs(c.InputShape), requires_grad: true);
            (Activate(previousZ, c.Activation) * inputGradient.detach()).sum().backward();
            inputGradient = previousZ.grad!;
        }
        var weightGradient = c.Clip is { } clip ? w.grad!.clamp(-clip, clip) : w.grad!;
        return new Result(Values(z.detach()), Values(inputGradient), Values(weightGradient), b is null ? null : Values(b.grad!));
    }

    private static Tensor Activate(Tensor z, Activation g) => g.Kind switch
    {
        ActivationKind.Identity => z,
        ActivationKind.ReLU => nn.functional.relu(z),
        ActivationKind.LeakyReLU => nn.functional.leaky_relu(z, g.NegativeSlope),
        ActivationKind.Sigmoid => sigmoid(z),
        ActivationKind.Tanh => tanh(z),
        _ => throw new ArgumentOutOfRangeException(nameof(g)),
    };

    private static long[] Longs(int[] shape) => [.. shape.Select(d => (long)d)];

    private static double[] Values(Tensor t) => t.to_type(ScalarType.Float64).data<double>().ToArray();
}

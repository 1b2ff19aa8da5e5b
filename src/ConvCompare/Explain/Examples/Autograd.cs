using ConvRef;
using TorchSharp;
using static TorchSharp.torch;

namespace ConvCompare.Explain.Examples;

/// <summary>
/// One layer for autograd to differentiate: z = conv2d(input or ReLU(input), w, b, stride), then
/// backward with the upstream error delta.
/// </summary>
/// <param name="Input">a^(l-1), or z^(l-1) when <paramref name="ReluBefore"/> (autograd then applies the ReLU itself).</param>
/// <param name="ReluBefore">Put a ReLU between <paramref name="Input"/> and the convolution, so the input gradient is δ^(l-1) (Eq 6/8).</param>
internal sealed record AutogradProblem(Tensor<double> Input, Tensor<double> Weights, Tensor<double>? Bias,
    Tensor<double> Delta, int Stride, bool ReluBefore);

/// <summary>What autograd returns: the forward output and the gradients with respect to the input, weights and bias.</summary>
internal sealed record AutogradResult(Tensor<double> Output, Tensor<double> InputGradient,
    Tensor<double> WeightGradient, Tensor<double>? BiasGradient);

/// <summary>Computes an <see cref="AutogradProblem"/>; tests substitute a wrong one to see the walk-through fail.</summary>
internal delegate AutogradResult AutogradOracle(AutogradProblem problem);

/// <summary>TorchSharp autograd in float64 (which on this CPU avoids oneDNN's intermittently wrong float32 input gradient).</summary>
internal static class TorchAutograd
{
    /// <summary>The real oracle.</summary>
    public static AutogradResult Compute(AutogradProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        using var scope = NewDisposeScope();
        var x = ToTorch(problem.Input, requiresGrad: true);
        var w = ToTorch(problem.Weights, requiresGrad: true);
        var b = problem.Bias is null ? null : ToTorch(problem.Bias, requiresGrad: true);
        var a = problem.ReluBefore ? nn.functional.relu(x) : x;
        var z = nn.functional.conv2d(a, w, b, strides: [problem.Stride, problem.Stride]);
        z.backward([ToTorch(problem.Delta, requiresGrad: false)]);
        return new AutogradResult(FromTorch(z), FromTorch(x.grad!), FromTorch(w.grad!),
            b is null ? null : FromTorch(b.grad!));
    }

    private static torch.Tensor ToTorch(Tensor<double> t, bool requiresGrad) =>
        tensor(t.Data, t.Shape.Select(d => (long)d).ToArray(), dtype: float64, requires_grad: requiresGrad);

    private static Tensor<double> FromTorch(torch.Tensor t) =>
        new(t.shape.Select(d => (int)d).ToArray(), t.detach().cpu().data<double>().ToArray());
}

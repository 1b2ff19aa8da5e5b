using ConvCompare.Oracles;
using global::ConvRef;
using TorchSharp;
using static TorchSharp.torch;

namespace ConvCompare.Tests.ConvRef.SecondOrder;

/// <summary>g'(z) and g''(z) of an activation by TorchSharp's autograd in float64: the derivative of g, then the derivative of that (create_graph: true).</summary>
internal static class TorchActivation
{
    public static (double[] First, double[] Second) Derivatives(Activation g, double[] z)
    {
        if (g.Kind == ActivationKind.Identity)
            return ([.. z.Select(_ => 1.0)], new double[z.Length]);
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var x = tensor(z, requires_grad: true);
        var first = autograd.grad([TorchConvolutions.Activate(g, x)], [x], [ones_like(x)], retain_graph: true, create_graph: true)[0];
        var second = autograd.grad([first], [x], [ones_like(x)], allow_unused: true)[0];
        double[] Values(Tensor? t) => t is null || t.IsInvalid ? new double[z.Length] : t.detach().data<double>().ToArray();
        return (Values(first), Values(second));
    }
}

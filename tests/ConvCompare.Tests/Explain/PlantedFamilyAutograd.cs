using ConvCompare.Explain.Examples;
using ConvCompare.Oracles;
using ConvRef;

namespace ConvCompare.Tests.Explain;

/// <summary>TorchSharp autograd for the family and second-order pages with one planted change to what it returns.</summary>
internal sealed class PlantedFamilyAutograd : IFamilyAutograd
{
    private readonly TorchFamilyAutograd _torch = new();

    /// <summary>What a first-order call was asked.</summary>
    public sealed record Call(Convolution Op, ConvSpec Spec, Tensor<double> Input, Tensor<double> Weights, Tensor<double> Upstream);

    /// <summary>Changes a first-order result; null leaves them alone.</summary>
    public Func<Call, TorchConvolutions.Result, TorchConvolutions.Result>? FirstOrder { get; init; }

    /// <summary>Changes the double backward's result; null leaves it alone.</summary>
    public Action<TorchDoubleBackward.Result>? SecondOrder { get; init; }

    public TorchConvolutions.Result Gradients(Convolution op, ConvSpec spec, Tensor<double> input, Tensor<double> weights, Tensor<double> upstream)
    {
        var result = _torch.Gradients(op, spec, input, weights, upstream);
        return FirstOrder is null ? result : FirstOrder(new Call(op, spec, input, weights, upstream), result);
    }

    public TorchDoubleBackward.Result DoubleBackward(Convolution op, ConvSpec spec, Tensor<double> input, Tensor<double> weights,
        Tensor<double> delta, Conv2dGradients<double> upstream)
    {
        var result = _torch.DoubleBackward(op, spec, input, weights, delta, upstream);
        SecondOrder?.Invoke(result);
        return result;
    }

    /// <summary>Adds 1 to the last element of <paramref name="t"/> and returns it.</summary>
    public static Tensor<double> OffByOne(Tensor<double> t)
    {
        t.Data[^1] += 1;
        return t;
    }
}

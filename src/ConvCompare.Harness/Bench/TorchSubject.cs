using ConvCompare.Implementations;
using TorchSharp;
using static TorchSharp.torch;

namespace ConvCompare.Bench;

/// <summary>TorchSharp's conv2d with autograd on the same inputs, in the given dtype.</summary>
/// <remarks>
/// The one TorchSharp call site outside <see cref="Oracles.TorchConvolutions"/>, on purpose: what is timed
/// must be libtorch's conv2d alone, with its arguments converted once before the clock starts, and bench
/// shapes pad symmetrically, so no <c>pad</c> is needed.
/// </remarks>
internal sealed class TorchSubject : IBenchSubject
{
    private readonly Tensor _input;
    private readonly Tensor _weights;
    private readonly Tensor _bias;
    private readonly Tensor _delta;
    private readonly long[] _stride;
    private readonly long[] _padding;
    private readonly long _groups;

    public TorchSubject(BenchShape shape, ScalarType dtype, BenchInputs inputs)
    {
        _input = From(inputs.Input, dtype).requires_grad_(true);
        _weights = From(inputs.Weights, dtype).requires_grad_(true);
        _bias = From(inputs.Bias, dtype).requires_grad_(true);
        _delta = From(inputs.Delta, dtype);
        _stride = [shape.Stride, shape.Stride];
        _padding = [shape.Padding, shape.Padding];
        _groups = shape.Groups;
    }

    public string Impl => BuiltInImplementations.OracleName;

    public void Run(BenchPass pass)
    {
        using var scope = NewDisposeScope();
        if (pass == BenchPass.Fwd)
        {
            using var noGrad = no_grad();
            nn.functional.conv2d(_input, _weights, _bias, strides: _stride, padding: _padding, groups: _groups);
            return;
        }
        var y = nn.functional.conv2d(_input, _weights, _bias, strides: _stride, padding: _padding, groups: _groups);
        var grads = autograd.grad([y], [_input, _weights, _bias], [_delta]);
        foreach (var g in grads)
            g.Dispose();
    }

    public void Dispose()
    {
        _input.Dispose();
        _weights.Dispose();
        _bias.Dispose();
        _delta.Dispose();
    }

    private static Tensor From(ConvRef.Tensor<double> t, ScalarType dtype) =>
        tensor(t.Data, t.Shape.Select(d => (long)d).ToArray()).to_type(dtype);
}

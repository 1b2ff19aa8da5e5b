using System.Numerics;
using ConvCompare.Implementations;
using ConvRef;

namespace ConvCompare.Bench;

/// <summary>One of ConvRef's registered algorithms on fixed random inputs, through its own caller-owned-output entry points.</summary>
internal sealed class ConvRefSubject<T> : IBenchSubject where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor<T> _input;
    private readonly Tensor<T> _weights;
    private readonly Tensor<T> _bias;
    private readonly Tensor<T> _delta;
    private readonly Tensor<T> _output;
    private readonly Conv2dGradients<T> _gradients;
    private readonly Conv2dSpec _spec;
    private readonly Conv2dAlgorithm _algorithm;
    private readonly string _name;
    private readonly Conv2dLimits _limits;

    /// <param name="shape">The convolution.</param>
    /// <param name="implementation">The registered ConvRef algorithm.</param>
    /// <param name="inputs">The values, converted to <typeparamref name="T"/>.</param>
    /// <param name="threads">Most threads the vectorized algorithm may use (the serial one uses one).</param>
    public ConvRefSubject(BenchShape shape, ConvRefImplementation implementation, BenchInputs inputs, int threads)
    {
        _algorithm = implementation.Algorithm;
        _name = implementation.Name;
        _limits = new Conv2dLimits { MaxThreads = threads };
        _spec = shape.Spec;
        _input = inputs.Input.Cast<T>();
        _weights = inputs.Weights.Cast<T>();
        _bias = inputs.Bias.Cast<T>();
        _delta = inputs.Delta.Cast<T>();
        // Outputs the caller owns, as a training loop would keep them: fresh memory per call costs a
        // page fault per 4 KiB on these machines and would measure the allocator, not the convolution.
        _output = Tensor<T>.Zeros([.. _delta.Shape]);
        _gradients = new Conv2dGradients<T>(Tensor<T>.Zeros([.. _input.Shape]), Tensor<T>.Zeros([.. _weights.Shape]), Tensor<T>.Zeros([.. _bias.Shape]));
    }

    public string Impl => _name;

    public void Run(BenchPass pass)
    {
        Conv2d.ForwardInto(_input, _weights, _bias, _spec, _output, _algorithm, _limits);
        if (pass == BenchPass.FwdBwd)
            Conv2d.BackwardInto(_input, _weights, _delta, _spec, _gradients, algorithm: _algorithm, limits: _limits);
    }

    public void Dispose()
    {
    }
}

using System.Numerics;
using ConvCompare.Implementations;

namespace ConvCompare.Bench;

/// <summary>
/// A registered implementation that is not one of ConvRef's algorithms, timed through
/// <see cref="IConv2dImplementation"/> on fixed random inputs, into outputs it keeps between calls as a
/// training loop would.
/// </summary>
internal sealed class ImplementationSubject<T> : IBenchSubject where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IConv2dImplementation _implementation;
    private readonly Conv2dProblem _problem;
    private readonly T[] _input;
    private readonly T[] _weights;
    private readonly T[] _bias;
    private readonly T[] _delta;
    private readonly T[] _output;
    private readonly T[] _inputGradient;
    private readonly T[] _weightGradient;
    private readonly T[] _biasGradient;

    /// <param name="shape">The convolution.</param>
    /// <param name="implementation">The implementation, already limited to the bench's thread count.</param>
    /// <param name="inputs">The values, converted to <typeparamref name="T"/>.</param>
    public ImplementationSubject(BenchShape shape, IConv2dImplementation implementation, BenchInputs inputs)
    {
        _implementation = implementation;
        _problem = new Conv2dProblem
        {
            Batch = shape.N, InputChannels = shape.InChannels, Height = shape.Height, Width = shape.Width,
            OutputChannels = shape.OutChannels, KernelHeight = shape.Kernel, KernelWidth = shape.Kernel,
            StrideH = shape.Stride, StrideW = shape.Stride,
            PadTop = shape.Padding, PadBottom = shape.Padding, PadLeft = shape.Padding, PadRight = shape.Padding,
            Groups = shape.Groups, HasBias = true,
        };
        _input = Array.ConvertAll(inputs.Input.Data, T.CreateChecked);
        _weights = Array.ConvertAll(inputs.Weights.Data, T.CreateChecked);
        _bias = Array.ConvertAll(inputs.Bias.Data, T.CreateChecked);
        _delta = Array.ConvertAll(inputs.Delta.Data, T.CreateChecked);
        _output = new T[_problem.OutputLength];
        _inputGradient = new T[_problem.InputLength];
        _weightGradient = new T[_problem.WeightLength];
        _biasGradient = new T[_problem.OutputChannels];
    }

    public string Impl => _implementation.Name;

    public void Run(BenchPass pass)
    {
        _implementation.Forward<T>(_problem, _input, _weights, _bias, _output);
        if (pass == BenchPass.FwdBwd)
            _implementation.Backward<T>(_problem, _input, _weights, _delta, [], _inputGradient, _weightGradient, _biasGradient);
    }

    public void Dispose()
    {
    }
}

using System.Numerics;
using ConvRef;

namespace ConvCompare.Bench;

/// <summary>ConvRef's serial or vectorized implementation on fixed random inputs.</summary>
internal sealed class ConvRefSubject<T> : IBenchSubject where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor<T> _input;
    private readonly Tensor<T> _weights;
    private readonly Tensor<T> _bias;
    private readonly Tensor<T> _delta;
    private readonly Conv2dSpec _spec;
    private readonly Conv2dAlgorithm _algorithm;

    public ConvRefSubject(BenchShape shape, Conv2dAlgorithm algorithm, BenchInputs inputs)
    {
        _algorithm = algorithm;
        _spec = new Conv2dSpec
        {
            StrideH = shape.Stride, StrideW = shape.Stride,
            PadTop = shape.Padding, PadBottom = shape.Padding, PadLeft = shape.Padding, PadRight = shape.Padding,
        };
        _input = inputs.Input.Cast<T>();
        _weights = inputs.Weights.Cast<T>();
        _bias = inputs.Bias.Cast<T>();
        _delta = inputs.Delta.Cast<T>();
    }

    public string Impl => _algorithm == Conv2dAlgorithm.Serial ? "serial" : "vectorized";

    public void Run(BenchPass pass)
    {
        Conv2d.Forward(_input, _weights, _bias, _spec, _algorithm);
        if (pass == BenchPass.FwdBwd)
            Conv2d.Backward(_input, _weights, hasBias: true, _delta, _spec, algorithm: _algorithm);
    }

    public void Dispose()
    {
    }
}

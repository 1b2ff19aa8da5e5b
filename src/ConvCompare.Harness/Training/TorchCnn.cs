using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConvCompare.Training;

/// <summary>
/// <see cref="SmallCnn"/> as <c>torch.nn</c> modules trained with <c>torch.optim.SGD</c>: the
/// independent implementation ConvRef's network is compared with.
/// </summary>
/// <remarks>
/// It always computes in float64: libtorch's float32 convolution input gradient is intermittently wrong
/// on this machine's CPU (see docs/platform.md). For a float32 comparison the parameters are rounded to float32
/// after every step and the inputs are float32 values, so both sides hold float32 parameters; TorchSharp's
/// extra precision inside a step is then one more rounding difference the float32 bound covers.
/// </remarks>
internal sealed class TorchCnn : IDisposable
{
    private readonly Sequential _model;
    private readonly optim.Optimizer _optimizer;
    private readonly Parameter[] _parameters;
    private readonly double? _clip;
    private readonly bool _float32Parameters;

    public TorchCnn(double[][] initial, double learningRate, double momentum, double? clip, bool float32Parameters)
    {
        _model = nn.Sequential(
            ("conv1", nn.Conv2d(1, SmallCnn.Conv1Channels, SmallCnn.Kernel, padding: 1, dtype: float64)),
            ("relu1", nn.ReLU()),
            ("pool", nn.MaxPool2d(2)),
            ("conv2", nn.Conv2d(SmallCnn.Conv1Channels, SmallCnn.Conv2Channels, SmallCnn.Kernel, stride: 2, dtype: float64)),
            ("relu2", nn.ReLU()),
            ("flatten", nn.Flatten()),
            ("dense", nn.Linear(SmallCnn.Features, ShapeDataset.ClassCount, dtype: float64)));
        _parameters = [.. _model.parameters()];
        using (no_grad())
            for (int k = 0; k < _parameters.Length; k++)
                _parameters[k].copy_(tensor(initial[k], [.. SmallCnn.Parameters[k].Shape.Select(d => (long)d)], float64));
        _optimizer = optim.SGD(_parameters, learningRate, momentum);
        _clip = clip;
        _float32Parameters = float32Parameters;
    }

    /// <summary>One SGD step on a mini-batch (images N*256 values, C order); returns the loss before the update.</summary>
    public double TrainStep(double[] images, int[] labels)
    {
        using var scope = NewDisposeScope();
        _optimizer.zero_grad();
        var loss = nn.functional.cross_entropy(_model.forward(Images(images, labels.Length)), tensor(labels.Select(l => (long)l).ToArray()));
        loss.backward();
        if (_clip is { } c)
            nn.utils.clip_grad_value_(_parameters, c);
        _optimizer.step();
        if (_float32Parameters)
            using (no_grad())
                foreach (var p in _parameters)
                    p.copy_(p.to(float32).to(float64));
        return loss.item<double>();
    }

    /// <summary>The parameters in <see cref="SmallCnn.Parameters"/> order.</summary>
    public double[][] ParameterValues() => [.. _parameters.Select(p => p.data<double>().ToArray())];

    /// <summary>Softmax probabilities, N x 8 in C order.</summary>
    public double[] Probabilities(double[] images, int count)
    {
        using var scope = NewDisposeScope();
        using (no_grad())
            return nn.functional.softmax(_model.forward(Images(images, count)), 1).data<double>().ToArray();
    }

    private static Tensor Images(double[] pixels, int count) =>
        tensor(pixels, [count, 1, ShapeDataset.ImageSize, ShapeDataset.ImageSize], float64);

    public void Dispose()
    {
        _optimizer.Dispose();
        _model.Dispose();
    }
}

using ConvCompare.Cases;
using ConvRef;
using TorchSharp;
using static TorchSharp.torch;

namespace ConvCompare.Oracles;

/// <summary>
/// The oracle: TorchSharp (libtorch) autograd on the same values. y = conv2d(pad(a), w, b) with the
/// asymmetric padding applied by <c>pad</c> first (conv2d pads symmetrically); the gradients come from
/// backward of J = sum(y .* dy); with an activation, delta^(l-1) is autograd's vector-Jacobian product
/// of g at z^(l-1) applied to dJ/da, i.e. torch's own g'; with clipping, dJ/dw is clamped as ConvRef does.
/// </summary>
internal sealed class TorchOracle : ILayerEngine
{
    /// <summary>
    /// Loads libtorch and makes it compute on one thread. Harness cases are tiny (at most a few
    /// hundred thousand multiply-adds), and on a loaded 2-core machine OpenMP's spin-waiting made each
    /// conv2d call take 100-300 ms with 2 threads against 0.5-1.5 ms with one (measured here). The
    /// thread count only changes the order of summation, which the rounding bounds already cover.
    /// </summary>
    /// <exception cref="TorchUnavailableException">libtorch cannot be loaded.</exception>
    public TorchOracle()
    {
        TorchRuntime.EnsureLoaded();
        set_num_threads(1);
    }

    /// <inheritdoc />
    public string Name => "torch";

    /// <inheritdoc />
    public CaseOutputs Compute(CaseConfig config, CaseInputs inputs, CaseDtype dtype)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(inputs);
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var type = dtype == CaseDtype.F32 ? ScalarType.Float32 : ScalarType.Float64;
        var a = Leaf(inputs.Input, type, requiresGrad: true);
        var w = Leaf(inputs.Weights, type, requiresGrad: true);
        var b = inputs.Bias is null ? null : Leaf(inputs.Bias, type, requiresGrad: true);
        var y = Convolve(config, a, w, b);
        (y * Leaf(inputs.Upstream, type, requiresGrad: false)).sum().backward();

        var dx = a.grad!;
        if (inputs.PreviousZ is { } zValues)
        {
            var z = Leaf(zValues, type, requiresGrad: true);
            (Activate(config, z) * dx.detach()).sum().backward();
            dx = z.grad!;
        }
        var dw = w.grad!;
        if (config.Clip is { } c)
            dw = dw.clamp(-c, c);
        return new CaseOutputs(ToTensor(y), ToTensor(dx), ToTensor(dw), b is null ? null : ToTensor(b.grad!));
    }

    private static Tensor Convolve(CaseConfig c, Tensor a, Tensor w, Tensor? b)
    {
        var padded = nn.functional.pad(a, [c.PadLeft, c.PadRight, c.PadTop, c.PadBottom]);
        return nn.functional.conv2d(padded, w, b, strides: [c.StrideH, c.StrideW], padding: [0, 0],
            dilation: [c.DilationH, c.DilationW], groups: c.Groups);
    }

    private static Tensor Activate(CaseConfig c, Tensor z) => c.Activation switch
    {
        ActivationKind.ReLU => nn.functional.relu(z),
        ActivationKind.LeakyReLU => nn.functional.leaky_relu(z, CaseConfig.LeakySlope),
        ActivationKind.Sigmoid => sigmoid(z),
        ActivationKind.Tanh => tanh(z),
        _ => z,
    };

    private static Tensor Leaf(Tensor<double> values, ScalarType type, bool requiresGrad)
    {
        var t = tensor(values.Data, values.Shape.Select(d => (long)d).ToArray(), ScalarType.Float64).to_type(type).detach();
        return requiresGrad ? t.requires_grad_(true) : t;
    }

    private static Tensor<double> ToTensor(Tensor t)
    {
        var shape = t.shape.Select(d => (int)d).ToArray();
        return new Tensor<double>(shape, t.detach().to_type(ScalarType.Float64).contiguous().data<double>().ToArray());
    }
}

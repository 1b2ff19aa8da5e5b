using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using ConvRef.Kernels;

namespace ConvRef;

/// <summary>The checks both entry points run before they allocate anything.</summary>
internal static class Conv2dValidation
{
    public static Conv2dGeometry CheckForward<T>(Tensor<T> input, Tensor<T> weights, Tensor<T>? bias, Conv2dSpec spec,
        Conv2dAlgorithm algorithm, Conv2dLimits limits, Tensor<T>? output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(spec);
        CheckAlgorithmAndLimits(algorithm, limits);
        var geometry = Conv2dGeometry.Create(input.Shape, weights.Shape, spec);
        if (bias is not null && (bias.Rank != 1 || bias.Length != geometry.OutChannels))
            throw Conv2dGeometry.Fail($"bias has shape {bias.ShapeText} but must have length out_channels={geometry.OutChannels}", nameof(bias));
        if (output is null)
        {
            CheckSizes<T>(geometry, algorithm, limits, ("output", geometry.OutputShape));
        }
        else
        {
            CheckDestination(output, geometry.OutputShape, "output", "the forward output is", input, weights, bias);
            CheckSizes<T>(geometry, algorithm, limits);
        }
        if (limits.RejectNonFinite)
        {
            CheckFinite(input, "input contains");
            CheckFinite(weights, "weights contain");
            if (bias is not null)
                CheckFinite(bias, "bias contains");
        }
        return geometry;
    }

    public static Conv2dGeometry CheckBackward<T>(Tensor<T> input, Tensor<T> weights, Tensor<T> delta, Conv2dSpec spec,
        BackwardOptions<T> options, Conv2dAlgorithm algorithm, Conv2dLimits limits, Conv2dGradients<T>? gradients)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(delta);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        CheckAlgorithmAndLimits(algorithm, limits);
        var geometry = Conv2dGeometry.Create(input.Shape, weights.Shape, spec);
        if (!delta.Shape.SequenceEqual(geometry.OutputShape))
            throw Conv2dGeometry.Fail($"delta has shape {delta.ShapeText} but the forward output is {Tensor<T>.Format(geometry.OutputShape)}", nameof(delta));
        CheckOptions(options, input);
        if (gradients is null)
        {
            CheckSizes<T>(geometry, algorithm, limits, ("dJ/da", geometry.InputShape), ("dJ/dw", geometry.WeightShape));
        }
        else
        {
            var z = options.PreviousZ;
            CheckDestination(gradients.Input, geometry.InputShape, "gradients.Input", "the input is", input, weights, delta, z);
            CheckDestination(gradients.Weights, geometry.WeightShape, "gradients.Weights", "the weights are", input, weights, delta, z, gradients.Input);
            if (gradients.Bias is { } bias)
                CheckDestination(bias, [geometry.OutChannels], "gradients.Bias", "out_channels is", input, weights, delta, z, gradients.Input, gradients.Weights);
            CheckSizes<T>(geometry, algorithm, limits);
        }
        if (limits.RejectNonFinite)
        {
            CheckFinite(input, "input contains");
            CheckFinite(weights, "weights contain");
            CheckFinite(delta, "delta contains");
            if (options.PreviousZ is { } z)
                CheckFinite(z, "PreviousZ contains");
        }
        return geometry;
    }

    private static void CheckDestination<T>(Tensor<T> destination, int[] shape, string name, string expected, params Tensor<T>?[] others)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(destination, name);
        if (!destination.Shape.SequenceEqual(shape))
            throw Conv2dGeometry.Fail($"{name} has shape {destination.ShapeText} but {expected} {Tensor<T>.Format(shape)}", name);
        if (others.Any(o => o is not null && ReferenceEquals(o.Data, destination.Data)))
            throw Conv2dGeometry.Fail($"{name} must not share its storage with another argument", name);
    }

    private static void CheckAlgorithmAndLimits(Conv2dAlgorithm algorithm, Conv2dLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (!Enum.IsDefined(algorithm))
            throw Conv2dGeometry.Fail($"algorithm must be Serial or Vectorized (got {(int)algorithm})", nameof(algorithm));
        if (limits.MaxTensorBytes <= 0)
            throw Conv2dGeometry.Fail($"MaxTensorBytes must be > 0 (got {limits.MaxTensorBytes})", nameof(limits));
        if (limits.MaxThreads is < 1)
            throw Conv2dGeometry.Fail($"MaxThreads must be >= 1 (got {limits.MaxThreads})", nameof(limits));
    }

    private static void CheckOptions<T>(BackwardOptions<T> options, Tensor<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var activation = options.PreviousActivation;
        if (!Enum.IsDefined(activation.Kind))
            throw Conv2dGeometry.Fail($"PreviousActivation must be a known activation (got {(int)activation.Kind})", nameof(options));
        if (activation.Kind == ActivationKind.LeakyReLU && !double.IsFinite(activation.NegativeSlope))
            throw Conv2dGeometry.Fail($"LeakyReLU's NegativeSlope must be finite (got {Text(activation.NegativeSlope)})", nameof(options));
        if (options.PreviousZ is { } z)
        {
            if (!z.Shape.SequenceEqual(input.Shape))
                throw Conv2dGeometry.Fail($"PreviousZ has shape {z.ShapeText} but the input is {input.ShapeText}", nameof(options));
        }
        else if (activation.Kind != ActivationKind.Identity)
        {
            throw Conv2dGeometry.Fail($"PreviousActivation {activation} needs PreviousZ (z^(l-1), the input before the activation) for g'(z^(l-1)) in Eq 6", nameof(options));
        }
        if (options.ClipValue is { } clip && !(clip > T.Zero && T.IsFinite(clip)))
            throw Conv2dGeometry.Fail($"ClipValue must be > 0 and finite (got {Text(clip)})", nameof(options));
    }

    private static void CheckSizes<T>(Conv2dGeometry geometry, Conv2dAlgorithm algorithm, Conv2dLimits limits,
        params (string Name, int[] Shape)[] results)
        where T : unmanaged
    {
        foreach (var (name, shape) in results)
            CheckSize<T>(name + " " + Tensor<float>.Format(shape), shape.Aggregate(1L, (p, d) => p * d), limits);
        if (algorithm == Conv2dAlgorithm.Serial)
            CheckSize<T>($"the serial algorithm's padded input plane {geometry.PaddedH}x{geometry.PaddedW}",
                (long)geometry.PaddedH * geometry.PaddedW, limits);
        else
            foreach (var (name, elements) in VectorizedConv2d.Workspace(geometry))
                CheckSize<T>(name, elements, limits);
    }

    private static void CheckSize<T>(string what, long elements, Conv2dLimits limits) where T : unmanaged
    {
        long bytes = elements * Unsafe.SizeOf<T>();
        if (elements > Array.MaxLength || bytes > limits.MaxTensorBytes)
            throw Conv2dGeometry.Fail(
                $"{what} would need {bytes} bytes, more than the limit MaxTensorBytes={limits.MaxTensorBytes}", nameof(limits));
    }

    private static void CheckFinite<T>(Tensor<T> tensor, string subject) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = tensor.Data;
        for (int i = 0; i < data.Length; i++)
        {
            if (T.IsFinite(data[i]))
                continue;
            string kind = T.IsNaN(data[i]) ? "NaN" : T.IsPositive(data[i]) ? "+Inf" : "-Inf";
            throw Conv2dGeometry.Fail($"{subject} {kind} at {Tensor<T>.Format(Unravel(i, tensor.Shape))}", subject.Split(' ')[0]);
        }
    }

    private static int[] Unravel(int flat, IReadOnlyList<int> shape)
    {
        var index = new int[shape.Count];
        for (int d = shape.Count - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }

    private static string Text<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);
}

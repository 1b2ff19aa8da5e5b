using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using ConvRef.Kernels;

namespace ConvRef;

/// <summary>
/// The checks every entry point of the family runs before it allocates anything: the geometry (made
/// by the caller's factory, which checks the spec and shapes), the other tensors against it, and the
/// sizes of the results and of the workspace the chosen algorithm will take.
/// </summary>
internal static class ConvValidation
{
    /// <summary>The largest buffers an algorithm allocates besides its results, each with the words an error names it by.</summary>
    public delegate IEnumerable<(string Name, long Elements)> Workspace(ConvGeometry geometry, Conv2dAlgorithm algorithm);

    public static Conv2dGeometry CheckForward<T>(Tensor<T> input, Tensor<T> weights, Tensor<T>? bias, Conv2dSpec spec,
        Conv2dAlgorithm algorithm, Conv2dLimits limits, Tensor<T>? output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(spec);
        Conv2dGeometry? planar = null;
        CheckForward(input, weights, bias, () => (planar = Conv2dGeometry.Create(input.Shape, weights.Shape, spec)).Geometry,
            (_, a) => PlanarWorkspace(planar!, a), algorithm, limits, output);
        return planar!;
    }

    public static Conv2dGeometry CheckBackward<T>(Tensor<T> input, Tensor<T> weights, Tensor<T> delta, Conv2dSpec spec,
        BackwardOptions<T> options, Conv2dAlgorithm algorithm, Conv2dLimits limits, Conv2dGradients<T>? gradients)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(spec);
        Conv2dGeometry? planar = null;
        CheckBackward(input, weights, delta, () => (planar = Conv2dGeometry.Create(input.Shape, weights.Shape, spec)).Geometry,
            (_, a) => PlanarWorkspace(planar!, a), options, algorithm, limits, gradients);
        return planar!;
    }

    public static ConvGeometry CheckForward<T>(Tensor<T> input, Tensor<T> weights, Tensor<T>? bias, Func<ConvGeometry> create,
        Workspace workspace, Conv2dAlgorithm algorithm, Conv2dLimits limits, Tensor<T>? output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weights);
        CheckAlgorithmAndLimits(algorithm, limits);
        var geometry = create();
        if (bias is not null && (bias.Rank != 1 || bias.Length != geometry.OutChannels))
            throw ConvGeometry.Fail($"bias has shape {bias.ShapeText} but must have length out_channels={geometry.OutChannels}", nameof(bias));
        if (output is null)
        {
            CheckSizes<T>(geometry, workspace, algorithm, limits, ("output", geometry.OutputShape));
        }
        else
        {
            CheckDestination(output, geometry.OutputShape, "output", "the forward output is", input, weights, bias);
            CheckSizes<T>(geometry, workspace, algorithm, limits);
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

    public static ConvGeometry CheckBackward<T>(Tensor<T> input, Tensor<T> weights, Tensor<T> delta, Func<ConvGeometry> create,
        Workspace workspace, BackwardOptions<T> options, Conv2dAlgorithm algorithm, Conv2dLimits limits, Conv2dGradients<T>? gradients)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(delta);
        ArgumentNullException.ThrowIfNull(options);
        CheckAlgorithmAndLimits(algorithm, limits);
        var geometry = create();
        if (!delta.Shape.SequenceEqual(geometry.OutputShape))
            throw ConvGeometry.Fail($"delta has shape {delta.ShapeText} but the forward output is {Tensor<T>.Format(geometry.OutputShape)}", nameof(delta));
        CheckOptions(options, input);
        if (gradients is null)
        {
            CheckSizes<T>(geometry, workspace, algorithm, limits, ("dJ/da", geometry.InputShape), ("dJ/dw", geometry.WeightShape));
        }
        else
        {
            var z = options.PreviousZ;
            CheckDestination(gradients.Input, geometry.InputShape, "gradients.Input", "the input is", input, weights, delta, z);
            CheckDestination(gradients.Weights, geometry.WeightShape, "gradients.Weights", "the weights are", input, weights, delta, z, gradients.Input);
            if (gradients.Bias is { } bias)
                CheckDestination(bias, [geometry.OutChannels], "gradients.Bias", "out_channels is", input, weights, delta, z, gradients.Input, gradients.Weights);
            CheckSizes<T>(geometry, workspace, algorithm, limits);
        }
        if (limits.RejectNonFinite)
        {
            CheckFinite(input, "input contains");
            CheckFinite(weights, "weights contain");
            CheckFinite(delta, "delta contains");
            if (options.PreviousZ is { } z)
                CheckFinite(z, "options.PreviousZ contains");
        }
        return geometry;
    }

    /// <summary>
    /// The double backward's checks: those of the backward pass it differentiates, then the upstream
    /// gradients against the shapes the backward pass returns, then the sizes of the results and of the
    /// passes' own results.
    /// </summary>
    public static ConvGeometry CheckDoubleBackward<T>(Tensor<T> input, Tensor<T> weights, Tensor<T> delta, Conv2dGradients<T> upstream,
        Func<ConvGeometry> create, Workspace workspace, BackwardOptions<T> options, Conv2dAlgorithm algorithm, Conv2dLimits limits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(upstream);
        var geometry = CheckBackward(input, weights, delta, create, workspace, options, algorithm, limits, null);
        CheckUpstream(upstream.Input, geometry.InputShape, "upstream.Input", "gg_a", "the input is");
        CheckUpstream(upstream.Weights, geometry.WeightShape, "upstream.Weights", "gg_w", "the weights are");
        if (upstream.Bias is { } ggB)
            CheckUpstream(ggB, [geometry.OutChannels], "upstream.Bias", "gg_b", "out_channels is");
        CheckSizes<T>(geometry, workspace, algorithm, limits, ("dL/ddelta", geometry.OutputShape), ("dL/da", geometry.InputShape),
            ("dL/dw", geometry.WeightShape));
        if (limits.RejectNonFinite)
        {
            CheckFinite(upstream.Input, "upstream.Input contains");
            CheckFinite(upstream.Weights, "upstream.Weights contains");
            if (upstream.Bias is { } b)
                CheckFinite(b, "upstream.Bias contains");
        }
        return geometry;
    }

    /// <summary>What the 2-D engines allocate besides the results: the serial padded plane, the vectorized windows and accumulators.</summary>
    public static IEnumerable<(string Name, long Elements)> PlanarWorkspace(Conv2dGeometry geometry, Conv2dAlgorithm algorithm) =>
        algorithm == Conv2dAlgorithm.Serial
            ? [($"the serial algorithm's padded input plane {geometry.PaddedH}x{geometry.PaddedW}", (long)geometry.PaddedH * geometry.PaddedW)]
            : VectorizedConv2d.Workspace(geometry);

    private static void CheckDestination<T>(Tensor<T> destination, int[] shape, string name, string expected, params Tensor<T>?[] others)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(destination, name);
        if (!destination.Shape.SequenceEqual(shape))
            throw ConvGeometry.Fail($"{name} has shape {destination.ShapeText} but {expected} {Tensor<T>.Format(shape)}", name);
        if (others.Any(o => o is not null && ReferenceEquals(o.Data, destination.Data)))
            throw ConvGeometry.Fail($"{name} must not share its storage with another argument", name);
    }

    private static void CheckUpstream<T>(Tensor<T> gradient, int[] shape, string name, string symbol, string expected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(gradient, name);
        if (!gradient.Shape.SequenceEqual(shape))
            throw ConvGeometry.Fail($"{name} ({symbol}) has shape {gradient.ShapeText} but {expected} {Tensor<T>.Format(shape)}", name);
    }

    private static void CheckAlgorithmAndLimits(Conv2dAlgorithm algorithm, Conv2dLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (!Enum.IsDefined(algorithm))
            throw ConvGeometry.Fail($"algorithm must be Serial or Vectorized (got {(int)algorithm})", nameof(algorithm));
        if (limits.MaxTensorBytes <= 0)
            throw ConvGeometry.Fail($"MaxTensorBytes must be > 0 (got {limits.MaxTensorBytes})", nameof(limits));
        if (limits.MaxThreads is < 1)
            throw ConvGeometry.Fail($"MaxThreads must be >= 1 (got {limits.MaxThreads})", nameof(limits));
    }

    private static void CheckOptions<T>(BackwardOptions<T> options, Tensor<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var activation = options.PreviousActivation;
        if (!Enum.IsDefined(activation.Kind))
            throw ConvGeometry.Fail($"PreviousActivation must be a known activation (got {(int)activation.Kind})", nameof(options));
        if (activation.Kind == ActivationKind.LeakyReLU && !double.IsFinite(activation.NegativeSlope))
            throw ConvGeometry.Fail($"LeakyReLU's NegativeSlope must be finite (got {Text(activation.NegativeSlope)})", nameof(options));
        if (options.PreviousZ is { } z)
        {
            if (!z.Shape.SequenceEqual(input.Shape))
                throw ConvGeometry.Fail($"PreviousZ has shape {z.ShapeText} but the input is {input.ShapeText}", nameof(options));
        }
        else if (activation.Kind != ActivationKind.Identity)
        {
            throw ConvGeometry.Fail($"PreviousActivation {activation} needs PreviousZ (z^(l-1), the input before the activation) for g'(z^(l-1)) in Eq 6", nameof(options));
        }
        if (options.ClipValue is { } clip && !(clip > T.Zero && T.IsFinite(clip)))
            throw ConvGeometry.Fail($"ClipValue must be > 0 and finite (got {Text(clip)})", nameof(options));
    }

    private static void CheckSizes<T>(ConvGeometry geometry, Workspace workspace, Conv2dAlgorithm algorithm, Conv2dLimits limits,
        params (string Name, int[] Shape)[] results)
        where T : unmanaged
    {
        foreach (var (name, shape) in results)
            CheckSize<T>(name + " " + Tensor<float>.Format(shape), shape.Aggregate(1L, (p, d) => p * d), limits);
        foreach (var (name, elements) in workspace(geometry, algorithm))
            CheckSize<T>(name, elements, limits);
    }

    private static void CheckSize<T>(string what, long elements, Conv2dLimits limits) where T : unmanaged
    {
        long bytes = elements * Unsafe.SizeOf<T>();
        if (elements > Array.MaxLength || bytes > limits.MaxTensorBytes)
            throw ConvGeometry.Fail(
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
            throw ConvGeometry.Fail($"{subject} {kind} at {Tensor<T>.Format(Unravel(i, tensor.Shape))}", subject.Split(' ')[0]);
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

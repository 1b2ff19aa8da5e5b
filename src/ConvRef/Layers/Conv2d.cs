using System.Numerics;
using ConvRef.Kernels;

namespace ConvRef;

/// <summary>
/// The entry points of ConvRef's 2-D convolution layer (cross-correlation, as deep-learning frameworks
/// define it), in PyTorch's layout: input a N x C_in x H x W, weights w C_out x (C_in/G) x kH x kW,
/// bias b of length C_out, output z N x C_out x OutH x OutW (see <see cref="Conv2dGeometry"/>).
/// </summary>
/// <remarks>
/// Both entry points validate every argument before they allocate or compute and throw
/// <see cref="Conv2dArgumentException"/> (an <see cref="ArgumentException"/>) whose message names the
/// parameter and the rule; null arguments throw <see cref="ArgumentNullException"/>.
/// </remarks>
public static class Conv2d
{
    /// <summary>Forward pass, Eq 1 generalized: z = a (x) w + b, with stride, padding, dilation and groups.</summary>
    /// <param name="input">a^(l-1), N x C_in x H x W.</param>
    /// <param name="weights">w, C_out x (C_in/G) x kH x kW.</param>
    /// <param name="bias">b, length C_out, or null for none.</param>
    /// <param name="spec">Stride, padding, dilation, groups.</param>
    /// <param name="algorithm">Which implementation computes it.</param>
    /// <param name="limits">Allocation limit and NaN/Inf policy; null for <see cref="Conv2dLimits.Default"/>.</param>
    /// <returns>z, N x C_out x OutH x OutW.</returns>
    /// <exception cref="ArgumentException">An argument breaks a rule; the message says which and why.</exception>
    public static Tensor<T> Forward<T>(Tensor<T> input, Tensor<T> weights, Tensor<T>? bias, Conv2dSpec spec,
        Conv2dAlgorithm algorithm = Conv2dAlgorithm.Vectorized, Conv2dLimits? limits = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        limits ??= Conv2dLimits.Default;
        var geometry = ConvValidation.CheckForward(input, weights, bias, spec, algorithm, limits, null);
        var output = new Tensor<T>(geometry.OutputShape, GC.AllocateUninitializedArray<T>(Count(geometry.OutputShape)));
        Run(geometry, input, weights, bias, output, algorithm, limits);
        return output;
    }

    /// <summary>
    /// <see cref="Forward{T}"/> into a tensor the caller owns (overwritten), so repeated calls reuse memory
    /// instead of touching fresh pages.
    /// </summary>
    /// <param name="input">a^(l-1), N x C_in x H x W.</param>
    /// <param name="weights">w, C_out x (C_in/G) x kH x kW.</param>
    /// <param name="bias">b, length C_out, or null for none.</param>
    /// <param name="spec">Stride, padding, dilation, groups.</param>
    /// <param name="output">z, N x C_out x OutH x OutW; must not share storage with the other arguments.</param>
    /// <param name="algorithm">Which implementation computes it.</param>
    /// <param name="limits">Allocation limit and NaN/Inf policy; null for <see cref="Conv2dLimits.Default"/>.</param>
    /// <exception cref="ArgumentException">An argument breaks a rule; the message says which and why.</exception>
    public static void ForwardInto<T>(Tensor<T> input, Tensor<T> weights, Tensor<T>? bias, Conv2dSpec spec, Tensor<T> output,
        Conv2dAlgorithm algorithm = Conv2dAlgorithm.Vectorized, Conv2dLimits? limits = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(output);
        limits ??= Conv2dLimits.Default;
        var geometry = ConvValidation.CheckForward(input, weights, bias, spec, algorithm, limits, output);
        Run(geometry, input, weights, bias, output, algorithm, limits);
    }

    /// <summary>
    /// Backward pass for an upstream error delta = dJ/dz: dJ/dw (Eq 3/7, clipped to [-c, c] when asked),
    /// dJ/db (Eq 9) and dJ/da (Eq 5/8), or delta^(l-1) = dJ/da .* g'(z^(l-1)) (Eq 6/8) when
    /// <paramref name="options"/> names the activation of the layer below.
    /// </summary>
    /// <param name="input">a^(l-1), the forward input, N x C_in x H x W.</param>
    /// <param name="weights">w, C_out x (C_in/G) x kH x kW.</param>
    /// <param name="hasBias">Whether the layer has a bias (then dJ/db is returned).</param>
    /// <param name="delta">delta^(l) = dJ/dz, the shape of the forward output.</param>
    /// <param name="spec">Stride, padding, dilation, groups.</param>
    /// <param name="options">Activation of the layer below with its z^(l-1), and clipping; null for none.</param>
    /// <param name="algorithm">Which implementation computes it.</param>
    /// <param name="limits">Allocation limit and NaN/Inf policy; null for <see cref="Conv2dLimits.Default"/>.</param>
    /// <exception cref="ArgumentException">An argument breaks a rule; the message says which and why.</exception>
    public static Conv2dGradients<T> Backward<T>(Tensor<T> input, Tensor<T> weights, bool hasBias, Tensor<T> delta,
        Conv2dSpec spec, BackwardOptions<T>? options = null,
        Conv2dAlgorithm algorithm = Conv2dAlgorithm.Vectorized, Conv2dLimits? limits = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        options ??= BackwardOptions<T>.None;
        limits ??= Conv2dLimits.Default;
        var geometry = ConvValidation.CheckBackward(input, weights, delta, spec, options, algorithm, limits, null);
        var gradients = new Conv2dGradients<T>(
            new Tensor<T>(geometry.InputShape, GC.AllocateUninitializedArray<T>(Count(geometry.InputShape))),
            new Tensor<T>(geometry.WeightShape, GC.AllocateUninitializedArray<T>(Count(geometry.WeightShape))),
            hasBias ? Tensor<T>.Zeros(geometry.OutChannels) : null);
        Run(geometry, input, weights, delta, options, gradients, algorithm, limits);
        return gradients;
    }

    /// <summary>
    /// <see cref="Backward{T}"/> into tensors the caller owns (overwritten); dJ/db is computed when
    /// <paramref name="gradients"/> has a bias tensor.
    /// </summary>
    /// <param name="input">a^(l-1), the forward input, N x C_in x H x W.</param>
    /// <param name="weights">w, C_out x (C_in/G) x kH x kW.</param>
    /// <param name="delta">delta^(l) = dJ/dz, the shape of the forward output.</param>
    /// <param name="spec">Stride, padding, dilation, groups.</param>
    /// <param name="gradients">Where dJ/da (or delta^(l-1)), dJ/dw and dJ/db go, shaped as <see cref="Backward{T}"/> returns them; must not share storage with the other arguments.</param>
    /// <param name="options">Activation of the layer below with its z^(l-1), and clipping; null for none.</param>
    /// <param name="algorithm">Which implementation computes it.</param>
    /// <param name="limits">Allocation limit and NaN/Inf policy; null for <see cref="Conv2dLimits.Default"/>.</param>
    /// <exception cref="ArgumentException">An argument breaks a rule; the message says which and why.</exception>
    public static void BackwardInto<T>(Tensor<T> input, Tensor<T> weights, Tensor<T> delta, Conv2dSpec spec,
        Conv2dGradients<T> gradients, BackwardOptions<T>? options = null,
        Conv2dAlgorithm algorithm = Conv2dAlgorithm.Vectorized, Conv2dLimits? limits = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(gradients);
        options ??= BackwardOptions<T>.None;
        limits ??= Conv2dLimits.Default;
        var geometry = ConvValidation.CheckBackward(input, weights, delta, spec, options, algorithm, limits, gradients);
        Run(geometry, input, weights, delta, options, gradients, algorithm, limits);
    }

    /// <summary>
    /// The backward of <see cref="Backward{T}"/> (what PyTorch's double backward of a convolution returns):
    /// for upstream gradients gg_a, gg_w, gg_b of its outputs dJ/da (or delta^(l-1)), dJ/dw and dJ/db, the
    /// gradients of L = &lt;gg_a, dJ/da&gt; + &lt;gg_w, dJ/dw&gt; + &lt;gg_b, dJ/db&gt; with respect to a, w, delta and z^(l-1):
    /// dL/ddelta = (gg_a .* g'(z)) (x) w + gg_b + a (x) gg_w (Eq 1 twice, Eq 9), dL/dw = (gg_a .* g'(z)) (x) delta
    /// (Eq 3/7), dL/da = delta (x)_f Rot180(gg_w) (Eq 5/8), dL/dz^(l-1) = gg_a .* dJ/da .* g''(z^(l-1)) (Eq 6);
    /// with clipping, gg_w counts only where -c &lt;= dJ/dw &lt;= c.
    /// </summary>
    /// <param name="input">a^(l-1), the forward input, N x C_in x H x W.</param>
    /// <param name="weights">w, C_out x (C_in/G) x kH x kW.</param>
    /// <param name="delta">delta^(l) = dJ/dz, N x C_out x OutH x OutW.</param>
    /// <param name="upstream">gg_a (N x C_in x H x W), gg_w (C_out x (C_in/G) x kH x kW) and gg_b (length C_out, or null when the layer has no bias), shaped as <see cref="Backward{T}"/> returns its gradients.</param>
    /// <param name="spec">Stride, padding, dilation, groups.</param>
    /// <param name="options">The backward pass's options: activation of the layer below with its z^(l-1), and clipping; null for none.</param>
    /// <param name="algorithm">Which implementation computes it.</param>
    /// <param name="limits">Allocation limit and NaN/Inf policy; null for <see cref="Conv2dLimits.Default"/>.</param>
    /// <returns>dL/da, dL/dw, dL/ddelta and, when <paramref name="options"/> has z^(l-1), dL/dz^(l-1).</returns>
    /// <exception cref="ArgumentException">An argument breaks a rule; the message says which and why.</exception>
    public static Conv2dSecondOrderGradients<T> DoubleBackward<T>(Tensor<T> input, Tensor<T> weights, Tensor<T> delta,
        Conv2dGradients<T> upstream, Conv2dSpec spec, BackwardOptions<T>? options = null,
        Conv2dAlgorithm algorithm = Conv2dAlgorithm.Vectorized, Conv2dLimits? limits = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        options ??= BackwardOptions<T>.None;
        limits ??= Conv2dLimits.Default;
        ArgumentNullException.ThrowIfNull(spec);
        Conv2dGeometry? planar = null;
        var geometry = ConvValidation.CheckDoubleBackward(input, weights, delta, upstream,
            () => (planar = Conv2dGeometry.Create(input.Shape, weights.Shape, spec)).Geometry,
            (_, a) => ConvValidation.PlanarWorkspace(planar!, a), options, algorithm, limits);
        return Kernels.DoubleBackward.Compute(geometry, input, weights, delta, upstream, options,
            new PlanarEngine(algorithm, limits.MaxThreads ?? int.MaxValue));
    }

    private static void Run<T>(Conv2dGeometry geometry, Tensor<T> input, Tensor<T> weights, Tensor<T>? bias, Tensor<T> output,
        Conv2dAlgorithm algorithm, Conv2dLimits limits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (algorithm == Conv2dAlgorithm.Serial)
            SerialConv2d.Forward(geometry, input, weights, bias, output);
        else
            VectorizedConv2d.Forward(geometry, input, weights, bias, output, maxThreads: limits.MaxThreads ?? int.MaxValue);
    }

    private static void Run<T>(Conv2dGeometry geometry, Tensor<T> input, Tensor<T> weights, Tensor<T> delta,
        BackwardOptions<T> options, Conv2dGradients<T> gradients, Conv2dAlgorithm algorithm, Conv2dLimits limits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (algorithm == Conv2dAlgorithm.Serial)
            SerialConv2d.Backward(geometry, input, weights, delta, options, gradients);
        else
            VectorizedConv2d.Backward(geometry, input, weights, delta, options, gradients, maxThreads: limits.MaxThreads ?? int.MaxValue);
    }

    private static int Count(int[] shape) => shape.Aggregate(1, (p, d) => p * d);
}

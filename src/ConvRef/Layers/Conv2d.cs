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
        var geometry = Conv2dValidation.CheckForward(input, weights, bias, spec, algorithm, limits ?? Conv2dLimits.Default);
        return algorithm == Conv2dAlgorithm.Serial
            ? SerialConv2d.Forward(geometry, input, weights, bias)
            : VectorizedConv2d.Forward(geometry, input, weights, bias);
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
        var geometry = Conv2dValidation.CheckBackward(input, weights, delta, spec, options, algorithm, limits ?? Conv2dLimits.Default);
        return algorithm == Conv2dAlgorithm.Serial
            ? SerialConv2d.Backward(geometry, input, weights, hasBias, delta, options)
            : VectorizedConv2d.Backward(geometry, input, weights, hasBias, delta, options);
    }
}

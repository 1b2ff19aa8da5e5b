using System.Numerics;
using ConvRef.Kernels;

namespace ConvRef;

/// <summary>
/// One operation of the convolution family, declared once: <see cref="Conv1d"/>, <see cref="Conv2d"/>,
/// <see cref="Conv3d"/> and the transposed <see cref="ConvTranspose1d"/>, <see cref="ConvTranspose2d"/>,
/// <see cref="ConvTranspose3d"/>, named and laid out as PyTorch's functions are: input N x C_in x spatial
/// (or C_in x spatial, unbatched), weights C_out x C_in/G x k... (transposed: C_in x C_out/G x k...),
/// bias of length C_out, hyperparameters in a <see cref="ConvSpec"/> (stride, padding as integers per
/// axis or side, same or valid, dilation, groups, padding_mode, output_padding).
/// </summary>
/// <remarks>
/// Every operation is computed by the 2-D engines (<see cref="Conv2dAlgorithm.Serial"/> written from the
/// derivation's building blocks, <see cref="Conv2dAlgorithm.Vectorized"/> the fast one): 1-D as a single
/// row, 3-D as a sum of 2-D convolutions over the kernel's depth, the transposed convolution through its
/// adjoint (its forward pass is Eq 8's full convolution, <c>BackPropagateError</c>, of x with Rot180(w); its
/// dJ/dx is Eq 1 on dJ/dy; its dJ/dw is Eq 7 with the roles of input and error swapped). A padding mode
/// other than zeros pads the input explicitly; its gradient folds the border back onto the input.
/// Every argument is checked before anything is allocated or computed; a broken rule throws
/// <see cref="Conv2dArgumentException"/> whose one sentence names the parameter and the rule.
/// </remarks>
public sealed class Convolution
{
    private Convolution(string name, int rank, bool transposed)
    {
        Name = name;
        Rank = rank;
        Transposed = transposed;
    }

    /// <summary><c>conv1d</c>: input N x C_in x L.</summary>
    public static Convolution Conv1d { get; } = new("conv1d", 1, false);

    /// <summary><c>conv2d</c> with a <see cref="ConvSpec"/> (padding modes, same, unbatched input); <see cref="ConvRef.Conv2d"/> is the layer's own entry point.</summary>
    public static Convolution Conv2d { get; } = new("conv2d", 2, false);

    /// <summary><c>conv3d</c>: input N x C_in x D x H x W.</summary>
    public static Convolution Conv3d { get; } = new("conv3d", 3, false);

    /// <summary><c>conv_transpose1d</c>: weights C_in x C_out/G x k.</summary>
    public static Convolution ConvTranspose1d { get; } = new("conv_transpose1d", 1, true);

    /// <summary><c>conv_transpose2d</c>: weights C_in x C_out/G x kH x kW.</summary>
    public static Convolution ConvTranspose2d { get; } = new("conv_transpose2d", 2, true);

    /// <summary><c>conv_transpose3d</c>: weights C_in x C_out/G x kD x kH x kW.</summary>
    public static Convolution ConvTranspose3d { get; } = new("conv_transpose3d", 3, true);

    /// <summary>The six operations.</summary>
    public static IReadOnlyList<Convolution> All { get; } = [Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d];

    /// <summary>PyTorch's function name, e.g. <c>conv_transpose2d</c>.</summary>
    public string Name { get; }

    /// <summary>Spatial axes: 1, 2 or 3.</summary>
    public int Rank { get; }

    /// <summary>Whether this is a transposed convolution.</summary>
    public bool Transposed { get; }

    /// <summary>Checks the spec and the shapes as the entry points do and returns the sizes.</summary>
    /// <exception cref="ArgumentException">An argument breaks a rule; the message says which and why.</exception>
    public ConvGeometry Geometry(IReadOnlyList<int> inputShape, IReadOnlyList<int> weightShape, ConvSpec spec) =>
        ConvGeometry.Create(inputShape, weightShape, spec, Rank, Transposed);

    /// <summary>
    /// Forward pass: z = a ⊛ w + b (Eq 1 generalized) or, transposed, y = Σ_k Interleave(x^(k)) ⊗_f Rot180(w_k) + b
    /// (Eq 8 read forwards).
    /// </summary>
    /// <param name="input">N x C_in x spatial, or C_in x spatial.</param>
    /// <param name="weights">C_out x C_in/G x k..., or transposed C_in x C_out/G x k....</param>
    /// <param name="bias">Length C_out, or null for none.</param>
    /// <param name="spec">The hyperparameters.</param>
    /// <param name="algorithm">Which implementation computes it.</param>
    /// <param name="limits">Allocation limit and NaN/Inf policy; null for <see cref="Conv2dLimits.Default"/>.</param>
    /// <returns>The output, batched or not as the input.</returns>
    /// <exception cref="ArgumentException">An argument breaks a rule; the message says which and why.</exception>
    public Tensor<T> Forward<T>(Tensor<T> input, Tensor<T> weights, Tensor<T>? bias, ConvSpec spec,
        Conv2dAlgorithm algorithm = Conv2dAlgorithm.Vectorized, Conv2dLimits? limits = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        limits ??= Conv2dLimits.Default;
        ArgumentNullException.ThrowIfNull(spec);
        var geometry = ConvValidation.CheckForward(input, weights, bias, () => Geometry(input.Shape, weights.Shape, spec),
            ConvolutionPasses.Workspace, algorithm, limits, null);
        var output = Tensor<T>.Zeros(geometry.OutputShape);
        ConvolutionPasses.Forward(geometry, input, weights, bias, output, Engine(algorithm, limits));
        return output;
    }

    /// <summary>
    /// Backward pass for an upstream error delta = dJ/d(output): dJ/dw (clipped to [-c, c] when asked),
    /// dJ/db and dJ/d(input), or delta^(l-1) = dJ/d(input) .* g'(z^(l-1)) (Eq 6) when
    /// <paramref name="options"/> names the activation of the layer below.
    /// </summary>
    /// <param name="input">The forward input.</param>
    /// <param name="weights">The weights.</param>
    /// <param name="hasBias">Whether the layer has a bias (then dJ/db is returned).</param>
    /// <param name="delta">dJ/d(output), the shape of the forward output.</param>
    /// <param name="spec">The hyperparameters.</param>
    /// <param name="options">Activation of the layer below with its z^(l-1) (the input's shape), and clipping; null for none.</param>
    /// <param name="algorithm">Which implementation computes it.</param>
    /// <param name="limits">Allocation limit and NaN/Inf policy; null for <see cref="Conv2dLimits.Default"/>.</param>
    /// <exception cref="ArgumentException">An argument breaks a rule; the message says which and why.</exception>
    public Conv2dGradients<T> Backward<T>(Tensor<T> input, Tensor<T> weights, bool hasBias, Tensor<T> delta, ConvSpec spec,
        BackwardOptions<T>? options = null, Conv2dAlgorithm algorithm = Conv2dAlgorithm.Vectorized, Conv2dLimits? limits = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        options ??= BackwardOptions<T>.None;
        limits ??= Conv2dLimits.Default;
        ArgumentNullException.ThrowIfNull(spec);
        var geometry = ConvValidation.CheckBackward(input, weights, delta, () => Geometry(input.Shape, weights.Shape, spec),
            ConvolutionPasses.Workspace, options, algorithm, limits, null);
        var gradients = new Conv2dGradients<T>(Tensor<T>.Zeros(geometry.InputShape), Tensor<T>.Zeros(geometry.WeightShape),
            hasBias ? Tensor<T>.Zeros(geometry.OutChannels) : null);
        ConvolutionPasses.Backward(geometry, input, weights, delta, options, gradients, Engine(algorithm, limits));
        return gradients;
    }

    /// <summary>
    /// The backward of <see cref="Backward{T}"/>: for upstream gradients gg_a, gg_w, gg_b of its outputs, the
    /// gradients of L = ⟨gg_a, dJ/d(input)⟩ + ⟨gg_w, dJ/dw⟩ + ⟨gg_b, dJ/db⟩ with respect to the input, the
    /// weights, delta and z^(l-1). Each is a first-order pass of this operation on other arguments:
    /// dL/ddelta is the forward pass of gg_a ⊙ g'(z) with bias gg_b plus that of the input with gg_w as the
    /// weights (Eq 1, Eq 9); dL/dw the weight gradient with gg_a ⊙ g'(z) as the input (Eq 3/7); dL/d(input)
    /// the input gradient with gg_w as the weights (Eq 5/8); dL/dz^(l-1) = gg_a ⊙ dJ/d(input) ⊙ g''(z^(l-1)) (Eq 6).
    /// With clipping, gg_w counts only where -c ≤ dJ/dw ≤ c.
    /// </summary>
    /// <param name="input">The forward input.</param>
    /// <param name="weights">The weights.</param>
    /// <param name="delta">dJ/d(output), the shape of the forward output.</param>
    /// <param name="upstream">gg_a (the input's shape), gg_w (the weights' shape) and gg_b (length C_out, or null), shaped as <see cref="Backward{T}"/> returns its gradients.</param>
    /// <param name="spec">The hyperparameters.</param>
    /// <param name="options">The backward pass's options: activation of the layer below with its z^(l-1), and clipping; null for none.</param>
    /// <param name="algorithm">Which implementation computes it.</param>
    /// <param name="limits">Allocation limit and NaN/Inf policy; null for <see cref="Conv2dLimits.Default"/>.</param>
    /// <returns>dL/d(input), dL/dw, dL/ddelta and, when <paramref name="options"/> has z^(l-1), dL/dz^(l-1).</returns>
    /// <exception cref="ArgumentException">An argument breaks a rule; the message says which and why.</exception>
    public Conv2dSecondOrderGradients<T> DoubleBackward<T>(Tensor<T> input, Tensor<T> weights, Tensor<T> delta, Conv2dGradients<T> upstream,
        ConvSpec spec, BackwardOptions<T>? options = null, Conv2dAlgorithm algorithm = Conv2dAlgorithm.Vectorized, Conv2dLimits? limits = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        options ??= BackwardOptions<T>.None;
        limits ??= Conv2dLimits.Default;
        ArgumentNullException.ThrowIfNull(spec);
        var geometry = ConvValidation.CheckDoubleBackward(input, weights, delta, upstream, () => Geometry(input.Shape, weights.Shape, spec),
            ConvolutionPasses.Workspace, options, algorithm, limits);
        return Kernels.DoubleBackward.Compute(geometry, input, weights, delta, upstream, options, Engine(algorithm, limits));
    }

    private static PlanarEngine Engine(Conv2dAlgorithm algorithm, Conv2dLimits limits) => new(algorithm, limits.MaxThreads ?? int.MaxValue);
}

using System.Numerics;

namespace ConvRef;

/// <summary>The gradients a dense layer's backward pass produces.</summary>
/// <param name="Input">dJ/da^(l-1), or delta^(l-1) = theta^T delta .* g'(z^(l-1)) when an activation was given; shape N x In.</param>
/// <param name="Weights">dJ/dtheta = delta a^T summed over the batch, clipped when a clip value was given; shape Out x In.</param>
/// <param name="Bias">dJ/db = delta summed over the batch; length Out.</param>
public sealed record DenseGradients<T>(Tensor<T> Input, Tensor<T> Weights, Tensor<T> Bias)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// A fully connected layer z = theta a + b for each sample, the "ordinary neural network layer" the
/// derivation compares the convolution layer with; weights are laid out Out x In as in <c>torch.nn.Linear</c>.
/// </summary>
/// <remarks>
/// The convolution layer's Eq 3 (dJ/dw = a (x) delta) and Eq 6 (delta^(l-1) = delta (x)_f Rot180(w) .* g')
/// are the convolutional counterparts of this layer's dJ/dtheta = delta a^T and
/// delta^(l-1) = theta^T delta .* g'(z^(l-1)): the sliding window becomes a full matrix product.
/// </remarks>
public static class Dense
{
    /// <summary>Forward pass: z[n, o] = sum_i theta[o, i] a[n, i] + b[o], summed over i in increasing order, then b added.</summary>
    /// <param name="input">a^(l-1), shape N x In.</param>
    /// <param name="weights">theta, shape Out x In.</param>
    /// <param name="bias">b, length Out, or null.</param>
    /// <returns>z^(l), shape N x Out.</returns>
    /// <exception cref="ArgumentException">The shapes do not fit together.</exception>
    public static Tensor<T> Forward<T>(Tensor<T> input, Tensor<T> weights, Tensor<T>? bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (n, inputs, outputs) = CheckShapes(input, weights, bias);
        var z = Tensor<T>.Zeros(n, outputs);
        for (int s = 0; s < n; s++)
        {
            var a = input.Data.AsSpan(s * inputs, inputs);
            for (int o = 0; o < outputs; o++)
            {
                var theta = weights.Data.AsSpan(o * inputs, inputs);
                T sum = T.Zero;
                for (int i = 0; i < inputs; i++)
                    sum += theta[i] * a[i];
                z.Data[s * outputs + o] = bias is null ? sum : sum + bias.Data[o];
            }
        }
        return z;
    }

    /// <summary>Backward pass for an upstream error delta^(l) = dJ/dz^(l).</summary>
    /// <param name="input">a^(l-1) as given to <see cref="Forward{T}"/>, shape N x In.</param>
    /// <param name="weights">theta, shape Out x In.</param>
    /// <param name="delta">delta^(l), shape N x Out.</param>
    /// <param name="options">The layer below's activation and z^(l-1) (shape N x In) to return delta^(l-1) instead of dJ/da^(l-1), and the clip value for dJ/dtheta.</param>
    /// <returns>dJ/da^(l-1) or delta^(l-1); dJ/dtheta = sum_n delta[n] a[n]^T; dJ/db = sum_n delta[n].</returns>
    /// <exception cref="ArgumentException">The shapes do not fit together, or an activation was given without z^(l-1) of the input's shape.</exception>
    public static DenseGradients<T> Backward<T>(Tensor<T> input, Tensor<T> weights, Tensor<T> delta, BackwardOptions<T>? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (n, inputs, outputs) = CheckShapes(input, weights, null);
        ArgumentNullException.ThrowIfNull(delta);
        if (!delta.Shape.SequenceEqual([n, outputs]))
            throw new ArgumentException($"delta {delta.ShapeText} must be [{n},{outputs}] for input {input.ShapeText} and weights {weights.ShapeText}", nameof(delta));
        options ??= new BackwardOptions<T>();
        var previousZ = options.PreviousZ;
        if (options.PreviousActivation.Kind != ActivationKind.Identity && (previousZ is null || !previousZ.Shape.SequenceEqual(input.Shape)))
            throw new ArgumentException($"the activation {options.PreviousActivation.Kind} needs PreviousZ of the input's shape {input.ShapeText}", nameof(options));

        var dTheta = ComputeWeightGradients(input, delta, n, inputs, outputs, options.ClipValue);
        var dBias = Tensor<T>.Zeros(outputs);
        for (int s = 0; s < n; s++)
            for (int o = 0; o < outputs; o++)
                dBias.Data[o] += delta.Data[s * outputs + o];
        var dInput = BackPropagateError(weights, delta, n, inputs, outputs);
        if (options.PreviousActivation.Kind != ActivationKind.Identity)
            for (int k = 0; k < dInput.Length; k++)
                dInput.Data[k] *= options.PreviousActivation.Derivative(previousZ!.Data[k]);
        return new DenseGradients<T>(dInput, dTheta, dBias);
    }

    /// <summary>dJ/dtheta[o, i] = sum_n delta[n, o] a[n, i], summed over n in increasing order, then clipped.</summary>
    private static Tensor<T> ComputeWeightGradients<T>(Tensor<T> input, Tensor<T> delta, int n, int inputs, int outputs, T? clip)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dTheta = Tensor<T>.Zeros(outputs, inputs);
        for (int s = 0; s < n; s++)
            for (int o = 0; o < outputs; o++)
            {
                T d = delta.Data[s * outputs + o];
                var row = dTheta.Data.AsSpan(o * inputs, inputs);
                var a = input.Data.AsSpan(s * inputs, inputs);
                for (int i = 0; i < inputs; i++)
                    row[i] += d * a[i];
            }
        if (clip is { } c)
            for (int k = 0; k < dTheta.Length; k++)
                dTheta.Data[k] = T.Clamp(dTheta.Data[k], -c, c);
        return dTheta;
    }

    /// <summary>dJ/da[n, i] = sum_o theta[o, i] delta[n, o] (theta^T delta), summed over o in increasing order.</summary>
    private static Tensor<T> BackPropagateError<T>(Tensor<T> weights, Tensor<T> delta, int n, int inputs, int outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dInput = Tensor<T>.Zeros(n, inputs);
        for (int s = 0; s < n; s++)
        {
            var row = dInput.Data.AsSpan(s * inputs, inputs);
            for (int o = 0; o < outputs; o++)
            {
                T d = delta.Data[s * outputs + o];
                var theta = weights.Data.AsSpan(o * inputs, inputs);
                for (int i = 0; i < inputs; i++)
                    row[i] += theta[i] * d;
            }
        }
        return dInput;
    }

    private static (int N, int Inputs, int Outputs) CheckShapes<T>(Tensor<T> input, Tensor<T> weights, Tensor<T>? bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weights);
        if (input.Rank != 2)
            throw new ArgumentException($"a dense layer needs an N x In input, got {input.ShapeText}", nameof(input));
        if (weights.Rank != 2 || weights.Shape[1] != input.Shape[1])
            throw new ArgumentException($"weights {weights.ShapeText} must be Out x {input.Shape[1]} for input {input.ShapeText}", nameof(weights));
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != weights.Shape[0]))
            throw new ArgumentException($"bias {bias.ShapeText} must have length {weights.Shape[0]}", nameof(bias));
        return (input.Shape[0], input.Shape[1], weights.Shape[0]);
    }
}

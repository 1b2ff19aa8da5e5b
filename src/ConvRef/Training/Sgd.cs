using System.Numerics;

namespace ConvRef;

/// <summary>
/// Plain stochastic gradient descent with optional momentum and gradient clipping, following
/// <c>torch.optim.SGD</c> (no dampening, no weight decay, not Nesterov) and
/// <c>torch.nn.utils.clip_grad_value_</c>.
/// </summary>
/// <remarks>
/// One step, per parameter element: g = clamp(dJ/dp, -clip, clip) (the derivation's <c>clipvalue</c>),
/// v = mu v + g (v = g on the first step, as PyTorch initialises its buffer), p = p - lr v.
/// With mu = 0 this is p = p - lr g. The instance keeps one velocity per parameter tensor, so give
/// <see cref="Step"/> the same tensors in the same order every time.
/// </remarks>
public sealed class Sgd<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<T[]> _velocities = [];
    private readonly T _learningRate;
    private readonly T _momentum;
    private readonly T? _clipValue;

    /// <summary>A new optimizer.</summary>
    /// <param name="learningRate">lr &gt; 0.</param>
    /// <param name="momentum">mu in [0, 1).</param>
    /// <param name="clipValue">c &gt; 0 to clamp every gradient element to [-c, c], or null.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range.</exception>
    public Sgd(T learningRate, T momentum, T? clipValue = null)
    {
        if (!(learningRate > T.Zero) || !T.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "the learning rate must be finite and positive");
        if (!(momentum >= T.Zero && momentum < T.One))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "the momentum must be in [0, 1)");
        if (clipValue is { } c && !(c > T.Zero))
            throw new ArgumentOutOfRangeException(nameof(clipValue), clipValue, "the clip value must be positive");
        _learningRate = learningRate;
        _momentum = momentum;
        _clipValue = clipValue;
    }

    /// <summary>How many steps have been taken.</summary>
    public int Steps { get; private set; }

    /// <summary>The velocity v of parameter <paramref name="index"/> (in <see cref="Step"/>'s order) after the last step.</summary>
    public ReadOnlySpan<T> Velocity(int index) => _velocities[index];

    /// <summary>Updates every parameter in place from its gradient.</summary>
    /// <param name="parameters">The parameter tensors, updated in place.</param>
    /// <param name="gradients">dJ/dp for each, same shapes, same order.</param>
    /// <exception cref="ArgumentException">The lists differ in length, a gradient's shape differs from its parameter's, or the parameters changed since the last step.</exception>
    public void Step(IReadOnlyList<Tensor<T>> parameters, IReadOnlyList<Tensor<T>> gradients)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        if (parameters.Count != gradients.Count)
            throw new ArgumentException($"{parameters.Count} parameters but {gradients.Count} gradients", nameof(gradients));
        bool first = _velocities.Count == 0;
        if (!first && _velocities.Count != parameters.Count)
            throw new ArgumentException($"the optimizer was stepped with {_velocities.Count} parameters before, now {parameters.Count}", nameof(parameters));
        // Every check runs before any parameter or velocity changes, so a rejected step leaves the optimizer as it was.
        for (int k = 0; k < parameters.Count; k++)
        {
            if (!parameters[k].Shape.SequenceEqual(gradients[k].Shape))
                throw new ArgumentException($"gradient {k} {gradients[k].ShapeText} does not match its parameter {parameters[k].ShapeText}", nameof(gradients));
            if (!first && _velocities[k].Length != parameters[k].Length)
                throw new ArgumentException($"parameter {k} has {parameters[k].Length} elements, {_velocities[k].Length} at the last step", nameof(parameters));
        }
        for (int k = 0; k < parameters.Count; k++)
        {
            var p = parameters[k].Data;
            var g = gradients[k].Data;
            if (first)
                _velocities.Add(new T[p.Length]);
            var v = _velocities[k];
            for (int i = 0; i < p.Length; i++)
            {
                T clipped = _clipValue is { } c ? T.Clamp(g[i], -c, c) : g[i];
                v[i] = first ? clipped : _momentum * v[i] + clipped;
                p[i] -= _learningRate * v[i];
            }
        }
        Steps++;
    }
}

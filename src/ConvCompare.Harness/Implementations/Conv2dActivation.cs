namespace ConvCompare.Implementations;

/// <summary>
/// The activation g of the layer below, a^(l-1) = g(z^(l-1)), whose derivative enters the gradient at
/// the layer's input: delta^(l-1) = dJ/da^(l-1) .* g'(z^(l-1)) (Eq 6/8). At the kinks the derivatives
/// are PyTorch's: ReLU'(0) = 0 and leaky ReLU'(0) = its slope.
/// </summary>
public enum Conv2dActivation
{
    /// <summary>g(z) = z: the input gradient is dJ/da^(l-1) itself (Eq 5/8).</summary>
    Identity,

    /// <summary>g(z) = max(z, 0).</summary>
    ReLU,

    /// <summary>g(z) = z for z &gt; 0, <see cref="Conv2dProblem.LeakySlope"/> * z otherwise.</summary>
    LeakyReLU,

    /// <summary>g(z) = 1 / (1 + e^-z).</summary>
    Sigmoid,

    /// <summary>g(z) = tanh z.</summary>
    Tanh,
}

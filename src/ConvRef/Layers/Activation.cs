namespace ConvRef;

/// <summary>The activation g of the layer below, whose derivative g'(z^(l-1)) enters Eq 4, Eq 6 and Eq 8.</summary>
public enum ActivationKind
{
    /// <summary>g(z) = z.</summary>
    Identity,
    /// <summary>g(z) = max(z, 0).</summary>
    ReLU,
    /// <summary>g(z) = z for z &gt; 0, slope * z otherwise.</summary>
    LeakyReLU,
    /// <summary>g(z) = 1 / (1 + e^-z).</summary>
    Sigmoid,
    /// <summary>g(z) = tanh z.</summary>
    Tanh,
}

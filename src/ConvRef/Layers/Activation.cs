using System.Numerics;

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

/// <summary>An activation g with its parameter (the slope of leaky ReLU).</summary>
/// <param name="Kind">Which function.</param>
/// <param name="NegativeSlope">Leaky ReLU's slope for z &lt;= 0 (PyTorch's default 0.01); ignored by the others.</param>
/// <remarks>
/// The derivatives at the kinks follow PyTorch's autograd, so delta^(l-1) can be compared with it
/// entry by entry: ReLU'(0) = 0 (the derivation's <c>dReLU</c>, <c>1.*(x &gt; 0)</c>) and leaky ReLU'(0) = slope.
/// Apply propagates NaN through every function.
/// </remarks>
public readonly record struct Activation(ActivationKind Kind, double NegativeSlope = 0.01)
{
    /// <summary>g(z) = z.</summary>
    public static Activation Identity => new(ActivationKind.Identity);

    /// <summary>g(z) = max(z, 0).</summary>
    public static Activation ReLU => new(ActivationKind.ReLU);

    /// <summary>g(z) = 1 / (1 + e^-z).</summary>
    public static Activation Sigmoid => new(ActivationKind.Sigmoid);

    /// <summary>g(z) = tanh z.</summary>
    public static Activation Tanh => new(ActivationKind.Tanh);

    /// <summary>Leaky ReLU with the given slope for z &lt;= 0.</summary>
    public static Activation LeakyReLU(double negativeSlope = 0.01) => new(ActivationKind.LeakyReLU, negativeSlope);

    /// <summary>g(z) applied to one value.</summary>
    public T Apply<T>(T z) where T : unmanaged, IFloatingPointIeee754<T> => Kind switch
    {
        ActivationKind.Identity => z,
        ActivationKind.ReLU => T.Max(z, T.Zero),
        ActivationKind.LeakyReLU => z > T.Zero || T.IsNaN(z) ? z : T.CreateChecked(NegativeSlope) * z,
        ActivationKind.Sigmoid => T.One / (T.One + T.Exp(-z)),
        ActivationKind.Tanh => T.Tanh(z),
        _ => throw new InvalidOperationException($"unknown activation {Kind}"),
    };

    /// <summary>g'(z) for one value: the factor Eq 4 multiplies dJ/da by.</summary>
    /// <remarks>For NaN, (leaky) ReLU take the branch PyTorch's autograd takes (z &lt;= 0 is false for ReLU, z &gt; 0 is false for leaky ReLU).</remarks>
    public T Derivative<T>(T z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (Kind)
        {
            case ActivationKind.Identity:
                return T.One;
            case ActivationKind.ReLU:
                return z <= T.Zero ? T.Zero : T.One;
            case ActivationKind.LeakyReLU:
                return z > T.Zero ? T.One : T.CreateChecked(NegativeSlope);
            case ActivationKind.Sigmoid:
                T s = Apply(z);
                return s * (T.One - s);
            case ActivationKind.Tanh:
                T t = T.Tanh(z);
                return T.One - t * t;
            default:
                throw new InvalidOperationException($"unknown activation {Kind}");
        }
    }

    /// <summary>
    /// g''(z) for one value: the factor the double backward multiplies by where the first backward
    /// multiplied by g'(z) (Eq 6): d/dz [gg · dJ/da · g'(z)] = gg · dJ/da · g''(z).
    /// </summary>
    /// <remarks>
    /// Zero for the identity and, almost everywhere, for ReLU and leaky ReLU (piecewise linear; PyTorch's
    /// autograd returns zero at the kink and for NaN too). Sigmoid: σ'' = σ'(1 - 2σ), written with
    /// 1 - 2σ(z) = -tanh(z/2) so that no digits cancel near z = 0 and every factor has a small relative
    /// error. Tanh: tanh'' = -2 tanh z (1 - tanh² z).
    /// </remarks>
    public T SecondDerivative<T>(T z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (Kind)
        {
            case ActivationKind.Identity:
            case ActivationKind.ReLU:
            case ActivationKind.LeakyReLU:
                return T.Zero;
            case ActivationKind.Sigmoid:
                T s = Apply(z);
                return -(s * (T.One - s)) * T.Tanh(z / T.CreateChecked(2));
            case ActivationKind.Tanh:
                T t = T.Tanh(z);
                return -T.CreateChecked(2) * t * (T.One - t * t);
            default:
                throw new InvalidOperationException($"unknown activation {Kind}");
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Kind == ActivationKind.LeakyReLU
        ? $"LeakyReLU({NegativeSlope.ToString(System.Globalization.CultureInfo.InvariantCulture)})"
        : Kind.ToString();
}

using ConvCompare.Cases;
using ConvRef;

namespace ConvCompare.Oracles;

/// <summary>
/// g, g' and g'' in float64 from the textbook formulas: the judge's own, independent of ConvRef's
/// <see cref="Activation"/> (whose derivative is under test in delta^(l-1) = dJ/da .* g'(z), Eq 6/8, and whose second
/// derivative in the double backward's dL/dz^(l-1)).
/// </summary>
internal static class ActivationDefinition
{
    /// <summary>
    /// g(z): max(z, 0), leaky max(z, 0.01 z), 1 / (1 + e^-z) or tanh z; z for identity. Evaluating it
    /// rounds 0 (ReLU), 1 (leaky ReLU), 2 (tanh) or 4 (sigmoid) times in relative terms
    /// (<see cref="ApplyRoundings"/>).
    /// </summary>
    public static double Apply(ActivationKind kind, double z) => kind switch
    {
        ActivationKind.ReLU => z > 0 ? z : 0,
        ActivationKind.LeakyReLU => z > 0 ? z : CaseConfig.LeakySlope * z,
        ActivationKind.Sigmoid => 1 / (1 + Math.Exp(-z)),
        ActivationKind.Tanh => Math.Tanh(z),
        _ => z,
    };

    /// <summary>Relative roundings of evaluating <see cref="Apply"/> (the multiplication by the slope; libm's tanh within 2 u; exp, the addition and the division for sigmoid).</summary>
    public static int ApplyRoundings(ActivationKind kind) => kind switch
    {
        ActivationKind.LeakyReLU => 1,
        ActivationKind.Tanh => 2,
        ActivationKind.Sigmoid => 4,
        _ => 0,
    };

    /// <summary>g'(z): 1 or 0 (ReLU), 1 or 0.01 (leaky), s (1 - s) with s = g(z) (sigmoid), 1 - tanh^2 z (tanh); 1 for identity.</summary>
    public static double Derivative(ActivationKind kind, double z)
    {
        switch (kind)
        {
            case ActivationKind.ReLU:
                return z > 0 ? 1 : 0;
            case ActivationKind.LeakyReLU:
                return z > 0 ? 1 : CaseConfig.LeakySlope;
            case ActivationKind.Sigmoid:
                double s = 1 / (1 + Math.Exp(-z));
                return s * (1 - s);
            case ActivationKind.Tanh:
                double t = Math.Tanh(z);
                return 1 - t * t;
            default:
                return 1;
        }
    }

    /// <summary>
    /// g''(z): s (1 - s) (1 - 2 s) with s = g(z) (sigmoid), -2 t (1 - t^2) with t = tanh z (tanh); 0 for ReLU, leaky ReLU
    /// and the identity, which are linear on each side of 0 (and 0 at the kink, as autograd takes it). The textbook
    /// forms, as PyTorch's double backward of g evaluates them: 1 - 2 s cancels near z = 0, an absolute error of at most
    /// 9 u (s to 4 u, doubled exactly, then the subtraction) that <see cref="Comparison.SecondOrderMagnitudes"/> accounts for.
    /// </summary>
    public static double SecondDerivative(ActivationKind kind, double z)
    {
        switch (kind)
        {
            case ActivationKind.Sigmoid:
                double s = 1 / (1 + Math.Exp(-z));
                return s * (1 - s) * (1 - 2 * s);
            case ActivationKind.Tanh:
                double t = Math.Tanh(z);
                return -2 * t * (1 - t * t);
            default:
                return 0;
        }
    }
}

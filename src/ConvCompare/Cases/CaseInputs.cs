using ConvRef;

namespace ConvCompare.Cases;

/// <summary>
/// The values of a case, held as float64 tensors whose every element is exactly representable in
/// the case's dtype, so ConvRef and TorchSharp receive identical numbers in either dtype.
/// </summary>
/// <param name="Input">a^(l-1) = g(z^(l-1)), N x C_in x H x W.</param>
/// <param name="Weights">w, C_out x C_in/G x kH x kW.</param>
/// <param name="Bias">b, length C_out, or null.</param>
/// <param name="Upstream">dy = dJ/dz^(l) = delta^(l) for J = sum(y .* dy), N x C_out x H_out x W_out.</param>
/// <param name="PreviousZ">z^(l-1) when the case has an activation, else null.</param>
internal sealed record CaseInputs(Tensor<double> Input, Tensor<double> Weights, Tensor<double>? Bias, Tensor<double> Upstream, Tensor<double>? PreviousZ)
{
    /// <summary>
    /// Smallest |z^(l-1)| drawn. ReLU and leaky ReLU have a kink at 0 where g' jumps; the numeric
    /// gradient check moves each z by at most its step (<see cref="GradCheck.GradientCheck.PiecewiseLinearStep"/>,
    /// 1/32, smaller than this margin), so no perturbation crosses the kink and the piecewise-linear
    /// J stays linear along every perturbation, which makes central differences exact up to rounding.
    /// </summary>
    public const double KinkMargin = 1.0 / 16;

    private enum Role : ulong { Input = 1, Weights = 2, Bias = 3, Upstream = 4 }

    /// <summary>
    /// The values of <paramref name="config"/>, from its value seed only: each tensor has its own
    /// SplitMix64 stream; a, w, b and dy are uniform in [-1, 1), z^(l-1) has |z| uniform in
    /// [<see cref="KinkMargin"/>, 1) with a random sign, and a = g(z) is evaluated in float64 (with
    /// ConvRef's <see cref="Activation.Apply{T}"/>) and rounded to the dtype. For sigmoid and tanh
    /// that evaluation goes through the platform's exp/tanh, which may differ in the last bit
    /// between C runtimes; every other value is bit-identical on every machine.
    /// </summary>
    public static CaseInputs Create(CaseConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var dtype = config.Dtype;
        Tensor<double>? z = null;
        Tensor<double> a;
        if (config.Activation == ActivationKind.Identity)
            a = Draw(config.ValueSeed, Role.Input, config.InputShape, dtype, static (ref SplitMix64 r) => r.NextSigned());
        else
        {
            z = Draw(config.ValueSeed, Role.Input, config.InputShape, dtype,
                static (ref SplitMix64 r) => (r.Chance(0.5) ? -1 : 1) * (KinkMargin + (1 - KinkMargin) * r.NextUnit()));
            var g = config.PreviousActivation;
            a = new Tensor<double>(config.InputShape, Array.ConvertAll(z.Data, v => Round(g.Apply(v), dtype)));
        }
        var w = Draw(config.ValueSeed, Role.Weights, config.WeightShape, dtype, static (ref SplitMix64 r) => r.NextSigned());
        var b = config.Bias ? Draw(config.ValueSeed, Role.Bias, [config.Cout], dtype, static (ref SplitMix64 r) => r.NextSigned()) : null;
        var dy = Draw(config.ValueSeed, Role.Upstream, config.OutputShape, dtype, static (ref SplitMix64 r) => r.NextSigned());
        return new CaseInputs(a, w, b, dy, z);
    }

    /// <summary>Rounds a float64 value to the dtype (to nearest), returned as float64.</summary>
    public static double Round(double value, CaseDtype dtype) => dtype == CaseDtype.F32 ? (float)value : value;

    private delegate double Sampler(ref SplitMix64 rng);

    private static Tensor<double> Draw(ulong seed, Role role, int[] shape, CaseDtype dtype, Sampler sample)
    {
        var rng = new SplitMix64(SplitMix64.Derive(seed, (ulong)role));
        long count = 1;
        foreach (int d in shape)
            count *= d;
        var data = new double[count];
        for (int i = 0; i < data.Length; i++)
            data[i] = Round(sample(ref rng), dtype);
        return new Tensor<double>(shape, data);
    }
}

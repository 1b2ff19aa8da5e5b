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
    /// <summary>gg_a, gg_w and gg_b of a second-order case (<see cref="CaseConfig.Order"/> 2), each uniform in [-1, 1) from its own stream; else null.</summary>
    public SecondOrderUpstream? SecondOrder { get; init; }

    /// <summary>
    /// Smallest |z^(l-1)| drawn. ReLU and leaky ReLU have a kink at 0 where g' jumps; the numeric
    /// gradient check moves each z by at most its step (<see cref="GradCheck.GradientCheck.PiecewiseLinearStep"/>,
    /// 1/32, smaller than this margin), so no perturbation crosses the kink and the piecewise-linear
    /// J stays linear along every perturbation, which makes central differences exact up to rounding.
    /// </summary>
    public const double KinkMargin = 1.0 / 16;

    private enum Role : ulong { Input = 1, Weights = 2, Bias = 3, Upstream = 4, NonFinitePositions = 5, GgInput = 6, GgWeights = 7, GgBias = 8 }

    /// <summary>
    /// The values of <paramref name="config"/>, from its value seed only: each tensor has its own
    /// SplitMix64 stream; a, w, b and dy are uniform in [-1, 1), z^(l-1) has |z| uniform in
    /// [<see cref="KinkMargin"/>, 1) with a random sign, and a = g(z) is evaluated in float64 (with
    /// ConvRef's <see cref="Activation.Apply{T}"/>) and rounded to the dtype. For sigmoid and tanh
    /// that evaluation goes through the platform's exp/tanh, which may differ in the last bit
    /// between C runtimes; every other value is bit-identical on every machine. A special
    /// <see cref="CaseConfig.Values"/> kind draws a, w, b and dy as <see cref="SpecialSample"/> says.
    /// </summary>
    public static CaseInputs Create(CaseConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var dtype = config.Dtype;
        if (config.Values != ValueKind.Uniform)
            return CreateSpecial(config);
        Tensor<double>? z = null;
        Tensor<double> a;
        if (config.Activation == ActivationKind.Identity)
            a = Draw(config.ValueSeed, Role.Input, config.InputShape, dtype, static (ref SplitMix64 r) => r.NextSigned());
        else
        {
            z = Draw(config.ValueSeed, Role.Input, config.InputShape, dtype,
                static (ref SplitMix64 r) => (r.Chance(0.5) ? -1 : 1) * (KinkMargin + (1 - KinkMargin) * r.NextUnit()));
            var g = config.ConvRefActivation;
            a = new Tensor<double>(config.InputShape, Array.ConvertAll(z.Data, v => Round(g.Apply(v), dtype)));
        }
        var w = Draw(config.ValueSeed, Role.Weights, config.WeightShape, dtype, static (ref SplitMix64 r) => r.NextSigned());
        var b = config.Bias ? Draw(config.ValueSeed, Role.Bias, [config.Shape.Cout], dtype, static (ref SplitMix64 r) => r.NextSigned()) : null;
        var dy = Draw(config.ValueSeed, Role.Upstream, config.OutputShape, dtype, static (ref SplitMix64 r) => r.NextSigned());
        return new CaseInputs(a, w, b, dy, z) { SecondOrder = config.Order == 2 ? DrawSecondOrder(config) : null };
    }

    /// <summary>gg_a, gg_w and gg_b, each from its own stream, so that a, w, b, dy and z are those of the first-order case.</summary>
    private static SecondOrderUpstream DrawSecondOrder(CaseConfig config)
    {
        static double Signed(ref SplitMix64 r) => r.NextSigned();
        return new SecondOrderUpstream(
            Draw(config.ValueSeed, Role.GgInput, config.InputShape, config.Dtype, Signed),
            Draw(config.ValueSeed, Role.GgWeights, config.WeightShape, config.Dtype, Signed),
            config.Bias ? Draw(config.ValueSeed, Role.GgBias, [config.Shape.Cout], config.Dtype, Signed) : null);
    }

    /// <summary>Rounds a float64 value to the dtype (to nearest), returned as float64.</summary>
    public static double Round(double value, CaseDtype dtype) => dtype == CaseDtype.F32 ? (float)value : value;

    /// <summary>
    /// One value of a special kind for a tensor, before rounding to the dtype. Subnormal: a and b are
    /// U(-1, 1) times the dtype's smallest normal number (2^-126 or 2^-1022), so they and every product
    /// with them are subnormal. Near max: |a| in [2^126, 2^127) (the largest float32 is just below
    /// 2^128), w times 2^-14, b times 2^112, dy times 2^-20, so |y| &lt;= K 2^113 and |dJ/dw| &lt;= K 2^107 stay
    /// finite in any summation order for every K below 2^14. Zeros and cancellation: integers -2..2,
    /// 0 with probability 0.4, exact as products and sums in both dtypes. Non-finite and infinite
    /// weights: uniform, the NaN and infinities are placed afterwards.
    /// </summary>
    private static double SpecialSample(ValueKind kind, Role role, CaseDtype dtype, ref SplitMix64 rng) => kind switch
    {
        ValueKind.Subnormal when role is Role.Input or Role.Bias =>
            rng.NextSigned() * (dtype == CaseDtype.F32 ? Math.ScaleB(1, -126) : Math.ScaleB(1, -1022)),
        ValueKind.NearMax => role switch
        {
            Role.Input => (rng.Chance(0.5) ? -1 : 1) * Math.ScaleB(1 + rng.NextUnit(), 126),
            Role.Weights => Math.ScaleB(rng.NextSigned(), -14),
            Role.Bias => Math.ScaleB(rng.NextSigned(), 112),
            _ => Math.ScaleB(rng.NextSigned(), -20),
        },
        ValueKind.ZerosAndCancellation => rng.Between(0, 9) switch
        {
            < 4 => 0,
            < 6 => 1,
            < 8 => -1,
            8 => 2,
            _ => -2,
        },
        _ => rng.NextSigned(),
    };

    private static CaseInputs CreateSpecial(CaseConfig config)
    {
        var kind = config.Values;
        Tensor<double> Tensor(Role role, int[] shape)
        {
            var rng = new SplitMix64(SplitMix64.Derive(config.ValueSeed, (ulong)role));
            var data = new double[Count(shape)];
            if (kind == ValueKind.AllEqual)
                Array.Fill(data, Round(rng.NextSigned(), config.Dtype));
            else
                for (int i = 0; i < data.Length; i++)
                    data[i] = Round(SpecialSample(kind, role, config.Dtype, ref rng), config.Dtype);
            return new Tensor<double>(shape, data);
        }
        var a = Tensor(Role.Input, config.InputShape);
        var dy = Tensor(Role.Upstream, config.OutputShape);
        var w = Tensor(Role.Weights, config.WeightShape);
        if (kind == ValueKind.NonFinite)
        {
            var rng = new SplitMix64(SplitMix64.Derive(config.ValueSeed, (ulong)Role.NonFinitePositions));
            int count = rng.Between(1, 3);
            for (int i = 0; i < count; i++)
                a.Data[rng.Between(0, a.Length - 1)] = NonFiniteValue(ref rng);
        }
        if (kind == ValueKind.InfiniteWeights)
        {
            var rng = new SplitMix64(SplitMix64.Derive(config.ValueSeed, (ulong)Role.NonFinitePositions));
            int count = rng.Between(1, 3);
            for (int i = 0; i < count; i++)
                w.Data[rng.Between(0, w.Length - 1)] = rng.Chance(0.5) ? double.PositiveInfinity : double.NegativeInfinity;
        }
        return new CaseInputs(a, w, config.Bias ? Tensor(Role.Bias, [config.Shape.Cout]) : null, dy, null);
    }

    private static double NonFiniteValue(ref SplitMix64 rng) => rng.Between(0, 2) switch
    {
        0 => double.NaN,
        1 => double.PositiveInfinity,
        _ => double.NegativeInfinity,
    };

    private static long Count(int[] shape) => shape.Aggregate(1L, (p, d) => p * d);

    private delegate double Sampler(ref SplitMix64 rng);

    private static Tensor<double> Draw(ulong seed, Role role, int[] shape, CaseDtype dtype, Sampler sample)
    {
        var rng = new SplitMix64(SplitMix64.Derive(seed, (ulong)role));
        var data = new double[Count(shape)];
        for (int i = 0; i < data.Length; i++)
            data[i] = Round(sample(ref rng), dtype);
        return new Tensor<double>(shape, data);
    }
}

using ConvCompare.Cases;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Support;

/// <summary>One convolution with concrete values (float64 values that are exact in float32).</summary>
internal sealed record ConvCase(
    string Name, Conv2dSpec Spec, int[] InputShape, int[] WeightShape, bool HasBias,
    double[] Input, double[] Weights, double[]? Bias, double[] Delta, int[] OutputShape,
    Activation Activation, double[]? PreviousZ, double? Clip)
{
    public override string ToString() => Name;

    public Tensor<T> InputTensor<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => Make<T>(InputShape, Input);
    public Tensor<T> WeightTensor<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => Make<T>(WeightShape, Weights);
    public Tensor<T>? BiasTensor<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => Bias is null ? null : Make<T>([Bias.Length], Bias);
    public Tensor<T> DeltaTensor<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => Make<T>(OutputShape, Delta);

    public BackwardOptions<T> Options<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => new()
    {
        PreviousActivation = Activation,
        PreviousZ = PreviousZ is null ? null : Make<T>(InputShape, PreviousZ),
        ClipValue = Clip is { } c ? T.CreateChecked(c) : null,
    };

    private static Tensor<T> Make<T>(int[] shape, double[] values) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        => new(shape, [.. values.Select(T.CreateChecked)]);

    /// <summary>
    /// A random valid configuration: stride 1-3, asymmetric padding 0-2, dilation 1-3, groups 1, 2, 3
    /// or depthwise, with or without bias, batch 1-3, sizes chosen so the kernel fits the padded input.
    /// With an activation, the input is g(z^(l-1)) computed here in the target precision's values.
    /// </summary>
    public static ConvCase Random(ulong seed, bool withActivation = false, bool withClip = false)
    {
        var rng = new TestRandom(seed);
        while (true)
        {
            int groups = rng.Int(0, 3) switch { 0 or 1 => 1, 2 => 2, _ => 3 };
            bool depthwise = rng.Int(0, 4) == 0;
            int cin = depthwise ? groups * 1 : groups * rng.Int(1, 3);
            int cout = groups * rng.Int(1, 3);
            var spec = new Conv2dSpec
            {
                StrideH = rng.Int(1, 3), StrideW = rng.Int(1, 3),
                PadTop = rng.Int(0, 2), PadBottom = rng.Int(0, 2), PadLeft = rng.Int(0, 2), PadRight = rng.Int(0, 2),
                DilationH = rng.Int(1, 3), DilationW = rng.Int(1, 3), Groups = groups,
            };
            int n = rng.Int(1, 3), h = rng.Int(1, 9), w = rng.Int(1, 9), kh = rng.Int(1, 3), kw = rng.Int(1, 3);
            if ((kh - 1) * spec.DilationH + 1 > h + spec.PadTop + spec.PadBottom || (kw - 1) * spec.DilationW + 1 > w + spec.PadLeft + spec.PadRight)
                continue;
            var geometry = Conv2dGeometry.Create([n, cin, h, w], [cout, cin / groups, kh, kw], spec);
            bool hasBias = rng.Bool();
            var activation = withActivation ? RandomActivation(rng) : Activation.Identity;
            // z^(l-1) in [-1, 1), where the harness's rounding bound for g'(z) holds.
            double[] z = withActivation ? [.. Enumerable.Range(0, n * cin * h * w).Select(_ => rng.Signed())] : Values(rng, n * cin * h * w);
            double[] input = withActivation ? [.. z.Select(v => (double)activation.Apply((float)v))] : z;
            string name = $"seed {seed}: N{n} C{cin}->{cout} {h}x{w} k{kh}x{kw} s{spec.StrideH},{spec.StrideW} " +
                $"p{spec.PadTop},{spec.PadBottom},{spec.PadLeft},{spec.PadRight} d{spec.DilationH},{spec.DilationW} g{groups}" +
                (hasBias ? " bias" : "") + (withActivation ? $" {activation}" : "") + (withClip ? " clip" : "");
            return new ConvCase(name, spec, geometry.InputShape, geometry.WeightShape, hasBias,
                input, Values(rng, cout * (cin / groups) * kh * kw), hasBias ? Values(rng, cout) : null,
                Values(rng, geometry.OutputShape.Aggregate(1, (p, d) => p * d)), geometry.OutputShape,
                activation, withActivation ? z : null, withClip ? 0.5 : null);
        }
    }

    /// <summary>One of the harness's activations (leaky ReLU with its slope), uniformly.</summary>
    public static Activation RandomActivation(TestRandom rng) => rng.Int(0, 4) switch
    {
        0 => Activation.Identity, 1 => Activation.ReLU, 2 => Activation.LeakyReLU(CaseConfig.LeakySlope),
        3 => Activation.Sigmoid, _ => Activation.Tanh,
    };

    private static double[] Values(TestRandom rng, int count) => [.. Enumerable.Range(0, count).Select(_ => rng.Signed() * 2)];
}

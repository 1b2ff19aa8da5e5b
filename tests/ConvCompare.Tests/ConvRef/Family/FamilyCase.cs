using System.Numerics;
using ConvCompare.Cases;
using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Family;

/// <summary>
/// One operation of the convolution family with concrete values (float64 values exact in float32, so
/// both precisions start from the same numbers): input, weights, optional bias, the upstream error δ of
/// the output's shape, and optionally the activation below with z^(l-1) and a clip value.
/// </summary>
internal sealed record FamilyCase(
    string Name, Convolution Op, ConvSpec Spec, int[] InputShape, int[] WeightShape, int[] OutputShape,
    double[] Input, double[] Weights, double[]? Bias, double[] Delta, Activation Activation, double[]? PreviousZ, double? Clip)
{
    public override string ToString() => Name;

    /// <summary>This case in the harness's case model (float64), for its bounds and reference.</summary>
    public CaseConfig Config => FamilyCaseOf.Spec(Op, Spec, InputShape, WeightShape, Bias is not null, CaseDtype.F64, Activation.Kind, Clip);

    /// <summary>Its values as the harness holds them.</summary>
    public CaseInputs Inputs => new(InputTensor<double>(), WeightTensor<double>(), BiasTensor<double>(), DeltaTensor<double>(), PreviousZTensor);

    public Tensor<T> InputTensor<T>() where T : unmanaged, IFloatingPointIeee754<T> => Make<T>(InputShape, Input);
    public Tensor<T> WeightTensor<T>() where T : unmanaged, IFloatingPointIeee754<T> => Make<T>(WeightShape, Weights);
    public Tensor<T>? BiasTensor<T>() where T : unmanaged, IFloatingPointIeee754<T> => Bias is null ? null : Make<T>([Bias.Length], Bias);
    public Tensor<T> DeltaTensor<T>() where T : unmanaged, IFloatingPointIeee754<T> => Make<T>(OutputShape, Delta);
    public Tensor<double>? PreviousZTensor => PreviousZ is null ? null : Make<double>(InputShape, PreviousZ);

    public BackwardOptions<T> Options<T>() where T : unmanaged, IFloatingPointIeee754<T> => new()
    {
        PreviousActivation = Activation,
        PreviousZ = PreviousZ is null ? null : Make<T>(InputShape, PreviousZ),
        ClipValue = Clip is { } c ? T.CreateChecked(c) : null,
    };

    /// <summary>
    /// A case with seeded values for the given shapes and spec; with an activation, the input is g(z^(l-1))
    /// for z^(l-1) in [-1, 1) (where the harness's bound for g' holds), computed in float32 and kept exactly.
    /// </summary>
    public static FamilyCase Of(string name, Convolution op, ConvSpec spec, int[] inputShape, int[] weightShape, bool hasBias, ulong seed,
        Activation activation = default, double? clip = null)
    {
        var rng = new TestRandom(seed);
        var geometry = op.Geometry(inputShape, weightShape, spec);
        int inputCount = Count(inputShape);
        bool withActivation = activation.Kind != ActivationKind.Identity;
        double[]? z = withActivation ? [.. Enumerable.Range(0, inputCount).Select(_ => rng.Signed())] : null;
        double[] input = z is null ? Values(rng, inputCount) : [.. z.Select(v => (double)activation.Apply((float)v))];
        return new FamilyCase(name, op, spec, [.. inputShape], [.. weightShape], geometry.OutputShape, input,
            Values(rng, Count(weightShape)), hasBias ? Values(rng, geometry.OutChannels) : null, Values(rng, Count(geometry.OutputShape)),
            activation, z, clip);
    }

    /// <summary>
    /// A random valid case of <paramref name="op"/> in <paramref name="mode"/>: stride 1-3, dilation 1-3,
    /// padding per side 0-2 (or same/valid), output_padding below stride or dilation, groups 1-3 or
    /// depthwise, bias or not, batched or unbatched, sizes where the kernel fits.
    /// </summary>
    public static FamilyCase Random(Convolution op, PaddingMode mode, ulong seed, bool withActivation = false, bool withClip = false)
    {
        var rng = new TestRandom(seed * 7919 + (ulong)op.Rank * 31 + (op.Transposed ? 17UL : 0) + (ulong)mode);
        int rank = op.Rank;
        while (true)
        {
            int groups = rng.Int(1, 3);
            bool depthwise = rng.Int(0, 3) == 0;
            int inPerGroup = depthwise ? 1 : rng.Int(1, 2), outPerGroup = rng.Int(1, 2);
            int[] stride = Draw(rng, rank, 1, rank == 3 ? 2 : 3), dilation = Draw(rng, rank, 1, rank == 3 ? 2 : 3);
            int[] kernel = Draw(rng, rank, 1, 3), size = Draw(rng, rank, 1, rank == 3 ? 5 : 8);
            int paddingKind = op.Transposed ? 0 : rng.Int(0, 5);
            bool same = paddingKind == 4 && stride.All(s => s == 1);
            var padding = paddingKind == 5 ? ConvPadding.Valid : same ? ConvPadding.Same
                : ConvPadding.PerSide(Draw(rng, rank, 0, 2), Draw(rng, rank, 0, 2));
            int[] outputPadding = op.Transposed
                ? [.. Enumerable.Range(0, rank).Select(i => rng.Int(0, Math.Max(stride[i], dilation[i]) - 1))]
                : new int[rank];
            var spec = new ConvSpec
            {
                Stride = stride, Dilation = dilation, Padding = padding, Groups = groups, PaddingMode = mode, OutputPadding = outputPadding,
            };
            int n = rng.Int(1, 2);
            bool batched = rng.Int(0, 3) > 0;
            int inChannels = groups * inPerGroup, outChannels = groups * outPerGroup;
            int[] input = batched ? [n, inChannels, .. size] : [inChannels, .. size];
            int[] weights = op.Transposed ? [inChannels, outPerGroup, .. kernel] : [outChannels, inPerGroup, .. kernel];
            try
            {
                op.Geometry(input, weights, spec);
            }
            catch (Conv2dArgumentException)
            {
                continue;
            }
            bool hasBias = rng.Bool();
            var activation = withActivation ? ConvCase.RandomActivation(rng) : Activation.Identity;
            string name = $"{op} {mode} seed {seed}: {Tensor<float>.Format(input)} w{Tensor<float>.Format(weights)} s{Tensor<float>.Format(stride)} " +
                $"p{padding} d{Tensor<float>.Format(dilation)} g{groups}" + (op.Transposed ? $" op{Tensor<float>.Format(outputPadding)}" : "") +
                (hasBias ? " bias" : "") + (withActivation ? $" {activation}" : "") + (withClip ? " clip" : "");
            return Of(name, op, spec, input, weights, hasBias, seed, activation, withClip ? 0.5 : null);
        }
    }

    /// <summary>Theory rows (operation name, padding mode, seed): every mode an operation takes, with more seeds for the transposed ones, which have one mode.</summary>
    public static TheoryData<string, PaddingMode, ulong> Seeds(ulong first, int perMode, int perTransposed)
    {
        var data = new TheoryData<string, PaddingMode, ulong>();
        foreach (var op in Convolution.All)
            foreach (var mode in op.Transposed ? [PaddingMode.Zeros] : Enum.GetValues<PaddingMode>())
                for (ulong seed = first; seed < first + (ulong)(op.Transposed ? perTransposed : perMode); seed++)
                    data.Add(op.Name, mode, seed);
        return data;
    }

    /// <summary>The operation PyTorch names <paramref name="name"/>.</summary>
    public static Convolution Operation(string name) => Convolution.All.Single(o => o.Name == name);

    private static int[] Draw(TestRandom rng, int count, int min, int max) => [.. Enumerable.Range(0, count).Select(_ => rng.Int(min, max))];

    private static int Count(int[] shape) => shape.Aggregate(1, (p, d) => p * d);

    private static double[] Values(TestRandom rng, int count) => [.. Enumerable.Range(0, count).Select(_ => rng.Signed() * 2)];

    private static Tensor<T> Make<T>(int[] shape, double[] values) where T : unmanaged, IFloatingPointIeee754<T>
        => new(shape, [.. values.Select(T.CreateChecked)]);
}

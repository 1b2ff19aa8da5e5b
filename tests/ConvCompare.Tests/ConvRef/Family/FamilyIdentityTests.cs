using System.Numerics;
using ConvCompare.Cases;
using ConvCompare.Oracles;
using ConvCompare.Runner;
using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Family;

/// <summary>
/// Exact identities between the operations of the family: the transposed convolution's forward pass
/// is the convolution's dJ/da on the same numbers and its dJ/dx the convolution's forward pass (bit for
/// bit: the same sums in the same order); each backward pass is the adjoint of its forward pass; 3-D is
/// the sum of 2-D convolutions over the kernel's depth and 1-D the 2-D convolution of one row; the
/// family's conv2d is the 2-D layer. Integer data make the sums that are not in the same order exact.
/// </summary>
public class FamilyIdentityTests
{
    public static TheoryData<int, Conv2dAlgorithm, ulong> RanksAndAlgorithms()
    {
        var data = new TheoryData<int, Conv2dAlgorithm, ulong>();
        foreach (int rank in new[] { 1, 2, 3 })
            foreach (var algorithm in Enum.GetValues<Conv2dAlgorithm>())
                for (ulong seed = 1; seed <= 4; seed++)
                    data.Add(rank, algorithm, seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(RanksAndAlgorithms))]
    public void TransposedForward_IsTheConvolutionsInputGradient_BitForBit(int rank, Conv2dAlgorithm algorithm, ulong seed)
    {
        var (conv, transposed, spec, convSpec, a, w, x) = Pair(rank, seed, Reals);
        var y = transposed.Forward(x, w, null, spec, algorithm);
        var dJda = conv.Backward(a, w, false, x, convSpec, null, algorithm).Input;
        Assert.Equal(dJda.Shape, y.Shape);
        Assert.Equal(dJda.Data, y.Data);
    }

    [Theory]
    [MemberData(nameof(RanksAndAlgorithms))]
    public void TransposedInputGradient_IsTheConvolutionsForward_BitForBit(int rank, Conv2dAlgorithm algorithm, ulong seed)
    {
        var (conv, transposed, spec, convSpec, a, w, x) = Pair(rank, seed, Reals);
        var dJdx = transposed.Backward(x, w, false, a, spec, null, algorithm).Input;
        Assert.Equal(conv.Forward(a, w, null, convSpec, algorithm).Data, dJdx.Data);
    }

    /// <summary>Eq 7 with the roles swapped: the transposed convolution's dJ/dw correlates its error dJ/dy with x, which is the convolution's dJ/dw with dJ/dy as input and x as error.</summary>
    [Theory]
    [MemberData(nameof(RanksAndAlgorithms))]
    public void TransposedWeightGradient_IsTheConvolutionsWithInputAndErrorSwapped(int rank, Conv2dAlgorithm algorithm, ulong seed)
    {
        var (conv, transposed, spec, convSpec, a, w, x) = Pair(rank, seed, Integers);
        var transposedWeights = transposed.Backward(x, w, false, a, spec, null, algorithm).Weights;
        Assert.Equal(conv.Backward(a, w, false, x, convSpec, null, algorithm).Weights.Data, transposedWeights.Data);
    }

    /// <summary>
    /// &lt;conv(a), x&gt; = &lt;a, conv_transpose(x)&gt;, and for every operation and padding mode (the sweep's
    /// family draws, modes in turn) &lt;f(a), δ&gt; = &lt;a, dJ/da&gt; with the bias off: the backward pass is the forward pass's adjoint.
    /// </summary>
    [Theory]
    [MemberData(nameof(RanksAndAlgorithms))]
    public void BackwardIsTheAdjointOfForward_ForEveryOperationAndMode(int rank, Conv2dAlgorithm algorithm, ulong seed)
    {
        var (conv, transposed, spec, convSpec, a, w, x) = Pair(rank, seed, Integers);
        Assert.Equal(Dot(conv.Forward(a, w, null, convSpec, algorithm), x), Dot(a, transposed.Forward(x, w, null, spec, algorithm)));
        foreach (var op in new[] { conv, transposed })
            for (int ordinal = 0; ordinal < (op.Transposed ? 1 : CaseOps.Modes.Count); ordinal++)
            {
                var (c, drawn) = Drawn(op, seed, ordinal);
                var input = Integers(c.InputShape, seed);
                var weights = Integers(c.WeightShape, seed + 1);
                var delta = Integers(c.OutputShape, seed + 2);
                var forward = op.Forward(input, weights, null, drawn, algorithm);
                var backward = op.Backward(input, weights, false, delta, drawn, null, algorithm);
                Assert.True(Dot(forward, delta) == Dot(input, backward.Input), $"{CaseId.Format(c)} {algorithm}");
            }
    }

    /// <summary>
    /// The sweep's edge-tier layers (strides, asymmetric padding, dilation, groups, depthwise, bias), with each
    /// activation below in turn and every third clipped: the 2-D layer as <c>run</c> calls it against the
    /// family's conv2d with the same spec.
    /// </summary>
    [Theory]
    [InlineData(Conv2dAlgorithm.Serial)]
    [InlineData(Conv2dAlgorithm.Vectorized)]
    public void FamilyConv2dWithZeroPadding_IsTheConv2dLayer_BitForBit(Conv2dAlgorithm algorithm)
    {
        var generator = new CaseGenerator(1, new CaseGeneratorOptions { Tier = CaseTier.Edge, Dtypes = DtypeChoice.F32, MaxMultiplyAdds = 20_000 });
        for (int index = 0; index < 12; index++)
        {
            var c = generator.Generate(index) with { Activation = (ActivationKind)(index % 5), Clip = null };
            if (index % 3 == 0)
                c = c with { Clip = CaseGenerator.ClipValueFor(c) };
            var inputs = CaseInputs.Create(c);
            var layer = new ConvRefEngine(algorithm).Compute(c, inputs, CaseDtype.F32);
            var spec = TorchConvolutions.FamilySpec(c.Spec);
            var (a, w) = (inputs.Input.Cast<float>(), inputs.Weights.Cast<float>());
            var y = Convolution.Conv2d.Forward(a, w, inputs.Bias?.Cast<float>(), spec, algorithm);
            var g = Convolution.Conv2d.Backward(a, w, c.Bias, inputs.Upstream.Cast<float>(), spec, ConvRefEngine.Options<float>(c, inputs), algorithm);
            Assert.Equal(layer.Y.Data, y.Cast<double>().Data);
            Assert.Equal(layer.InputGradient.Data, g.Input.Cast<double>().Data);
            Assert.Equal(layer.Dw.Data, g.Weights.Cast<double>().Data);
            Assert.Equal(layer.Db?.Data, g.Bias?.Cast<double>().Data);
        }
    }

    /// <summary>3-D is a sum of 2-D planes over the kernel's depth: z[:, :, od] = Σ_kd conv2d(a[:, :, od·sD + kd·dD - pD], w[:, :, kd]) + b, with the 2-D layer.</summary>
    [Fact]
    public void Conv3d_IsTheSumOf2dConvolutionsOverTheKernelsDepth()
    {
        var spec = new ConvSpec { Stride = [2, 1, 2], Dilation = [2, 1, 1], Padding = ConvPadding.PerSide([1, 1, 0], [2, 0, 1]), Groups = 2 };
        var a = Integers([2, 4, 6, 5, 5], 3);
        var w = Integers([6, 2, 2, 3, 2], 4);
        var b = Integers([6], 5);
        var z = Convolution.Conv3d.Forward(a, w, b, spec);
        var planar = new Conv2dSpec { StrideH = 1, StrideW = 2, PadTop = 1, PadBottom = 0, PadLeft = 0, PadRight = 1, Groups = 2 };
        int od = z.Shape[2], kd = 2, depth = 6;
        for (int o = 0; o < od; o++)
        {
            Tensor<double>? sum = null;
            for (int k = 0; k < kd; k++)
            {
                int d = o * 2 + k * 2 - 1;
                if (d < 0 || d >= depth)
                    continue;
                var slice = Conv2d.Forward(Slice(a, d), Slice(w, k), null, planar);
                sum = sum is null ? slice : new Tensor<double>([.. slice.Shape], [.. sum.Data.Zip(slice.Data, (p, q) => p + q)]);
            }
            var expected = sum!.Data.Select((v, i) => v + b.Data[i / (sum.Shape[2] * sum.Shape[3]) % 6]);
            Assert.Equal(expected, Slice(z, o).Data);
        }
    }

    [Theory]
    [InlineData(Conv2dAlgorithm.Serial)]
    [InlineData(Conv2dAlgorithm.Vectorized)]
    public void Conv1d_IsTheConv2dLayerOnOneRow_BitForBit(Conv2dAlgorithm algorithm)
    {
        var (c, conv1d) = Drawn(Convolution.Conv1d, 5, ordinal: 0);
        var inputs = CaseInputs.Create(c);
        var g = Convolution.Conv1d.Geometry(c.InputShape, c.WeightShape, conv1d);
        var spec = new Conv2dSpec { StrideW = g.Stride[0], DilationW = g.Dilation[0], PadLeft = g.PadBefore[0], PadRight = g.PadAfter[0], Groups = g.Groups };
        int[] input = [g.BatchSize, g.InChannels, 1, g.InputSize[0]];
        int[] weights = [g.OutChannels, g.InChannelsPerGroup, 1, g.KernelSize[0]];
        var layer = Conv2d.Forward(new Tensor<double>(input, inputs.Input.Data), new Tensor<double>(weights, inputs.Weights.Data), inputs.Bias, spec, algorithm);
        Assert.Equal(layer.Data, Convolution.Conv1d.Forward(inputs.Input, inputs.Weights, inputs.Bias, conv1d, algorithm).Data);
    }

    /// <summary>
    /// A transposed convolution with output_padding below the stride and the convolution with the same
    /// spec less the output padding, which maps the transposed one's output size back onto its input
    /// size; integer data: a has the transposed output's shape, x the transposed input's.
    /// </summary>
    private static (Convolution Conv, Convolution Transposed, ConvSpec Spec, ConvSpec ConvSpec, Tensor<double> A, Tensor<double> W, Tensor<double> X) Pair(int rank, ulong seed,
        Func<IReadOnlyList<int>, ulong, Tensor<double>> values)
    {
        var transposed = Convolution.All.Single(o => o.Transposed && o.Rank == rank);
        var conv = Convolution.All.Single(o => !o.Transposed && o.Rank == rank);
        for (int ordinal = 0; ; ordinal++)
        {
            var (c, spec) = Drawn(transposed, seed, ordinal);
            var g = transposed.Geometry(c.InputShape, c.WeightShape, spec);
            if (Enumerable.Range(0, rank).Any(i => g.OutputPadding[i] >= g.Stride[i]))
                continue;
            return (conv, transposed, spec, spec with { OutputPadding = [0] }, values(g.OutputShape, seed), values(c.WeightShape, seed + 1), values(c.InputShape, seed + 2));
        }
    }

    /// <summary>
    /// The sweep's family draw <paramref name="ordinal"/> of <paramref name="op"/> from <paramref name="seed"/> (padding modes in turn)
    /// and its spec as ConvRef takes it (a draw that is a plain conv2d has no family part); the values are each test's own.
    /// </summary>
    private static (CaseConfig Case, ConvSpec Spec) Drawn(Convolution op, ulong seed, int ordinal)
    {
        var c = new CaseGenerator(seed, new CaseGeneratorOptions { Op = (CaseOp)Convolution.All.ToList().IndexOf(op) }).GenerateFamily(ordinal);
        return (c, c.Family?.Spec(c.Geometry) ?? TorchConvolutions.FamilySpec(c.Spec));
    }

    /// <summary>Values in [-2, 2) on a 2^-19 grid: their products and sums round, so equal results mean the same sums in the same order.</summary>
    private static Tensor<double> Reals(IReadOnlyList<int> shape, ulong seed)
    {
        var rng = new TestRandom(seed);
        return new([.. shape], [.. Enumerable.Range(0, shape.Aggregate(1, (p, d) => p * d)).Select(_ => rng.Signed() * 2)]);
    }

    private static Tensor<double> Integers(IReadOnlyList<int> shape, ulong seed)
    {
        var rng = new TestRandom(seed);
        return new([.. shape], [.. Enumerable.Range(0, shape.Aggregate(1, (p, d) => p * d)).Select(_ => (double)rng.Int(-3, 3))]);
    }

    private static double Dot<T>(Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        => x.Data.Zip(y.Data, (p, q) => double.CreateChecked(p) * double.CreateChecked(q)).Sum();

    /// <summary>[N, C, D, H, W] at depth d as [N, C, H, W] (a weight's depth tap kd likewise).</summary>
    private static Tensor<double> Slice(Tensor<double> t, int d)
    {
        int n = t.Shape[0], c = t.Shape[1], depth = t.Shape[2], plane = t.Shape[3] * t.Shape[4];
        var data = new double[n * c * plane];
        for (int i = 0; i < n * c; i++)
            Array.Copy(t.Data, (i * depth + d) * plane, data, i * plane, plane);
        return new([n, c, t.Shape[3], t.Shape[4]], data);
    }
}

using ConvCompare.Cases;
using ConvCompare.Explain.Model;
using ConvCompare.Runner;
using ConvRef;

namespace ConvCompare.Explain.Examples;

/// <summary>
/// Part 2, the derivation's Figure 2: a 3-channel 3x3 input that is the ReLU of z^(l-1), four
/// 2x2x3 filters with biases. Replays Eq 7, Eq 9, Eq 8 and the composite δ^(l-1) of Eq 6/Eq 8.
/// </summary>
internal static class MultiChannelPart
{
    private const int Channels = 3, Filters = 4, Size = 3, KernelSize = 2;

    /// <summary>Builds part 2; the numbers come from <paramref name="random"/>.</summary>
    public static WalkthroughPart Build(IntegerSource random, ulong seed, ILayerEngine autograd)
    {
        // z^(l-1) avoids 0, where ReLU has no derivative and libraries merely agree on a convention.
        var zPrev = Enumerable.Range(0, Channels).Select(_ => random.Matrix(Size, Size, -3, 3, skipZero: true)).ToArray();
        var relu = Activation.ReLU;
        var a = zPrev.Select(z => Planes.Map(z, relu.Apply)).ToArray();
        var w = Enumerable.Range(0, Filters).Select(_ =>
            Enumerable.Range(0, Channels).Select(_ => random.Matrix(KernelSize, KernelSize, -2, 2, skipZero: true)).ToArray()).ToArray();
        var b = random.Matrix(1, Filters, -2, 2);
        var delta = Enumerable.Range(0, Filters).Select(_ => random.Matrix(2, 2, -3, 3)).ToArray();

        var aT = Planes.Stack([a]);
        var zPrevT = Planes.Stack([zPrev]);
        var wT = Planes.Stack(w);
        var bT = new Tensor<double>([Filters], b.Cast<double>().ToArray());
        var deltaT = Planes.Stack([delta]);
        var z = Conv2d.Forward(aT, wT, bT, Conv2dSpec.Default, Conv2dAlgorithm.Serial);
        var grads = Conv2d.Backward(aT, wT, true, deltaT, Conv2dSpec.Default, null, Conv2dAlgorithm.Serial);
        var composite = Conv2d.Backward(aT, wT, true, deltaT, Conv2dSpec.Default,
            new BackwardOptions<double> { PreviousActivation = relu, PreviousZ = zPrevT }, Conv2dAlgorithm.Serial);
        var torchA = LayerCase.Run(autograd, aT, wT, bT, deltaT, 1);
        var torchZ = LayerCase.Run(autograd, aT, wT, bT, deltaT, 1, zPrevT);

        var allA = a.SelectMany(p => p.Cast<double>()).ToArray();
        var allW = w.SelectMany(f => f).SelectMany(p => p.Cast<double>()).ToArray();
        var allDelta = delta.SelectMany(p => p.Cast<double>()).ToArray();
        double forwardBound = ExactIntegers.Bound(allA, allW.Concat(b.Cast<double>()), Channels * KernelSize * KernelSize + 1);
        double weightBound = ExactIntegers.Bound(allDelta, allA.Append(1.0), delta[0].Length);
        double inputBound = ExactIntegers.Bound(allDelta, allW.Append(1.0), Filters * KernelSize * KernelSize);

        var steps = new List<WalkthroughStep>
        {
            ForwardStep(zPrev, a, w, b, z, torchA.Y, forwardBound),
            new([], "The upstream errors δ^(l,k), one 2x2 plane per filter",
                [$"Each filter k has its own output plane z^(l,k), hence its own error δ^(l,k) = ∂J/∂z^(l,k); drawn here as integers in [-3, 3] (seed {seed})."],
                [], [new MatrixRow("δ^(l)", delta.Select((d, k) => new LabelledMatrix($"δ^(l,{k + 1})", d)).ToArray())], []),
            WeightStep(a, delta, grads, torchA, weightBound),
            BiasStep(delta, grads, torchA, weightBound),
            InputStep(w, delta, grads, torchA, inputBound),
            CompositeStep(zPrev, relu, composite, torchZ, inputBound),
        };
        return new WalkthroughPart(2, "Multi-channel input, four filters (Figure 2)",
            "The input a^(l-1) = ReLU(z^(l-1)) has 3 channels of 3x3 (drawn channel by channel: the derivation writes 3x3x3 height-width-channel, ConvRef and PyTorch store channel-height-width); four filters of 2x2x3 with a bias each give z^(l) of four 2x2 planes.",
            steps);
    }

    private static WalkthroughStep ForwardStep(double[][,] zPrev, double[][,] a, double[][][,] w, double[,] b,
        Tensor<double> z, Tensor<double> torchZ, double bound)
    {
        var (rows, check) = Comparisons.SideBySide("z",
            Enumerable.Range(0, Filters).Select(k => ((string?)$"filter {k + 1}", Planes.Of(z, 0, k), Planes.Of(torchZ, 0, k))).ToArray(), bound);
        return new WalkthroughStep([1], "Forward pass: every filter spans all channels",
            ["Eq 1 with one more sum: z^(l,k)[i,j] = Σ_c Σ_p Σ_q a(c)[i+p-1, j+q-1] · w(k,c)[p,q] + b(k), twelve products and the bias per output."],
            [],
            [new MatrixRow("z^(l-1) (before the ReLU of layer l-1)", zPrev.Select((p, c) => new LabelledMatrix($"z^(l-1) channel {c + 1}", p)).ToArray()),
             new MatrixRow("a^(l-1) = ReLU(z^(l-1))", a.Select((p, c) => new LabelledMatrix($"a^(l-1) channel {c + 1}", p)).ToArray()),
             .. w.Select((f, k) => new MatrixRow($"filter {k + 1}", f.Select((p, c) => new LabelledMatrix($"w^(l,{k + 1}) channel {c + 1}", p)).ToArray())),
             new MatrixRow("bias", [new LabelledMatrix("b^(l)", b)]),
             .. rows],
            [check]);
    }

    private static WalkthroughStep WeightStep(double[][,] a, double[][,] delta, Conv2dGradients<double> grads,
        CaseOutputs torch, double bound)
    {
        var rows = new List<MatrixRow>();
        double eq7Max = 0;
        for (int k = 0; k < Filters; k++)
        {
            var perChannel = a.Select(ac => Plane.ValidCorrelate(ac, delta[k], 1, 1)).ToArray();
            rows.Add(new MatrixRow($"filter {k + 1}: a(c) ⊗ δ^(l,{k + 1}), channel by channel",
                perChannel.Select((p, c) => new LabelledMatrix($"a({c + 1}) ⊗ δ({k + 1})", p)).ToArray()));
            for (int c = 0; c < Channels; c++)
                eq7Max = Comparisons.CombineMax(eq7Max, Comparisons.MaxAbsDifference(perChannel[c], Planes.Of(torch.Dw, k, c)));
        }
        var (compareRows, check) = Comparisons.SideBySide("dJ/dw",
            (from k in Enumerable.Range(0, Filters)
             from c in Enumerable.Range(0, Channels)
             select ((string?)$"filter {k + 1}, channel {c + 1}", Planes.Of(grads.Weights, k, c), Planes.Of(torch.Dw, k, c))).ToArray(),
            bound);
        return new WalkthroughStep([7], "Weight gradients: each filter on its own, each channel on its own",
            ["Filter k only produced z^(l,k), so only δ^(l,k) reaches it: ∂J/∂w^(l,k) = a^(l-1) ⊗ δ^(l,k), Eq 3 done once per input channel (a 3x3 channel with a 2x2 error gives a 2x2 slice of the filter).",
             "Below: ConvRef's Plane.ValidCorrelate per filter and channel, then Conv2d.Backward's dJ/dw next to autograd's w.grad."],
            [], [.. rows, .. compareRows],
            [new Check("dJ/dw: Eq 7 per filter and channel (Plane.ValidCorrelate) vs autograd", eq7Max, bound), check]);
    }

    private static WalkthroughStep BiasStep(double[][,] delta, Conv2dGradients<double> grads, CaseOutputs torch, double bound)
    {
        var sums = Enumerable.Range(0, Filters).Select(k => DerivationSums.BiasGradient(delta[k], k)).ToArray();
        var (rows, check) = Comparisons.SideBySide("dJ/db",
            [(null, Planes.Row(grads.Bias!), Planes.Row(torch.Db!))], bound);
        return new WalkthroughStep([9], "Bias gradients: the sum of each filter's error",
            ["b(k) is added to every cell of z^(l,k) with factor 1, so ∂J/∂b(k) = Σ_i Σ_j δ^(l,k)[i,j]."],
            sums, rows,
            [Comparisons.WrittenSums("dJ/db: Eq 9 written sums vs ConvRef", sums, grads.Bias!.Data, bound), check]);
    }

    private static WalkthroughStep InputStep(double[][][,] w, double[][,] delta, Conv2dGradients<double> grads,
        CaseOutputs torch, double bound)
    {
        var rows = new List<MatrixRow>();
        double eq8Max = 0;
        for (int c = 0; c < Channels; c++)
        {
            var contributions = Enumerable.Range(0, Filters)
                .Select(k => Plane.FullConvolve(delta[k], Plane.Rot180(w[k][c]))).ToArray();
            var sum = new double[Size, Size];
            foreach (var part in contributions)
                Plane.AddInto(sum, part);
            rows.Add(new MatrixRow($"channel {c + 1}: Σ_k δ^(l,k) ⊗_f Rot180(w^(l,k) channel {c + 1})",
                [.. contributions.Select((p, k) => new LabelledMatrix($"k={k + 1}", p)), new LabelledMatrix("sum over k", sum)]));
            eq8Max = Comparisons.CombineMax(eq8Max, Comparisons.MaxAbsDifference(sum, Planes.Of(torch.InputGradient, 0, c)));
        }
        var (compareRows, check) = Comparisons.SideBySide("dJ/da",
            Enumerable.Range(0, Channels).Select(c => ((string?)$"channel {c + 1}", Planes.Of(grads.Input, 0, c), Planes.Of(torch.InputGradient, 0, c))).ToArray(),
            bound);
        return new WalkthroughStep([8], "Input gradient: every filter sends error back to every channel",
            ["The forward pass diverges (one input, four filters), so the backward pass converges: ∂J/∂a^(l-1) = Σ_k δ^(l,k) ⊗_f Rot180(w^(l,k)), done per channel with that channel's slice of each filter (the channel axis is not flipped). Eq 8 then multiplies by g'(z^(l-1)), the next step.",
             "Below: ConvRef's Plane.FullConvolve(δ^(l,k), Plane.Rot180(w^(l,k) channel c)) for each filter and their sum (Plane.AddInto), then Conv2d.Backward's dJ/da next to autograd's a.grad."],
            [], [.. rows, .. compareRows],
            [new Check("dJ/da: Eq 8 sum over filters (Plane.FullConvolve) vs autograd", eq8Max, bound), check]);
    }

    private static WalkthroughStep CompositeStep(double[][,] zPrev, Activation relu, Conv2dGradients<double> composite,
        CaseOutputs torch, double bound)
    {
        var derivative = zPrev.Select(z => Planes.Map(z, relu.Derivative)).ToArray();
        var (rows, check) = Comparisons.SideBySide("δ^(l-1)",
            Enumerable.Range(0, Channels).Select(c => ((string?)$"channel {c + 1}", Planes.Of(composite.Input, 0, c), Planes.Of(torch.InputGradient, 0, c))).ToArray(),
            bound);
        return new WalkthroughStep([4, 6, 8], "The error of the layer below: through ReLU's derivative",
            ["Eq 4's chain rule through a^(l-1) = ReLU(z^(l-1)): δ^(l-1) = ∂J/∂a^(l-1) ⊙ g'(z^(l-1)) with g'(z) = 1 where z > 0 and 0 elsewhere, the ⊙ g' factor of Eq 6 and Eq 8: the error stops at every input the ReLU switched off.",
             "Below: ReLU's derivative from ConvRef's Activation, then Conv2d.Backward with PreviousActivation = ReLU next to autograd differentiating through relu(z^(l-1)) (z.grad)."],
            [],
            [new MatrixRow("g'(z^(l-1))", derivative.Select((p, c) => new LabelledMatrix($"g'(z^(l-1)) channel {c + 1}", p)).ToArray()), .. rows],
            [check]);
    }
}

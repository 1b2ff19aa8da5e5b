using ConvCompare.Cases;
using ConvCompare.Explain.Model;
using ConvCompare.Runner;
using ConvRef;

namespace ConvCompare.Explain.Examples;

/// <summary>
/// Part 1, the derivation's Figure 1: one 3x3 input channel, one 2x2 filter, stride 1, no bias.
/// Replays Eq 1, Eq 2, Eq 3, Eq 5, Eq 4 and Eq 6 with ConvRef's own intermediate results next to
/// TorchSharp autograd's.
/// </summary>
internal static class SingleChannelPart
{
    /// <summary>Figure 1's a^(l-1): fixed small integers so the picture stays the same for every seed.</summary>
    private static readonly double[,] Input = { { 1, 2, 0 }, { -1, 3, 1 }, { 2, 0, -2 } };

    /// <summary>Figure 1's w^(l): not symmetric under a half turn, so Rot180 visibly changes it.</summary>
    private static readonly double[,] Kernel = { { 1, 2 }, { -1, 3 } };

    /// <summary>The upstream error δ^(l) the part uses for a seed: 2x2 integers in [-3, 3], zero redrawn, the first numbers the seed draws.</summary>
    public static double[,] Delta(ulong seed) => new IntegerSource(seed).Matrix(2, 2, -3, 3, skipZero: true);

    /// <summary>Builds part 1.</summary>
    public static WalkthroughPart Build(ulong seed, ILayerEngine autograd)
    {
        double[,] a = Input, w = Kernel, delta = Delta(seed);
        var aT = Planes.Single(a);
        var wT = Planes.Single(w);
        var deltaT = Planes.Single(delta);
        var z = Conv2d.Forward(aT, wT, null, Conv2dSpec.Default, Conv2dAlgorithm.Serial);
        var grads = Conv2d.Backward(aT, wT, false, deltaT, Conv2dSpec.Default, null, Conv2dAlgorithm.Serial);
        var torch = LayerCase.Run(autograd, aT, wT, null, deltaT, 1);
        double forwardBound = ExactIntegers.Bound(a.Cast<double>(), w.Cast<double>(), w.Length);
        double backwardBound = ExactIntegers.Bound(delta.Cast<double>(), a.Cast<double>().Concat(w.Cast<double>()), delta.Length);

        var steps = new List<WalkthroughStep>
        {
            ForwardStep(a, w, Planes.Of(z, 0, 0), Planes.Of(torch.Y, 0, 0), forwardBound),
            new([], "The upstream error δ^(l) = ∂J/∂z^(l)",
                [$"Back-propagation starts from the error of the layer's output, δ^(l) ≡ ∂J/∂z^(l). Here it is drawn at random (non-zero integers in [-3, 3], seed {seed}); in a network it comes from the layer above."],
                [], [new MatrixRow(null, [new LabelledMatrix("δ^(l)", delta)])], []),
        };

        var weightSums = DerivationSums.WeightGradient(a, delta, 2, 2, 1);
        steps.Add(new WalkthroughStep([2], "Each weight gradient as a sum over the outputs it touched",
            ["The chain rule over every z that w[p,q] enters (Eq 1): ∂J/∂w[p,q] = Σ ∂J/∂z[i,j] · ∂z[i,j]/∂w[p,q] = Σ δ[i,j] · a[i+p-1, j+q-1]."],
            weightSums, [],
            [Comparisons.WrittenSums("dJ/dw: Eq 2 written sums vs ConvRef", weightSums, grads.Weights.Data, backwardBound)]));

        var compactWeights = Plane.ValidCorrelate(a, delta, 1, 1);
        var (dwRows, dwCheck) = Comparisons.SideBySide("dJ/dw",
            [(null, Planes.Of(grads.Weights, 0, 0), Planes.Of(torch.Dw, 0, 0))], backwardBound);
        steps.Add(new WalkthroughStep([3], "The weight gradient is a valid correlation of the input with δ",
            ["The four sums of Eq 2 are one operation: slide δ^(l) over a^(l-1) and take the dot product at every position, ∂J/∂w^(l) = a^(l-1) ⊗ δ^(l).",
             "Below: ConvRef's Plane.ValidCorrelate(a, δ), then ConvRef's Conv2d.Backward result next to TorchSharp autograd's w.grad."],
            [],
            [new MatrixRow("a ⊗ δ", [new LabelledMatrix("a^(l-1)", a), new LabelledMatrix("δ^(l)", delta), new LabelledMatrix("a ⊗ δ (ValidCorrelate)", compactWeights)]),
             .. dwRows],
            [new Check("dJ/dw: Plane.ValidCorrelate(a, δ) vs autograd", Comparisons.MaxAbsDifference(compactWeights, Planes.Of(torch.Dw, 0, 0)), backwardBound),
             dwCheck]));

        var inputSums = DerivationSums.InputGradients(delta, w, 1, 3, 3);
        steps.Add(new WalkthroughStep([5], "Each input gradient as a sum over the outputs it fed",
            ["a[r,c] enters z[i,j] (Eq 1) with weight w[r-i+1, c-j+1] whenever that kernel cell exists, so ∂J/∂a[r,c] = Σ δ[i,j] · w[r-i+1, c-j+1]: corner inputs fed one output, the centre fed all four."],
            inputSums, [],
            [Comparisons.WrittenSums("dJ/da: Eq 5 written sums vs ConvRef", inputSums, grads.Input.Data, backwardBound)]));

        steps.Add(FullConvolutionStep(delta, w, grads, torch, backwardBound));
        return new WalkthroughPart(1, "Single channel, one filter (Figure 1)",
            "A 3x3 input a^(l-1), a 2x2 kernel w^(l), stride 1, no bias: z^(l) = a^(l-1) ⊗ w^(l) is 2x2. Indices are 1-based as in the derivation.",
            steps);
    }

    private static WalkthroughStep ForwardStep(double[,] a, double[,] w, double[,] z, double[,] torchZ, double bound)
    {
        var sums = DerivationSums.Forward(a, w, 1);
        var (rows, check) = Comparisons.SideBySide("z", [(null, z, torchZ)], bound);
        return new WalkthroughStep([1], "Forward pass: each output is a dot product of the kernel with one window",
            ["The kernel slides over the input; each output z[i,j] multiplies the 2x2 window starting at a[i,j] with w cell by cell and adds the four products (a cross-correlation, which deep learning calls convolution)."],
            sums,
            [new MatrixRow("a^(l-1) and w^(l)", [new LabelledMatrix("a^(l-1)", a), new LabelledMatrix("w^(l)", w)]), .. rows],
            [Comparisons.WrittenSums("z: Eq 1 written sums vs ConvRef", sums, z.Cast<double>(), bound), check]);
    }

    private static WalkthroughStep FullConvolutionStep(double[,] delta, double[,] w, Conv2dGradients<double> grads,
        CaseOutputs torch, double bound)
    {
        int kh = w.GetLength(0), kw = w.GetLength(1);
        var padded = Plane.Pad(delta, kh - 1, kh - 1, kw - 1, kw - 1);
        var rotated = Plane.Rot180(w);
        var full = Plane.FullConvolve(delta, rotated);
        var autogradDa = Planes.Of(torch.InputGradient, 0, 0);
        var (rows, check) = Comparisons.SideBySide("dJ/da", [(null, Planes.Of(grads.Input, 0, 0), autogradDa)], bound);
        int dh = delta.GetLength(0), dw = delta.GetLength(1);
        return new WalkthroughStep([4, 6], "Error back-propagation is a full convolution with the rotated kernel",
            ["The nine sums of Eq 5 are one operation: ∂J/∂a^(l-1) = δ^(l) ⊗_f Rot180(w^(l)). Full mode pads δ with kernel-size-minus-one zeros on every side so the kernel meets δ wherever they overlap; rotating w by 180° lines w[r-i+1, c-j+1] up with δ[i,j].",
             "Eq 4 then gives the error of the layer below: δ^(l-1) = ∂J/∂a^(l-1) ⊙ g'(z^(l-1)) (Eq 6). Here a^(l-1) has no activation (g' = 1), so δ^(l-1) = ∂J/∂a^(l-1); part 2 adds a ReLU.",
             "Below: ConvRef's Plane.Pad(δ), Plane.Rot180(w) and Plane.FullConvolve(δ, Rot180(w)), then Conv2d.Backward's input gradient next to autograd's a.grad."],
            [],
            [new MatrixRow("δ ⊗_f Rot180(w)",
                [new LabelledMatrix("δ padded for full mode", padded)
                    { Marked = Planes.Marks(padded.GetLength(0), padded.GetLength(1), (i, j) => i < kh - 1 || j < kw - 1 || i >= kh - 1 + dh || j >= kw - 1 + dw), MarkNote = "zero added for full mode" },
                 new LabelledMatrix("Rot180(w)", rotated),
                 new LabelledMatrix("full convolution", full)]),
             .. rows],
            [new Check("dJ/da: Plane.FullConvolve(δ, Rot180(w)) vs autograd", Comparisons.MaxAbsDifference(full, autogradDa), bound), check]);
    }
}

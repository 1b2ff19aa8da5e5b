using ConvCompare.Explain.Model;
using ConvRef;

namespace ConvCompare.Explain.Examples;

/// <summary>
/// The backward of the backward on Figure 1's sizes (a 3x3 input, a 2x2 kernel, stride 1, a bias): the
/// backward pass maps (a, w, δ) to dJ/da = δ ⊗_f Rot180(w) (Eq 5/6), dJ/dw = a ⊗ δ (Eq 3) and
/// dJ/db = Σ δ (Eq 9); for upstream gradients gg_a, gg_w, gg_b of those outputs, the gradients of
/// L = ⟨gg_a, dJ/da⟩ + ⟨gg_w, dJ/dw⟩ + gg_b · dJ/db are again convolutions: dL/dδ = gg_a ⊛ w + a ⊛ gg_w + gg_b
/// (Eq 1 twice, Eq 9), dL/dw = gg_a ⊗ δ (Eq 3), dL/da = δ ⊗_f Rot180(gg_w) (Eq 5/6).
/// </summary>
internal static class SecondOrderPage
{
    private const int Size = 3, KernelSize = 2, OutSize = Size - KernelSize + 1;

    /// <summary>The numbers of the page for a seed: a (3x3), w (2x2), δ (2x2), gg_a (3x3), gg_w (2x2) and gg_b (1x1).</summary>
    public static (double[,] A, double[,] W, double[,] Delta, double[,] GgA, double[,] GgW, double[,] GgB) Numbers(ulong seed)
    {
        var random = new IntegerSource(seed ^ 0x6666_6666_6666_6666UL);
        return (random.Matrix(Size, Size, -3, 3), random.Matrix(KernelSize, KernelSize, -2, 2, skipZero: true),
            random.Matrix(OutSize, OutSize, -3, 3, skipZero: true), random.Matrix(Size, Size, -2, 2),
            random.Matrix(KernelSize, KernelSize, -2, 2, skipZero: true), random.Matrix(1, 1, -2, 2, skipZero: true));
    }

    /// <summary>Builds the page.</summary>
    public static Walkthrough Build(ulong seed, IFamilyAutograd autograd)
    {
        ArgumentNullException.ThrowIfNull(autograd);
        var (a, w, delta, ggA, ggW, ggB) = Numbers(seed);
        var aT = Planes.Single(a);
        var wT = Planes.Single(w);
        var deltaT = Planes.Single(delta);
        var upstream = new Conv2dGradients<double>(Planes.Single(ggA), Planes.Single(ggW), new Tensor<double>([1], [ggB[0, 0]]));
        var first = Conv2d.Backward(aT, wT, true, deltaT, Conv2dSpec.Default, null, Conv2dAlgorithm.Serial);
        var second = Conv2d.DoubleBackward(aT, wT, deltaT, upstream, Conv2dSpec.Default, null, Conv2dAlgorithm.Serial);
        var torch = autograd.DoubleBackward(Convolution.Conv2d, ConvSpec.Default, aT, wT, deltaT, upstream);
        // dL/dδ, the longest sum: k·k products gg_a·w, k·k products a·gg_w and gg_b.
        double bound = ExactIntegers.Bound(ggA.Cast<double>().Concat(a.Cast<double>()).Concat(delta.Cast<double>()).Append(ggB[0, 0]),
            w.Cast<double>().Concat(ggW.Cast<double>()).Concat(delta.Cast<double>()).Append(1.0), 2 * w.Length + 1);

        var setup = new WalkthroughStep([3, 5, 9], "The backward pass as a function of a, w and δ",
            ["The first backward pass (part 1 of the derivation walk-through) maps a, w and δ to ∂J/∂a = δ ⊗_f Rot180(w) (Eq 5), ∂J/∂w = a ⊗ δ (Eq 3) and ∂J/∂b = Σ δ (Eq 9). Training with a gradient penalty, or a Hessian-vector product, differentiates those outputs again: given upstream gradients gg_a, gg_w and gg_b of ∂J/∂a, ∂J/∂w and ∂J/∂b, the double backward returns the gradients of L = Σ gg_a ⊙ ∂J/∂a + Σ gg_w ⊙ ∂J/∂w + gg_b · ∂J/∂b with respect to a, w and δ.",
             "Each output of the backward pass is linear in each of its arguments, so each gradient of L is again a convolution, taken by the same building blocks with other arguments. Autograd gets it by taking the backward pass with create_graph and differentiating L."],
            [],
            [new MatrixRow("the backward pass's inputs", [new LabelledMatrix("a", a), new LabelledMatrix("w", w), new LabelledMatrix("δ", delta)]),
             new MatrixRow("its outputs (ConvRef's Conv2d.Backward)",
                [new LabelledMatrix("dJ/da", Planes.Of(first.Input, 0, 0)), new LabelledMatrix("dJ/dw", Planes.Of(first.Weights, 0, 0)), new LabelledMatrix("dJ/db", Planes.Row(first.Bias!))]),
             new MatrixRow("upstream gradients of those outputs", [new LabelledMatrix("gg_a", ggA), new LabelledMatrix("gg_w", ggW), new LabelledMatrix("gg_b", ggB)])],
            []);
        var part = new WalkthroughPart(1, "The backward of the backward is again a convolution",
            $"A {Size}x{Size} input a, a {KernelSize}x{KernelSize} kernel w with a bias, stride 1, upstream error δ ({OutSize}x{OutSize}), as in Figure 1. Indices are 1-based as in the derivation.",
            [setup,
             DeltaStep(a, w, ggA, ggW, ggB[0, 0], Planes.Of(second.Delta, 0, 0), Planes.Of(torch.Delta, 0, 0), bound),
             WeightStep(delta, ggA, Planes.Of(second.Weights, 0, 0), Planes.Of(torch.Weights, 0, 0), bound),
             InputStep(delta, ggW, Planes.Of(second.Input, 0, 0), Planes.Of(torch.Input, 0, 0), bound)]);
        return new Walkthrough(seed, [part])
        {
            Title = "Second order: the backward of the backward",
            Summary = "The double backward of a conv2d layer on small integers: the gradients with respect to δ, w and a of the backward pass's outputs weighted by upstream gradients gg_a, gg_w and gg_b, each written out and as the convolution it is, with ConvRef's Conv2d.DoubleBackward next to TorchSharp autograd's double backward (create_graph, float64) and their difference.",
        };
    }

    private static WalkthroughStep DeltaStep(double[,] a, double[,] w, double[,] ggA, double[,] ggW, double ggB,
        double[,] convRef, double[,] torch, double bound)
    {
        var throughInput = DerivationSums.Forward(ggA, w, 1, target: "dL/dδ", input: "gg_a");
        var throughWeights = DerivationSums.Forward(a, ggW, 1, kernel: "gg_w");
        var sums = throughInput.Zip(throughWeights, (x, y) => new WrittenSum(x.Target, [.. x.Terms, .. y.Terms, new SumTerm([new Factor("gg_b", ggB)])])).ToArray();
        var fromInput = Plane.ValidCorrelate(ggA, w);
        var fromWeights = Plane.ValidCorrelate(a, ggW);
        var total = Planes.Map(fromInput, v => v + ggB);
        Plane.AddInto(total, fromWeights);
        var (rows, check) = Comparisons.SideBySide("dL/dδ", [(null, convRef, torch)], bound);
        return new WalkthroughStep([1, 9], "dL/dδ: two forward passes and the bias",
            ["δ enters all three outputs. Eq 5 written out shows each product δ[i,j] · w[p,q] landing on ∂J/∂a[i+p-1, j+q-1], so Σ gg_a ⊙ (δ ⊗_f Rot180(w)) = Σ δ ⊙ (gg_a ⊛ w): Eq 1 with gg_a as the input. Likewise Eq 2 gives Σ gg_w ⊙ (a ⊗ δ) = Σ δ ⊙ (a ⊛ gg_w): Eq 1 with gg_w as the kernel. And gg_b · Σ δ adds gg_b to every cell (Eq 9 read backwards, as a bias).",
             "So ∂L/∂δ = gg_a ⊛ w + a ⊛ gg_w + gg_b. Below: each cell's sum, ConvRef's Plane.ValidCorrelate for the two forward passes and their sum with gg_b, then Conv2d.DoubleBackward's ∂L/∂δ next to autograd's."],
            sums,
            [new MatrixRow("gg_a ⊛ w + a ⊛ gg_w + gg_b",
                [new LabelledMatrix("gg_a ⊛ w", fromInput), new LabelledMatrix("a ⊛ gg_w", fromWeights), new LabelledMatrix("sum + gg_b", total)]),
             .. rows],
            [Comparisons.WrittenSums("dL/dδ: Eq 1 + Eq 1 + Eq 9 written sums vs ConvRef", sums, convRef.Cast<double>(), bound),
             new Check("dL/dδ: two Plane.ValidCorrelate + gg_b vs autograd", Comparisons.MaxAbsDifference(total, torch), bound),
             check]);
    }

    private static WalkthroughStep WeightStep(double[,] delta, double[,] ggA, double[,] convRef, double[,] torch, double bound)
    {
        var sums = DerivationSums.WeightGradient(ggA, delta, KernelSize, KernelSize, 1, target: "dL/dw", input: "gg_a");
        var correlation = Plane.ValidCorrelate(ggA, delta);
        var (rows, check) = Comparisons.SideBySide("dL/dw", [(null, convRef, torch)], bound);
        return new WalkthroughStep([2, 3], "dL/dw: Eq 3 with gg_a in the place of a",
            ["w enters only ∂J/∂a. By the same bookkeeping, Σ gg_a ⊙ (δ ⊗_f Rot180(w)) = Σ w ⊙ (gg_a ⊗ δ), so ∂L/∂w = gg_a ⊗ δ: Eq 2 and Eq 3 with gg_a as the input.",
             "Below: ConvRef's Plane.ValidCorrelate(gg_a, δ), then Conv2d.DoubleBackward's ∂L/∂w next to autograd's."],
            sums,
            [new MatrixRow("gg_a ⊗ δ", [new LabelledMatrix("gg_a", ggA), new LabelledMatrix("δ", delta), new LabelledMatrix("gg_a ⊗ δ (ValidCorrelate)", correlation)]),
             .. rows],
            [Comparisons.WrittenSums("dL/dw: Eq 2 written sums vs ConvRef", sums, convRef.Cast<double>(), bound),
             new Check("dL/dw: Plane.ValidCorrelate(gg_a, δ) vs autograd", Comparisons.MaxAbsDifference(correlation, torch), bound),
             check]);
    }

    private static WalkthroughStep InputStep(double[,] delta, double[,] ggW, double[,] convRef, double[,] torch, double bound)
    {
        var sums = DerivationSums.InputGradients(delta, ggW, 1, Size, Size, target: "dL/da", kernel: "gg_w");
        var rotated = Plane.Rot180(ggW);
        var full = Plane.FullConvolve(delta, rotated);
        var (rows, check) = Comparisons.SideBySide("dL/da", [(null, convRef, torch)], bound);
        return new WalkthroughStep([5, 6], "dL/da: Eq 5's full convolution with gg_w in the place of w",
            ["a enters only ∂J/∂w. Σ gg_w ⊙ (a ⊗ δ) = Σ a ⊙ (δ ⊗_f Rot180(gg_w)), so ∂L/∂a = δ ⊗_f Rot180(gg_w): Eq 5 and Eq 6's full convolution with gg_w as the kernel.",
             "Below: ConvRef's Plane.Rot180(gg_w) and Plane.FullConvolve(δ, Rot180(gg_w)), then Conv2d.DoubleBackward's ∂L/∂a next to autograd's."],
            sums,
            [new MatrixRow("δ ⊗_f Rot180(gg_w)", [new LabelledMatrix("Rot180(gg_w)", rotated), new LabelledMatrix("δ ⊗_f Rot180(gg_w)", full)]),
             .. rows],
            [Comparisons.WrittenSums("dL/da: Eq 5 written sums vs ConvRef", sums, convRef.Cast<double>(), bound),
             new Check("dL/da: Plane.FullConvolve(δ, Rot180(gg_w)) vs autograd", Comparisons.MaxAbsDifference(full, torch), bound),
             check]);
    }
}

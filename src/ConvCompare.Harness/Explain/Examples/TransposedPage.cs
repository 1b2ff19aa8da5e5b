using ConvCompare.Explain.Model;
using ConvRef;

namespace ConvCompare.Explain.Examples;

/// <summary>
/// The transposed convolution as the backward of the convolution, on one set of numbers: a conv2d
/// layer (input a, kernel w, stride 2) with upstream error δ, and a conv_transpose2d layer with the same
/// w whose input x is that δ and whose upstream gradient g is that a. Eq 8's full convolution of the
/// interleaved δ with Rot180(w) is conv_transpose2d(δ, w); the transposed layer's dJ/dx is Eq 1,
/// conv2d(a, w); its dJ/dw is Eq 2/3 with the roles of input and error swapped, conv2d's own dJ/dw.
/// </summary>
internal static class TransposedPage
{
    private const int Size = 5, KernelSize = 3, Stride = 2, OutSize = (Size - KernelSize) / Stride + 1;
    private const string ZeroBetween = "zero put between δ entries";

    /// <summary>Input cells whose Eq 5 sum is written out: a corner (one window), an edge cell (two), the centre (four).</summary>
    private static readonly (int Row, int Column)[] FeaturedCells = [(0, 0), (0, 2), (2, 2)];

    /// <summary>The numbers of the page for a seed: a (5x5), w (3x3) and δ (2x2).</summary>
    public static (double[,] A, double[,] W, double[,] Delta) Numbers(ulong seed)
    {
        var random = new IntegerSource(seed ^ 0x4444_4444_4444_4444UL);
        return (random.Matrix(Size, Size, -3, 3), random.Matrix(KernelSize, KernelSize, -2, 2, skipZero: true),
            random.Matrix(OutSize, OutSize, -3, 3, skipZero: true));
    }

    /// <summary>The hyperparameters both layers share: stride 2, no padding.</summary>
    public static ConvSpec Spec { get; } = new() { Stride = [Stride] };

    /// <summary>Builds the page.</summary>
    public static Walkthrough Build(ulong seed, IFamilyAutograd autograd)
    {
        ArgumentNullException.ThrowIfNull(autograd);
        var (a, w, delta) = Numbers(seed);
        var aT = Planes.Single(a);
        var wT = Planes.Single(w);
        var deltaT = Planes.Single(delta);
        // conv2d(a, w) with upstream δ; conv_transpose2d(x = δ, w) with upstream g = a. A 1 x 1 kernel plane is
        // laid out the same in both layouts (C_out x C_in x k x k and C_in x C_out x k x k).
        var z = Convolution.Conv2d.Forward(aT, wT, null, Spec, Conv2dAlgorithm.Serial);
        var grads = Convolution.Conv2d.Backward(aT, wT, false, deltaT, Spec, null, Conv2dAlgorithm.Serial);
        var y = Convolution.ConvTranspose2d.Forward(deltaT, wT, null, Spec, Conv2dAlgorithm.Serial);
        var transposedGrads = Convolution.ConvTranspose2d.Backward(deltaT, wT, false, aT, Spec, null, Conv2dAlgorithm.Serial);
        var torchConv = autograd.Gradients(Convolution.Conv2d, Spec, aT, wT, deltaT);
        var torchTransposed = autograd.Gradients(Convolution.ConvTranspose2d, Spec, deltaT, wT, aT);
        var c = new Computed(
            Planes.Of(z, 0, 0), Planes.Of(grads.Input, 0, 0), Planes.Of(grads.Weights, 0, 0),
            Planes.Of(y, 0, 0), Planes.Of(transposedGrads.Input, 0, 0), Planes.Of(transposedGrads.Weights, 0, 0),
            Planes.Of(torchConv.Output, 0, 0), Planes.Of(torchConv.InputGradient, 0, 0), Planes.Of(torchConv.WeightGradient, 0, 0),
            Planes.Of(torchTransposed.Output, 0, 0), Planes.Of(torchTransposed.InputGradient, 0, 0), Planes.Of(torchTransposed.WeightGradient, 0, 0));
        // Every compared value is a sum of at most k·k products of an a (or g) with a w, or of a δ (or x) with a w or an a.
        double bound = ExactIntegers.Bound(a.Cast<double>().Concat(delta.Cast<double>()), w.Cast<double>().Concat(a.Cast<double>()), w.Length);

        var forwards = new WalkthroughPart(1, "conv2d's backward is conv_transpose2d's forward",
            $"A conv2d layer: a {Size}x{Size} input a, a {KernelSize}x{KernelSize} kernel w, stride {Stride}, no padding, no bias, so z is {OutSize}x{OutSize}; then a conv_transpose2d layer fed with the layer's error δ and the same w. Indices are 1-based as in the derivation.",
            [ConvolutionStep(a, w, delta, c, bound), InputGradientStep(delta, w, c, bound), TransposedForwardStep(delta, w, c, bound)]);
        var backwards = new WalkthroughPart(2, "conv_transpose2d's backward is conv2d's forward",
            $"The transposed layer y = conv_transpose2d(x, w) of part 1, with x = δ, and an upstream gradient g = dJ/dy of y's {Size}x{Size} shape: take g = a, part 1's input. Its two gradients are ordinary convolutions, and with these numbers they are conv2d's own z and dJ/dw.",
            [TransposedInputGradientStep(a, w, c, bound), TransposedWeightGradientStep(a, delta, c, bound)]);
        return new Walkthrough(seed, [forwards, backwards])
        {
            Title = "The transposed convolution is the convolution's backward pass",
            Summary = "Eq 8's full convolution of the interleaved error with Rot180(w) is conv_transpose2d of the error with w, and conv_transpose2d's gradients are conv2d's forward pass and weight gradient: one set of numbers in both directions, ConvRef's ConvTranspose2d and Conv2d next to TorchSharp's conv_transpose2d and conv2d autograd (float64) and their difference.",
        };
    }

    /// <summary>ConvRef's and autograd's planes of both layers.</summary>
    private sealed record Computed(
        double[,] Z, double[,] Da, double[,] Dw,
        double[,] Y, double[,] Dx, double[,] TransposedDw,
        double[,] TorchZ, double[,] TorchDa, double[,] TorchDw,
        double[,] TorchY, double[,] TorchDx, double[,] TorchTransposedDw);

    private static WalkthroughStep ConvolutionStep(double[,] a, double[,] w, double[,] delta, Computed c, double bound)
    {
        var (rows, check) = Comparisons.SideBySide("z", [(null, c.Z, c.TorchZ)], bound);
        return new WalkthroughStep([1], "The convolution: z = a ⊛ w with stride 2, and its error δ",
            [$"Eq 1 with the window moved {Stride} cells per output: z[i,j] = Σ_p Σ_q a[2i+p-2, 2j+q-2] · w[p,q]. Since {Stride} divides {Size} - {KernelSize}, every input cell lies under a window. The upstream error δ = ∂J/∂z is drawn as non-zero integers in [-3, 3]."],
            [],
            [new MatrixRow("a, w and δ", [new LabelledMatrix("a", a), new LabelledMatrix("w", w), new LabelledMatrix("δ", delta)]), .. rows],
            [check]);
    }

    private static WalkthroughStep InputGradientStep(double[,] delta, double[,] w, Computed c, double bound)
    {
        var interleaved = Plane.Interleave(delta, Stride - 1, Stride - 1);
        var zeros = ZerosBetween(interleaved);
        var rotated = Plane.Rot180(w);
        var full = Plane.FullConvolve(interleaved, rotated);
        var sums = FeaturedCells.Select(rc => DerivationSums.InputGradient(delta, w, Stride, rc.Row, rc.Column)).ToArray();
        var (rows, check) = Comparisons.SideBySide("dJ/da", [(null, c.Da, c.TorchDa)], bound);
        return new WalkthroughStep([5, 8], "Its input gradient: the interleaved δ, fully convolved with Rot180(w)",
            ["Eq 5: dJ/da[r,c] = Σ δ[i,j] · w[r-2i+2, c-2j+2] over the windows that cover a[r,c]: a corner lies under one window, an edge cell between two under two, the centre under four.",
             $"As one operation (Eq 8 with one channel and one filter): interleave δ with {Stride - 1} zero between neighbours, then ∂J/∂a = Interleave(δ) ⊗_f Rot180(w), {Size}x{Size} like a.",
             "Below: ConvRef's Plane.Interleave, Plane.Rot180 and Plane.FullConvolve, then Convolution.Conv2d.Backward's dJ/da next to autograd's a.grad."],
            sums,
            [new MatrixRow("Interleave(δ) ⊗_f Rot180(w)",
                [new LabelledMatrix("interleaved δ", interleaved) { Marked = zeros, MarkNote = ZeroBetween },
                 new LabelledMatrix("Rot180(w)", rotated),
                 new LabelledMatrix("full convolution", full)]),
             .. rows],
            [Comparisons.WrittenSums("dJ/da: Eq 5 written sums vs ConvRef", sums, FeaturedCells.Select(rc => c.Da[rc.Row, rc.Column]), bound),
             new Check("dJ/da: Plane.FullConvolve(interleaved δ, Rot180(w)) vs autograd", Comparisons.MaxAbsDifference(full, c.TorchDa), bound),
             check]);
    }

    private static WalkthroughStep TransposedForwardStep(double[,] delta, double[,] w, Computed c, double bound)
    {
        var sums = FeaturedCells.Select(rc => DerivationSums.InputGradient(delta, w, Stride, rc.Row, rc.Column, target: "y", error: "x")).ToArray();
        var (rows, check) = Comparisons.SideBySide("y", [(null, c.Y, c.TorchY)], bound);
        var (sameRows, same) = Comparisons.Between("y ConvRef (conv_transpose2d)", "dJ/da autograd (conv2d)",
            "y = conv_transpose2d(δ, w) (ConvRef) vs conv2d's dJ/da (autograd)", [(null, c.Y, c.TorchDa)], bound);
        return new WalkthroughStep([8], "The same numbers forwards: conv_transpose2d(δ, w)",
            [$"A transposed convolution with stride {Stride} stamps a copy of w, scaled by x[i,j], onto its output at row 2i-1, column 2j-1, and adds where the copies overlap: y[r,c] = Σ x[i,j] · w[r-2i+2, c-2j+2]. With x = δ this is Eq 5's sum term for term, so conv_transpose2d(δ, w) is the convolution's dJ/da: the forward pass of the transposed convolution is Eq 8's full convolution of the interleaved input with Rot180(w).",
             "Its output size is (2-1)·2 + 3 = 5, the conv2d layer's input size. Below: ConvRef's Convolution.ConvTranspose2d.Forward(δ, w) next to TorchSharp's conv_transpose2d, then next to the conv2d layer's dJ/da from autograd."],
            sums,
            [.. rows, .. sameRows],
            [Comparisons.WrittenSums("y: written sums vs ConvRef", sums, FeaturedCells.Select(rc => c.Y[rc.Row, rc.Column]), bound),
             check, same]);
    }

    private static WalkthroughStep TransposedInputGradientStep(double[,] g, double[,] w, Computed c, double bound)
    {
        var sums = DerivationSums.Forward(g, w, Stride, target: "dJ/dx", input: "g");
        var (rows, check) = Comparisons.SideBySide("dJ/dx", [(null, c.Dx, c.TorchDx)], bound);
        var (sameRows, same) = Comparisons.Between("dJ/dx ConvRef (conv_transpose2d)", "z autograd (conv2d)",
            "dJ/dx of conv_transpose2d (ConvRef) vs conv2d(a, w) (autograd)", [(null, c.Dx, c.TorchZ)], bound);
        return new WalkthroughStep([1], "Its input gradient is a convolution: dJ/dx = g ⊛ w, stride 2",
            ["x[i,j] enters y[2i+p-2, 2j+q-2] with weight w[p,q], so ∂J/∂x[i,j] = Σ_p Σ_q g[2i+p-2, 2j+q-2] · w[p,q]: Eq 1 with g as the input. The backward pass of the transposed convolution is the forward pass of the convolution, and with g = a it gives z.",
             "Below: ConvRef's Convolution.ConvTranspose2d.Backward's dJ/dx next to autograd's x.grad, then next to the conv2d layer's z from autograd."],
            sums,
            [new MatrixRow("g = dJ/dy and w", [new LabelledMatrix("g", g), new LabelledMatrix("w", w)]), .. rows, .. sameRows],
            [Comparisons.WrittenSums("dJ/dx: Eq 1 written sums vs ConvRef", sums, c.Dx.Cast<double>(), bound), check, same]);
    }

    private static WalkthroughStep TransposedWeightGradientStep(double[,] g, double[,] x, Computed c, double bound)
    {
        var interleaved = Plane.Interleave(x, Stride - 1, Stride - 1);
        var correlation = Plane.ValidCorrelate(g, interleaved);
        var sums = DerivationSums.WeightGradient(g, x, KernelSize, KernelSize, Stride, input: "g", error: "x");
        var (rows, check) = Comparisons.SideBySide("dJ/dw", [(null, c.TransposedDw, c.TorchTransposedDw)], bound);
        var (sameRows, same) = Comparisons.Between("dJ/dw ConvRef (conv_transpose2d)", "dJ/dw autograd (conv2d)",
            "dJ/dw of conv_transpose2d (ConvRef) vs conv2d's dJ/dw (autograd)", [(null, c.TransposedDw, c.TorchDw)], bound);
        return new WalkthroughStep([2, 3], "Its weight gradient is Eq 3 with input and error swapped",
            ["w[p,q] meets x[i,j] in y[2i+p-2, 2j+q-2], so ∂J/∂w[p,q] = Σ_i Σ_j x[i,j] · g[2i+p-2, 2j+q-2]: Eq 2 with x in the place of δ and g in the place of a. With x = δ and g = a it is the conv2d layer's dJ/dw; as Eq 3's correlation, g ⊗ Interleave(x).",
             "Below: ConvRef's Plane.ValidCorrelate(g, Plane.Interleave(x)), Convolution.ConvTranspose2d.Backward's dJ/dw next to autograd's w.grad, then next to the conv2d layer's dJ/dw from autograd."],
            sums,
            [new MatrixRow("g ⊗ Interleave(x)",
                [new LabelledMatrix("interleaved x", interleaved) { Marked = ZerosBetween(interleaved), MarkNote = "zero put between x entries" },
                 new LabelledMatrix("g ⊗ interleaved x", correlation)]),
             .. rows, .. sameRows],
            [Comparisons.WrittenSums("dJ/dw: Eq 2 written sums vs ConvRef", sums, c.TransposedDw.Cast<double>(), bound),
             new Check("dJ/dw: Plane.ValidCorrelate(g, interleaved x) vs autograd", Comparisons.MaxAbsDifference(correlation, c.TorchTransposedDw), bound),
             check, same]);
    }

    private static bool[,] ZerosBetween(double[,] interleaved) =>
        Planes.Marks(interleaved.GetLength(0), interleaved.GetLength(1), (i, j) => i % Stride != 0 || j % Stride != 0);
}

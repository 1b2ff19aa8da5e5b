using ConvCompare.Explain.Model;
using ConvRef;

namespace ConvCompare.Explain.Examples;

/// <summary>
/// A reflect-padded conv2d layer: a 4x4 input padded by one element of reflection on every side, a 3x3
/// kernel, stride 1. The padded plane P holds copies of input elements, so the gradient that reaches
/// P's border (Eq 5 on P) is added back into the elements it copies: each input element's gradient is
/// the sum of dJ/dP over every cell of P that holds it.
/// </summary>
internal static class ReflectPage
{
    private const int Size = 4, KernelSize = 3, Pad = 1, Padded = Size + 2 * Pad;
    private const string BorderNote = "border: a copy of an input element";

    /// <summary>The numbers of the page for a seed: a (4x4), w (3x3) and δ (4x4).</summary>
    public static (double[,] A, double[,] W, double[,] Delta) Numbers(ulong seed)
    {
        var random = new IntegerSource(seed ^ 0x5555_5555_5555_5555UL);
        return (random.Matrix(Size, Size, -3, 3), random.Matrix(KernelSize, KernelSize, -2, 2, skipZero: true),
            random.Matrix(Size, Size, -3, 3, skipZero: true));
    }

    /// <summary>padding=1, padding_mode='reflect', stride 1.</summary>
    public static ConvSpec Spec { get; } = new() { Padding = ConvPadding.Of(Pad), PaddingMode = PaddingMode.Reflect };

    /// <summary>
    /// The input row (or column) that padded row <paramref name="u"/> copies: reflection at the edge
    /// element without repeating it, so index -1 reads 1 and index size reads size - 2 (0-based). Written
    /// here from the definition rather than taken from ConvRef, so the fold below is a witness.
    /// </summary>
    public static int Source(int u)
    {
        int i = u - Pad;
        return i < 0 ? -i : i >= Size ? 2 * (Size - 1) - i : i;
    }

    /// <summary>Builds the page.</summary>
    public static Walkthrough Build(ulong seed, IFamilyAutograd autograd)
    {
        ArgumentNullException.ThrowIfNull(autograd);
        var (a, w, delta) = Numbers(seed);
        var aT = Planes.Single(a);
        var wT = Planes.Single(w);
        var z = Convolution.Conv2d.Forward(aT, wT, null, Spec, Conv2dAlgorithm.Serial);
        var grads = Convolution.Conv2d.Backward(aT, wT, false, Planes.Single(delta), Spec, null, Conv2dAlgorithm.Serial);
        var torch = autograd.Gradients(Convolution.Conv2d, Spec, aT, wT, Planes.Single(delta));
        var padded = new double[Padded, Padded];
        for (int u = 0; u < Padded; u++)
            for (int v = 0; v < Padded; v++)
                padded[u, v] = a[Source(u), Source(v)];
        var border = Planes.Marks(Padded, Padded, (u, v) => u < Pad || v < Pad || u >= Pad + Size || v >= Pad + Size);
        // Each gradient of a is a sum of at most four dJ/dP, each a sum of k·k products δ·w; z and dJ/dw are sums of k·k products a·w, a·δ.
        double bound = ExactIntegers.Bound(delta.Cast<double>().Concat(a.Cast<double>()), w.Cast<double>().Concat(a.Cast<double>()), 4 * w.Length);

        var part = new WalkthroughPart(1, "Reflect padding: the border's gradient folds back",
            $"A {Size}x{Size} input a, padding {Pad} with padding_mode='reflect', a {KernelSize}x{KernelSize} kernel w, stride 1, no bias: the padded plane P is {Padded}x{Padded} and z is {Size}x{Size}. Indices are 1-based as in the derivation.",
            [ForwardStep(a, w, padded, border, Planes.Of(z, 0, 0), Planes.Of(torch.Output, 0, 0), bound),
             PaddedGradientStep(delta, w, border, bound, out var paddedGradient),
             FoldStep(paddedGradient, border, Planes.Of(grads.Input, 0, 0), Planes.Of(torch.InputGradient, 0, 0), bound),
             WeightStep(padded, delta, Planes.Of(grads.Weights, 0, 0), Planes.Of(torch.WeightGradient, 0, 0), bound)]);
        return new Walkthrough(seed, [part])
        {
            Title = "A reflect-padded layer's border gradient",
            Summary = "A conv2d layer with padding_mode='reflect': Eq 1 on the padded input, Eq 5 back to the padded input, and the padded border's gradient added back onto the input elements it copies, written out for every input element; ConvRef's Convolution.Conv2d next to TorchSharp autograd's (float64, F.pad in reflect mode, then conv2d) and their difference.",
        };
    }

    private static WalkthroughStep ForwardStep(double[,] a, double[,] w, double[,] padded, bool[,] border, double[,] z, double[,] torchZ, double bound)
    {
        // z[1,1]'s window is P's top-left corner, where every border cell reads a reflected input element.
        var corner = new WrittenSum("z[1,1]", DerivationSums.Cells(KernelSize, KernelSize, (p, q) =>
            new SumTerm([new Factor(DerivationSums.Symbol("a", Source(p), Source(q)), padded[p, q]), new Factor(DerivationSums.Symbol("w", p, q), w[p, q])])));
        var (rows, check) = Comparisons.SideBySide("z", [(null, z, torchZ)], bound);
        return new WalkthroughStep([1], "Forward pass on the reflected input",
            [$"Reflection mirrors the input at its edge element without repeating it: row 1 of P holds row 2 of a and row {Padded} holds row {Size - 1} ([a1 a2 a3 a4] becomes [a2 | a1 a2 a3 a4 | a3]), likewise for columns; P's corners hold a[2,2], a[2,{Size - 1}], a[{Size - 1},2] and a[{Size - 1},{Size - 1}]. Eq 1 then runs on P as on any input: z[i,j] = Σ_p Σ_q P[i+p-1, j+q-1] · w[p,q].",
             "Below: z[1,1] written with the input elements its window reads, then ConvRef's Convolution.Conv2d.Forward next to autograd's (F.pad reflect, conv2d)."],
            [corner],
            [new MatrixRow("a, its reflection P and w",
                [new LabelledMatrix("a", a), new LabelledMatrix("P (reflect-padded a)", padded) { Marked = border, MarkNote = BorderNote }, new LabelledMatrix("w", w)]),
             .. rows],
            [Comparisons.WrittenSums("z[1,1]: Eq 1 written sum vs ConvRef", [corner], [z[0, 0]], bound), check]);
    }

    private static WalkthroughStep PaddedGradientStep(double[,] delta, double[,] w, bool[,] border, double bound, out double[,] paddedGradient)
    {
        var sums = DerivationSums.InputGradients(delta, w, 1, Padded, Padded, target: "dJ/dP");
        var full = Plane.FullConvolve(delta, Plane.Rot180(w));
        paddedGradient = new double[Padded, Padded];
        // The written sums are the witness the fold below is built from; ConvRef's plane is checked against them.
        for (int u = 0; u < Padded; u++)
            for (int v = 0; v < Padded; v++)
                paddedGradient[u, v] = sums[u * Padded + v].Value;
        var shown = new[] { (0, 0), (0, 2), (2, 0), (2, 2) }.Select(uv => sums[uv.Item1 * Padded + uv.Item2]).ToArray();
        return new WalkthroughStep([5, 6], "Back to the padded input: Eq 5 on P, border included",
            ["The convolution does not know P was padded: Eq 5 gives ∂J/∂P[u,v] = Σ δ[i,j] · w[u-i+1, v-j+1] for every cell of P, and as one operation ∂J/∂P = δ ⊗_f Rot180(w) (Eq 6 without the activation), 6x6 like P. With zero padding the border's share would be dropped; here the border cells are copies of input elements, so their gradient belongs to those elements.",
             "Below: the four sums that reach input element a[2,2] (P[1,1], P[1,3], P[3,1], P[3,3]), then ConvRef's Plane.FullConvolve(δ, Plane.Rot180(w)) with the border marked."],
            shown,
            [new MatrixRow("δ ⊗_f Rot180(w)",
                [new LabelledMatrix("δ", delta), new LabelledMatrix("Rot180(w)", Plane.Rot180(w)),
                 new LabelledMatrix("dJ/dP = δ ⊗_f Rot180(w)", full) { Marked = border, MarkNote = BorderNote }])],
            [Comparisons.WrittenSums("dJ/dP: Eq 5 written sums vs ConvRef's Plane.FullConvolve", sums, full.Cast<double>(), bound)]);
    }

    private static WalkthroughStep FoldStep(double[,] paddedGradient, bool[,] border, double[,] convRef, double[,] torch, double bound)
    {
        var interior = Plane.Crop(paddedGradient, Pad, Pad, Size, Size);
        var folded = new double[Size, Size];
        for (int u = 0; u < Padded; u++)
            for (int v = 0; v < Padded; v++)
                if (border[u, v])
                    folded[Source(u), Source(v)] += paddedGradient[u, v];
        var total = Planes.Map(interior, x => x);
        Plane.AddInto(total, folded);
        var receives = Planes.Marks(Size, Size, (r, c) => Copies(r, c) > 1);
        var sums = DerivationSums.Cells(Size, Size, (r, c) => new WrittenSum(DerivationSums.Symbol("dJ/da", r, c),
            DerivationSums.Cells(Padded, Padded, (u, v) => (u, v)).Where(uv => Source(uv.u) == r && Source(uv.v) == c)
                .Select(uv => new SumTerm([new Factor(DerivationSums.Symbol("dJ/dP", uv.u, uv.v), paddedGradient[uv.u, uv.v])])).ToArray()));
        var (rows, check) = Comparisons.SideBySide("dJ/da", [(null, convRef, torch)], bound);
        return new WalkthroughStep([5], "The border's gradient folds back onto the input",
            ["Eq 5's reasoning once more: an element's gradient is the sum over every place it entered. P[u,v] = a[m(u), m(v)], with m the reflection of the forward step, so ∂J/∂a[r,c] = Σ ∂J/∂P[u,v] over every (u,v) with m(u) = r and m(v) = c.",
             "Reflection copies the second and the second-to-last row and column into the border, never the edge itself, so an element appears in P once, twice or four times: a[1,1] once, a[1,2] twice (its column is mirrored), a[2,2] four times (its row, its column and the corner); its gradient gathers that many terms.",
             "Below: every input element's sum; then the interior of dJ/dP (what zero padding keeps), the border's gradient added onto the elements it copies, their sum, and ConvRef's Convolution.Conv2d.Backward next to autograd's a.grad."],
            sums,
            [new MatrixRow("interior + folded border",
                [new LabelledMatrix("interior of dJ/dP", interior),
                 new LabelledMatrix("border folded back", folded) { Marked = receives, MarkNote = "receives border gradient" },
                 new LabelledMatrix("sum", total)]),
             .. rows],
            [Comparisons.WrittenSums("dJ/da: fold written sums vs ConvRef", sums, convRef.Cast<double>(), bound),
             new Check("dJ/da: interior + folded border vs autograd", Comparisons.MaxAbsDifference(total, torch), bound),
             check]);
    }

    private static WalkthroughStep WeightStep(double[,] padded, double[,] delta, double[,] convRef, double[,] torch, double bound)
    {
        var correlation = Plane.ValidCorrelate(padded, delta);
        var (rows, check) = Comparisons.SideBySide("dJ/dw", [(null, convRef, torch)], bound);
        return new WalkthroughStep([3], "The weight gradient reads the padded input",
            ["Eq 3 on P: ∂J/∂w = P ⊗ δ. The mirrored border enters as the values it copies; nothing needs folding, since w is not padded."],
            [],
            [new MatrixRow("P ⊗ δ", [new LabelledMatrix("P ⊗ δ (ValidCorrelate)", correlation)]), .. rows],
            [new Check("dJ/dw: Plane.ValidCorrelate(P, δ) vs autograd", Comparisons.MaxAbsDifference(correlation, torch), bound), check]);
    }

    /// <summary>How many cells of P hold input element (r, c).</summary>
    private static int Copies(int r, int c) =>
        Enumerable.Range(0, Padded).Count(u => Source(u) == r) * Enumerable.Range(0, Padded).Count(v => Source(v) == c);
}

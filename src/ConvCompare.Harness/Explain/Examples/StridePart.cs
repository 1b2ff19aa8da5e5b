using ConvCompare.Cases;
using ConvCompare.Explain.Model;
using ConvCompare.Runner;
using ConvRef;

namespace ConvCompare.Explain.Examples;

/// <summary>
/// Part 3: stride 2 on a 6x6 input with a 3x3 kernel. The stride does not divide 6 - 3, so the
/// last row and column of the input lie under no window: they get no gradient, and they never
/// enter dJ/dw. Shows why δ is interleaved with zeros before the full convolution.
/// </summary>
internal static class StridePart
{
    private const int Size = 6, KernelSize = 3, Stride = 2;
    private const string UncoveredNote = "under no window";

    /// <summary>Builds part 3; the numbers come from <paramref name="random"/>.</summary>
    public static WalkthroughPart Build(IntegerSource random, ILayerEngine autograd)
    {
        var a = random.Matrix(Size, Size, -3, 3);
        var w = random.Matrix(KernelSize, KernelSize, -2, 2, skipZero: true);
        var delta = random.Matrix(2, 2, -3, 3);
        var spec = new Conv2dSpec { StrideH = Stride, StrideW = Stride };
        var aT = Planes.Single(a);
        var wT = Planes.Single(w);
        var deltaT = Planes.Single(delta);
        var z = Conv2d.Forward(aT, wT, null, spec, Conv2dAlgorithm.Serial);
        var grads = Conv2d.Backward(aT, wT, false, deltaT, spec, null, Conv2dAlgorithm.Serial);
        var torch = LayerCase.Run(autograd, aT, wT, null, deltaT, Stride);
        var geometry = Conv2dGeometry.Create(aT.Shape, wT.Shape, spec);
        int outSize = geometry.OutH, covered = geometry.CoveredH;
        var uncovered = Planes.Marks(Size, Size, (i, j) => i >= covered || j >= covered);
        double forwardBound = ExactIntegers.Bound(a.Cast<double>(), w.Cast<double>(), w.Length);
        double backwardBound = ExactIntegers.Bound(delta.Cast<double>(), a.Cast<double>().Concat(w.Cast<double>()), delta.Length);

        var forwardSums = DerivationSums.Forward(a, w, Stride);
        var (zRows, zCheck) = Comparisons.SideBySide("z", [(null, Planes.Of(z, 0, 0), Planes.Of(torch.Y, 0, 0))], forwardBound);
        var forward = new WalkthroughStep([1], "Forward pass with stride 2: windows start at rows and columns 1 and 3",
            [$"Eq 1 with the window moved {Stride} cells per output: z[i,j] = Σ_p Σ_q a[2i+p-2, 2j+q-2] · w[p,q]. The windows cover rows and columns 1 to {covered}; since {Stride} does not divide {Size} - {KernelSize}, row and column {Size} lie under no window (marked)."],
            forwardSums,
            [new MatrixRow("a^(l-1) and w^(l)", [new LabelledMatrix("a^(l-1)", a) { Marked = uncovered, MarkNote = UncoveredNote }, new LabelledMatrix("w^(l)", w)]), .. zRows],
            [Comparisons.WrittenSums("z: Eq 1 written sums vs ConvRef (stride 2)", forwardSums, Planes.Of(z, 0, 0).Cast<double>(), forwardBound), zCheck]);

        var interleaved = Plane.Interleave(delta, Stride - 1, Stride - 1);
        var zerosBetween = Planes.Marks(interleaved.GetLength(0), interleaved.GetLength(1), (i, j) => i % Stride != 0 || j % Stride != 0);
        var weightSums = DerivationSums.WeightGradient(a, delta, KernelSize, KernelSize, Stride);
        var coveredInput = Plane.Crop(a, 0, 0, covered, covered);
        var compactWeights = Plane.ValidCorrelate(coveredInput, interleaved, 1, 1);
        var (dwRows, dwCheck) = Comparisons.SideBySide("dJ/dw", [(null, Planes.Of(grads.Weights, 0, 0), Planes.Of(torch.Dw, 0, 0))], backwardBound);
        var weights = new WalkthroughStep([2, 3], "Weight gradients with stride 2: δ interleaved with zeros",
            [$"Eq 2 still sums δ[i,j] times the input under kernel cell [p,q], now at a[2i+p-2, 2j+q-2]. No term of any sum names row or column {Size} of a: inputs under no window do not influence dJ/dw.",
             $"As Eq 3's correlation, the stride becomes a gap: put {Stride - 1} zero between neighbouring δ entries (interleave) and correlate it, at stride 1, with the covered {covered}x{covered} part of a.",
             "Below: ConvRef's Plane.Interleave(δ, 1, 1), Plane.Crop(a) to the covered part and Plane.ValidCorrelate of the two, then Conv2d.Backward's dJ/dw next to autograd's."],
            weightSums,
            [new MatrixRow("a (covered part) ⊗ interleaved δ",
                [new LabelledMatrix($"a^(l-1) rows/cols 1-{covered}", coveredInput),
                 new LabelledMatrix("interleaved δ", interleaved) { Marked = zerosBetween, MarkNote = "zero put between δ entries" },
                 new LabelledMatrix("correlation", compactWeights)]),
             .. dwRows],
            [Comparisons.WrittenSums("dJ/dw: Eq 2 written sums vs ConvRef (stride 2)", weightSums, grads.Weights.Data, backwardBound),
             new Check("dJ/dw: Plane.ValidCorrelate(a, interleaved δ) vs autograd", Comparisons.MaxAbsDifference(compactWeights, Planes.Of(torch.Dw, 0, 0)), backwardBound),
             dwCheck]);

        return new WalkthroughPart(3, "Stride 2: interleaved errors and inputs no window covers",
            $"A {Size}x{Size} input, a {KernelSize}x{KernelSize} kernel, stride {Stride}, no bias: z^(l) is {outSize}x{outSize}.",
            [forward,
             new([], "The upstream error δ^(l)", ["Drawn like part 1's: integers in [-3, 3]."], [], [new MatrixRow(null, [new LabelledMatrix("δ^(l)", delta)])], []),
             weights,
             InputStep(delta, w, interleaved, zerosBetween, uncovered, covered, grads, torch, backwardBound)]);
    }

    private static WalkthroughStep InputStep(double[,] delta, double[,] w, double[,] interleaved, bool[,] zerosBetween,
        bool[,] uncovered, int covered, Conv2dGradients<double> grads, CaseOutputs torch, double bound)
    {
        int k = KernelSize - 1, n = interleaved.GetLength(0);
        var padded = Plane.Pad(interleaved, k, k, k, k);
        var paddedMarks = Planes.Marks(padded.GetLength(0), padded.GetLength(1),
            (i, j) => i < k || j < k || i >= k + n || j >= k + n || zerosBetween[i - k, j - k]);
        var rotated = Plane.Rot180(w);
        var full = Plane.FullConvolve(interleaved, rotated);
        var placed = Plane.Crop(full, 0, 0, Size, Size);
        var convRefDa = Planes.Of(grads.Input, 0, 0);
        var autogradDa = Planes.Of(torch.InputGradient, 0, 0);
        var (rows, check) = Comparisons.SideBySide("dJ/da", [(null, convRefDa, autogradDa)], bound);
        double uncoveredMax = 0;
        for (int i = 0; i < Size; i++)
            for (int j = 0; j < Size; j++)
                if (uncovered[i, j])
                    uncoveredMax = Comparisons.CombineMax(uncoveredMax, Math.Max(Math.Abs(convRefDa[i, j]), Math.Abs(autogradDa[i, j])));
        var sums = new[] { (1, 1), (2, 2), (Size - 1, 0), (Size - 1, Size - 1) }
            .Select(rc => DerivationSums.InputGradient(delta, w, Stride, rc.Item1, rc.Item2)).ToArray();
        return new WalkthroughStep([5, 6], "Input gradients with stride 2: interleave, then full convolution",
            ["Eq 5 still sums δ[i,j] · w[p,q] over the windows that covered a[r,c]; with stride 2 a cell is covered by one, two or four windows, or by none: the sums for dJ/da[2,2], dJ/da[3,3] and the uncovered row 6 show it.",
             $"Eq 6's full convolution assumes neighbouring outputs are one cell apart. Interleaving δ with {Stride - 1} zero restores that spacing; then pad for full mode, rotate w by 180° and correlate as in part 1. The result covers rows and columns 1 to {covered}; the remaining row and column get exactly zero gradient.",
             "Below: ConvRef's Plane.Interleave(δ), Plane.Pad, Plane.Rot180(w), Plane.FullConvolve and Plane.Crop to the input size (which fills the uncovered row and column with zeros), then Conv2d.Backward's dJ/da next to autograd's."],
            sums,
            [new MatrixRow("interleaved δ ⊗_f Rot180(w)",
                [new LabelledMatrix("interleaved δ", interleaved) { Marked = zerosBetween, MarkNote = "zero put between δ entries" },
                 new LabelledMatrix("padded for full mode", padded) { Marked = paddedMarks, MarkNote = "zero added (interleave or full mode)" },
                 new LabelledMatrix("Rot180(w)", rotated)]),
             new MatrixRow("full convolution, then cropped to the 6x6 input",
                [new LabelledMatrix("full convolution", full),
                 new LabelledMatrix("cropped to 6x6 (Plane.Crop)", placed) { Marked = uncovered, MarkNote = UncoveredNote }]),
             .. rows.Select(r => r with { Matrices = r.Matrices.Select(m => m with { Marked = uncovered, MarkNote = UncoveredNote }).ToArray() })],
            [new Check("dJ/da: Plane.FullConvolve(interleaved δ, Rot180(w)) cropped vs autograd", Comparisons.MaxAbsDifference(placed, autogradDa), bound),
             check,
             new Check("dJ/da: cells under no window, max |value| (ConvRef and autograd)", uncoveredMax, 0)]);
    }
}

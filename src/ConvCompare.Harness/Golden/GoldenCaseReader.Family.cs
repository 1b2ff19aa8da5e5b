using System.Globalization;
using ConvCompare.Cases;
using ConvCompare.Golden.Safetensors;
using ConvCompare.Limits;
using ConvRef;

namespace ConvCompare.Golden;

/// <summary>
/// Version 2 of the format: a file of the convolution family (an <c>op</c> other than conv2d, or a
/// <c>padding_mode</c>). Its hyperparameters hold one value per spatial axis, x's rank says whether it is
/// batched, and the case they describe must be a valid layer of its operation (<see cref="CaseConfig.Problem"/>,
/// PyTorch's rules) whose shapes every tensor matches.
/// </summary>
internal static partial class GoldenCaseReader
{
    private sealed partial class Checker
    {
        private GoldenCase ReadFamily(string opText)
        {
            var op = CaseOps.Parse(opText)
                ?? throw Fail($"the metadata 'op' is \"{UntrustedText.Show(opText)}\"; it must be one of {string.Join(", ", CaseOps.Names)}");
            int rank = op.Rank();
            string[] axes = rank switch { 1 => ["W"], 2 => ["H", "W"], _ => ["D", "H", "W"] };
            string Form(string prefix) => string.Join(",", axes.Select(a => prefix + a));
            var mode = PaddingModeOf(op);
            int[] stride = Integers(GoldenFormat.Stride, rank, 1, Form("s"));
            var (spelling, padding) = PaddingOf(op, rank, axes);
            int[] dilation = Integers(GoldenFormat.Dilation, rank, 1, Form("d"));
            int groups = Integers(GoldenFormat.Groups, 1, 1, "G")[0];
            int[] outputPadding = OutputPaddingOf(op, rank, Form("op"));
            bool hasBias = Flag();
            var dtype = DType();

            if (!file.Tensors.TryGetValue(GoldenFormat.X, out var x))
                throw Fail($"the required tensor '{GoldenFormat.X}' is missing");
            string spatial = string.Join(", ", axes);
            bool batched = x.Shape.Count == rank + 2;
            if (!batched && x.Shape.Count != rank + 1)
                throw Fail($"the tensor 'x' has shape {x.ShapeText}; {opText} takes x as [N, C_in, {spatial}] or, unbatched, [C_in, {spatial}]");
            foreach (string name in Required(hasBias))
                CheckTensor(name, dtype, name is GoldenFormat.B or GoldenFormat.Db ? 1 : name is GoldenFormat.W or GoldenFormat.Dw ? rank + 2 : x.Shape.Count);
            NoBiasTensors(hasBias);

            var config = Layer(op, mode, spelling, batched, stride, padding, dilation, groups, outputPadding, hasBias, dtype);
            CheckPaddedSize(config, x);
            string rule = $"{opText} of x {x.ShapeText} with w {file.Tensors[GoldenFormat.W].ShapeText} and the metadata's hyperparameters";
            ExpectShape(GoldenFormat.W, config.WeightShape, rule + " needs");
            ExpectShape(GoldenFormat.Y, config.OutputShape, rule + " gives");
            ExpectShape(GoldenFormat.Dy, config.OutputShape, rule + " gives");
            ExpectShape(GoldenFormat.Dx, config.InputShape, $"x is {x.ShapeText}, so it must be");
            ExpectShape(GoldenFormat.Dw, config.WeightShape, $"w is {file.Tensors[GoldenFormat.W].ShapeText}, so it must be");
            if (hasBias)
            {
                ExpectShape(GoldenFormat.B, [config.Shape.Cout], $"{opText} has C_out = {config.Shape.Cout} here, so it must be");
                ExpectShape(GoldenFormat.Db, [config.Shape.Cout], $"{opText} has C_out = {config.Shape.Cout} here, so it must be");
            }
            bool secondOrder = SecondOrder(hasBias, dtype, x.Shape.Count, rank + 2, config.Shape.Cout, $"{opText} has C_out = {config.Shape.Cout} here, so it must be");
            return Assemble(config.Spec, config.Family, hasBias, dtype, secondOrder);
        }

        /// <summary>The metadata <c>padding_mode</c> (zeros when absent); a transposed operation pads with zeros only.</summary>
        private CasePaddingMode PaddingModeOf(CaseOp op)
        {
            if (!file.Metadata.TryGetValue(GoldenFormat.PaddingMode, out string? text))
                return CasePaddingMode.Zeros;
            var mode = CaseOps.Modes.Where(m => m.Token() == text).Cast<CasePaddingMode?>().FirstOrDefault()
                ?? throw Fail($"the metadata '{GoldenFormat.PaddingMode}' is \"{UntrustedText.Show(text)}\"; it must be \"zeros\", \"reflect\", \"replicate\" or \"circular\"");
            if (op.Transposed() && mode != CasePaddingMode.Zeros)
                throw Fail($"the metadata '{GoldenFormat.PaddingMode}' is \"{text}\", but {op.Name()} pads with zeros only, as PyTorch's does");
            return mode;
        }

        /// <summary>The metadata <c>padding</c>: <c>same</c>, <c>valid</c> (convolutions only), or two non-negative integers per axis.</summary>
        private (CasePadding Spelling, int[] Pads) PaddingOf(CaseOp op, int rank, string[] axes)
        {
            string text = file.Metadata[GoldenFormat.Padding];
            if (text is GoldenFormat.SamePadding or GoldenFormat.ValidPadding)
            {
                if (op.Transposed())
                    throw Fail($"the metadata 'padding' is \"{text}\", but {op.Name()} takes its padding as integers, as PyTorch's does");
                return (text == GoldenFormat.SamePadding ? CasePadding.Same : CasePadding.Valid, new int[2 * rank]);
            }
            string form = string.Join(",", axes.Select(a => a + "before," + a + "after"));
            return (CasePadding.Explicit, Integers(GoldenFormat.Padding, 2 * rank, 0, form + "\", or \"same\" or \"valid"));
        }

        /// <summary>The metadata <c>output_padding</c>: required of a transposed operation, one integer per axis; refused for a convolution.</summary>
        private int[] OutputPaddingOf(CaseOp op, int rank, string form)
        {
            bool present = file.Metadata.ContainsKey(GoldenFormat.OutputPadding);
            if (!op.Transposed())
            {
                if (present)
                    throw Fail($"the metadata has '{GoldenFormat.OutputPadding}', which applies to transposed convolutions only, not to {op.Name()}");
                return new int[rank];
            }
            if (!present)
                throw Fail($"the metadata key '{GoldenFormat.OutputPadding}' is missing; a file of {op.Name()} needs it (\"{form}\")");
            return Integers(GoldenFormat.OutputPadding, rank, 0, form);
        }

        /// <summary>
        /// The case the metadata and the shapes of x and w describe, refused with the rule it breaks when it is no valid
        /// layer. Axis i of an operation of rank r is axis i + 3 - r of (depth, height, width); absent axes stay neutral.
        /// </summary>
        private CaseConfig Layer(CaseOp op, CasePaddingMode mode, CasePadding spelling, bool batched, int[] stride, int[] padding,
            int[] dilation, int groups, int[] outputPadding, bool hasBias, CaseDtype dtype)
        {
            var x = file.Tensors[GoldenFormat.X];
            var w = file.Tensors[GoldenFormat.W];
            int rank = op.Rank();
            int At(IReadOnlyList<int> values, int axis, int neutral) => axis - (3 - rank) is var i and >= 0 ? values[i] : neutral;
            int Before(int axis) => At([.. padding.Where((_, i) => i % 2 == 0)], axis, 0);
            int After(int axis) => At([.. padding.Where((_, i) => i % 2 == 1)], axis, 0);
            int[] spatial = [.. x.Shape.Skip(x.Shape.Count - rank)], kernel = [.. w.Shape.Skip(2)];
            int cIn = x.Shape[batched ? 1 : 0];
            if (cIn % groups != 0)
                throw Fail($"groups {groups} must divide C_in = {cIn} (x {x.ShapeText})");
            long cOut = op.Transposed() ? (long)w.Shape[1] * groups : w.Shape[0];
            if (op.Transposed() ? w.Shape[0] != cIn : w.Shape[1] != cIn / groups)
                throw Fail(op.Transposed()
                    ? $"the tensor 'w' has shape {w.ShapeText}; {op.Name()} takes w as [C_in, C_out/G, ...], so with x {x.ShapeText} its first dimension must be C_in = {cIn}"
                    : $"the tensor 'w' has shape {w.ShapeText}; with x {x.ShapeText} and groups {groups} its second dimension must be C_in/G = {cIn / groups}");
            if (cOut > CaseConfig.MaxTensorElements)
                throw Fail(string.Create(CultureInfo.InvariantCulture, $"w {w.ShapeText} with groups {groups} gives C_out = {cOut}, more than any tensor may hold"));
            var shape = new CaseShape(batched ? x.Shape[0] : 1, cIn, At(spatial, 1, 1), At(spatial, 2, 1), (int)cOut, At(kernel, 1, 1), At(kernel, 2, 1));
            var geometry = new CaseGeometry
            {
                StrideH = At(stride, 1, 1), StrideW = At(stride, 2, 1),
                PadTop = Before(1), PadBottom = After(1), PadLeft = Before(2), PadRight = After(2),
                DilationH = At(dilation, 1, 1), DilationW = At(dilation, 2, 1), Groups = groups,
            };
            var family = new CaseFamily
            {
                Op = op, Mode = mode, Padding = spelling, Batched = batched,
                OutputPaddingD = At(outputPadding, 0, 0), OutputPaddingH = At(outputPadding, 1, 0), OutputPaddingW = At(outputPadding, 2, 0),
                D = At(spatial, 0, 1), KD = At(kernel, 0, 1), StrideD = At(stride, 0, 1), DilationD = At(dilation, 0, 1),
                PadFront = Before(0), PadBack = After(0),
            };
            (geometry, family) = family.WithImpliedPads(shape, geometry);
            var config = new CaseConfig(shape, geometry, hasBias, dtype, ActivationKind.Identity, null, 0) { Family = family.IsPlain ? null : family };
            if (config.Problem is { } problem)
                throw Fail($"the metadata and the shapes of x {x.ShapeText} and w {w.ShapeText} describe no valid {op.Name()} layer: {problem}");
            return config;
        }

        /// <summary>
        /// Padding is the one field that could make a tiny file demand a huge allocation: the padded input of a
        /// convolution (the uncropped output of a transposed one) may hold at most <see cref="PaddedElementFloor"/>
        /// elements, or <see cref="PaddedGrowthLimit"/> times x or y, whichever is larger.
        /// </summary>
        private void CheckPaddedSize(CaseConfig config, SafetensorsEntry x)
        {
            bool transposed = config.Op.Transposed();
            // In double: three axes of 2^17 padded positions each would overflow a long's product.
            double padded = config.Axes.Aggregate((double)config.Shape.N * (transposed ? config.Shape.Cout : config.Shape.Cin),
                (p, a) => p * ((transposed ? a.Output : a.Input) + a.PadBefore + a.PadAfter));
            long largest = Math.Max(x.ElementCount, file.Tensors[GoldenFormat.Y].ElementCount);
            if (padded > Math.Max(PaddedElementFloor, PaddedGrowthLimit * largest))
                throw Fail(string.Create(CultureInfo.InvariantCulture,
                    $"the padding makes a padded {(transposed ? "output" : "input")} of {padded:0} elements, more than this reader allows for x {x.ShapeText}"));
        }
    }
}

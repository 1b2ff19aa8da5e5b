using ConvCompare.Cases;
using System.Globalization;
using ConvCompare.Golden.Safetensors;
using ConvCompare.Limits;
using ConvCompare.Comparison;
using ConvRef;

namespace ConvCompare.Golden;

/// <summary>
/// Turns a safetensors file into a <see cref="GoldenCase"/>, checking everything the format promises:
/// required metadata keys and their syntax, required tensors, F32/F64 dtypes that agree with the
/// metadata, and shapes that agree with each other and with the operation's output-size rule
/// (conv2d's here; a family file's in the other part of this class).
/// Every problem is a <see cref="GoldenFileException"/> naming the file.
/// </summary>
internal static partial class GoldenCaseReader
{
    /// <summary>
    /// Largest hyperparameter value accepted. Far beyond any real layer, small enough that the shape
    /// arithmetic below cannot overflow.
    /// </summary>
    private const int MaxHyperparameter = 1 << 16;

    /// <summary>
    /// The padded input ConvRef materializes may be at most this many elements, or
    /// <see cref="PaddedGrowthLimit"/> times x, whichever is larger: padding is the one field that
    /// could make a tiny file demand a huge allocation.
    /// </summary>
    private const long PaddedElementFloor = 1L << 24;

    private const long PaddedGrowthLimit = 64;

    /// <summary>Reads and validates the golden case in <paramref name="path"/>, a regular file of at most <see cref="ResourceLimits.MaxFileBytes"/> bytes.</summary>
    /// <exception cref="GoldenFileException">The file cannot be read, or breaks the format.</exception>
    public static GoldenCase Read(string path, ResourceLimits? limits = null) =>
        FromFile(SafetensorsFile.Read(path, (limits ?? ResourceLimits.Default).MaxFileBytes));

    /// <summary>Validates a parsed safetensors file as a golden case.</summary>
    /// <exception cref="GoldenFileException">The file breaks the format.</exception>
    public static GoldenCase FromFile(SafetensorsFile file)
    {
        var reader = new Checker(file);
        return reader.Read();
    }

    private sealed partial class Checker(SafetensorsFile file)
    {
        private GoldenFileException Fail(string problem) => new(file.File, problem);

        public GoldenCase Read()
        {
            foreach (string key in GoldenFormat.RequiredMetadata)
            {
                if (!file.Metadata.ContainsKey(key))
                    throw Fail($"the metadata key '{key}' is missing (a golden file needs {string.Join(", ", GoldenFormat.RequiredMetadata)})");
            }
            string op = file.Metadata[GoldenFormat.Op];
            if (op != GoldenFormat.Conv2dOp || file.Metadata.ContainsKey(GoldenFormat.PaddingMode))
                return ReadFamily(op);
            int[] stride = Integers(GoldenFormat.Stride, 2, 1, "sH,sW");
            int[] padding = Integers(GoldenFormat.Padding, 4, 0, "top,bottom,left,right");
            int[] dilation = Integers(GoldenFormat.Dilation, 2, 1, "dH,dW");
            int groups = Integers(GoldenFormat.Groups, 1, 1, "G")[0];
            bool hasBias = Flag();
            var dtype = DType();
            var spec = new Conv2dSpec
            {
                StrideH = stride[0], StrideW = stride[1],
                PadTop = padding[0], PadBottom = padding[1], PadLeft = padding[2], PadRight = padding[3],
                DilationH = dilation[0], DilationW = dilation[1],
                Groups = groups,
            };

            foreach (string name in Required(hasBias))
                CheckTensor(name, dtype);
            NoBiasTensors(hasBias);
            CheckShapes(spec, hasBias);
            var w = file.Tensors[GoldenFormat.W];
            return Assemble(spec, null, hasBias, dtype, SecondOrder(hasBias, dtype, 4, 4, w.Shape[0], $"w {w.ShapeText} has C_out = {w.Shape[0]}, so it must be"));
        }

        /// <summary>The first-order tensors every file holds: x, w, dy, y, dx, dw, and b and db with bias.</summary>
        private static string[] Required(bool hasBias) => hasBias
            ? [GoldenFormat.X, GoldenFormat.W, GoldenFormat.B, GoldenFormat.Dy, GoldenFormat.Y, GoldenFormat.Dx, GoldenFormat.Dw, GoldenFormat.Db]
            : [GoldenFormat.X, GoldenFormat.W, GoldenFormat.Dy, GoldenFormat.Y, GoldenFormat.Dx, GoldenFormat.Dw];

        /// <summary>The tensors b and db must be absent when the metadata says the layer has no bias.</summary>
        private void NoBiasTensors(bool hasBias)
        {
            if (hasBias)
                return;
            foreach (string name in new[] { GoldenFormat.B, GoldenFormat.Db })
            {
                if (file.Tensors.ContainsKey(name))
                    throw Fail($"the metadata says bias \"false\" but the file has the tensor '{name}'");
            }
        }

        /// <summary>The case of a file whose metadata and shapes have been checked: its values loaded, inputs checked for NaN and Inf.</summary>
        private GoldenCase Assemble(Conv2dSpec spec, CaseFamily? family, bool hasBias, CaseDtype dtype, bool secondOrder)
        {
            bool nonFinite = NonFiniteDeclared();

            var x = Input(GoldenFormat.X, nonFinite);
            var w = Input(GoldenFormat.W, nonFinite);
            var b = hasBias ? Input(GoldenFormat.B, nonFinite) : null;
            var dy = Input(GoldenFormat.Dy, nonFinite);
            return new GoldenCase(
                Path.GetFileNameWithoutExtension(file.File), dtype, spec, x, w, b, dy,
                Load(GoldenFormat.Y), Load(GoldenFormat.Dx), Load(GoldenFormat.Dw), hasBias ? Load(GoldenFormat.Db) : null,
                file.Metadata[GoldenFormat.Source])
            {
                Gg = secondOrder ? new SecondOrderUpstream(Input(GoldenFormat.GgX, false), Input(GoldenFormat.GgW, false), hasBias ? Input(GoldenFormat.GgB, false) : null) : null,
                SecondOrderExpected = secondOrder ? new SecondOrderOutputs(Load(GoldenFormat.D2x), Load(GoldenFormat.D2w), Load(GoldenFormat.D2dy)) : null,
                Family = family,
            };
        }

        /// <summary>
        /// Whether the file holds the optional second-order entries; when it holds any, it must hold all of them
        /// (<see cref="GoldenFormat.SecondOrderTensors"/>), each shaped as the tensor it is a gradient of or weighs:
        /// ggx, d2x and d2dy of rank <paramref name="xRank"/> (x's and dy's), ggw and d2w of rank <paramref name="wRank"/>,
        /// ggb [<paramref name="cOut"/>] (<paramref name="cOutRule"/> says why).
        /// </summary>
        private bool SecondOrder(bool hasBias, CaseDtype dtype, int xRank, int wRank, int cOut, string cOutRule)
        {
            var names = GoldenFormat.SecondOrderTensors(hasBias);
            var present = names.Where(file.Tensors.ContainsKey).ToList();
            if (!hasBias && file.Tensors.ContainsKey(GoldenFormat.GgB))
                throw Fail($"the metadata says bias \"false\" but the file has the tensor '{GoldenFormat.GgB}'");
            if (present.Count == 0)
                return false;
            if (names.FirstOrDefault(n => !present.Contains(n)) is { } missing)
                throw Fail($"the file has the second-order tensor '{present[0]}' but not '{missing}'; second-order entries come together ({string.Join(", ", names)})");
            foreach (string name in names)
                CheckTensor(name, dtype, name switch { GoldenFormat.GgB => 1, GoldenFormat.GgW or GoldenFormat.D2w => wRank, _ => xRank });
            string x = file.Tensors[GoldenFormat.X].ShapeText, w = file.Tensors[GoldenFormat.W].ShapeText, dy = file.Tensors[GoldenFormat.Dy].ShapeText;
            ExpectShape(GoldenFormat.GgX, [.. file.Tensors[GoldenFormat.X].Shape], $"x is {x}, so it must be");
            ExpectShape(GoldenFormat.D2x, [.. file.Tensors[GoldenFormat.X].Shape], $"x is {x}, so it must be");
            ExpectShape(GoldenFormat.GgW, [.. file.Tensors[GoldenFormat.W].Shape], $"w is {w}, so it must be");
            ExpectShape(GoldenFormat.D2w, [.. file.Tensors[GoldenFormat.W].Shape], $"w is {w}, so it must be");
            ExpectShape(GoldenFormat.D2dy, [.. file.Tensors[GoldenFormat.Dy].Shape], $"dy is {dy}, so it must be");
            if (hasBias)
                ExpectShape(GoldenFormat.GgB, [cOut], cOutRule);
            return true;
        }

        private int[] Integers(string key, int count, int minimum, string form)
        {
            string text = file.Metadata[key];
            string[] parts = text.Split(',');
            var values = new int[parts.Length];
            bool ok = parts.Length == count;
            for (int i = 0; ok && i < parts.Length; i++)
            {
                ok = int.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) &&
                     values[i] >= minimum && values[i] <= MaxHyperparameter;
            }
            if (!ok)
            {
                string what = minimum == 0 ? "non-negative" : "positive";
                throw Fail($"the metadata '{key}' is \"{UntrustedText.Show(text)}\"; it must be {(count == 1 ? "a " + what + " integer" : count + " " + what + " integers")} \"{form}\" (each at most {MaxHyperparameter})");
            }
            return values;
        }

        private bool Flag()
        {
            string text = file.Metadata[GoldenFormat.Bias];
            return text switch
            {
                "true" => true,
                "false" => false,
                _ => throw Fail($"the metadata 'bias' is \"{UntrustedText.Show(text)}\"; it must be \"true\" or \"false\""),
            };
        }

        private bool NonFiniteDeclared()
        {
            if (!file.Metadata.TryGetValue(GoldenFormat.NonFinite, out string? text))
                return false;
            return text switch
            {
                "true" => true,
                "false" => false,
                _ => throw Fail($"the metadata '{GoldenFormat.NonFinite}' is \"{UntrustedText.Show(text)}\"; it must be \"true\" or \"false\""),
            };
        }

        /// <summary>
        /// An input tensor, refused when it holds NaN or Inf and the file does not declare that it tests
        /// their propagation: the rounding-error bound of such a case is infinite, so any verdict on it
        /// would blame an implementation for the file.
        /// </summary>
        private Tensor<double> Input(string name, bool nonFiniteDeclared)
        {
            var tensor = Load(name);
            if (nonFiniteDeclared)
                return tensor;
            int bad = Array.FindIndex(tensor.Data, v => !double.IsFinite(v));
            if (bad >= 0)
            {
                double value = tensor.Data[bad];
                string what = double.IsNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
                throw Fail($"{TensorComparison.ElementName(name, tensor.Shape, bad)} is {what}; the inputs x, w, b and dy of a golden file must be finite " +
                           $"unless its metadata '{GoldenFormat.NonFinite}' is \"true\" (a file that tests how NaN and Inf propagate)");
            }
            return tensor;
        }

        private CaseDtype DType()
        {
            string text = file.Metadata[GoldenFormat.DType];
            return text switch
            {
                "float32" => CaseDtype.F32,
                "float64" => CaseDtype.F64,
                _ => throw Fail($"the metadata 'dtype' is \"{UntrustedText.Show(text)}\"; it must be \"float32\" or \"float64\""),
            };
        }

        /// <summary>
        /// Checks that tensor <paramref name="name"/> is present, of the metadata's dtype, non-empty and of rank
        /// <paramref name="rank"/> (by default conv2d's: 1 for b, db and ggb, 4 for the others).
        /// </summary>
        private void CheckTensor(string name, CaseDtype dtype, int? rank = null)
        {
            if (!file.Tensors.TryGetValue(name, out var entry))
                throw Fail($"the required tensor '{name}' is missing");
            if (entry.DType is not (SafetensorsDType.F32 or SafetensorsDType.F64))
                throw Fail($"the tensor '{name}' has dtype {UntrustedText.Show(entry.DType)}; golden tensors must be F32 or F64");
            string stored = dtype == CaseDtype.F32 ? SafetensorsDType.F32 : SafetensorsDType.F64;
            if (entry.DType != stored)
                throw Fail($"the tensor '{name}' is {entry.DType} but the metadata dtype is \"{GoldenFormat.DTypeText(dtype)}\" ({stored})");
            int dimensions = rank ?? (name is GoldenFormat.B or GoldenFormat.Db or GoldenFormat.GgB ? 1 : 4);
            if (entry.Shape.Count != dimensions)
                throw Fail($"the tensor '{name}' has shape {entry.ShapeText}; it must have {dimensions} dimension{(dimensions == 1 ? "" : "s")}");
            if (entry.Shape.Contains(0))
                throw Fail($"the tensor '{name}' has shape {entry.ShapeText}; every dimension must be at least 1");
        }

        private void CheckShapes(Conv2dSpec spec, bool hasBias)
        {
            var x = file.Tensors[GoldenFormat.X];
            var w = file.Tensors[GoldenFormat.W];
            int n = x.Shape[0], cIn = x.Shape[1], h = x.Shape[2], wd = x.Shape[3];
            int cOut = w.Shape[0], kH = w.Shape[2], kW = w.Shape[3];
            int g = spec.Groups;
            if (cIn % g != 0 || cOut % g != 0)
                throw Fail($"groups {g} must divide both C_in = {cIn} (x {x.ShapeText}) and C_out = {cOut} (w {w.ShapeText})");
            if (w.Shape[1] != cIn / g)
                throw Fail($"the tensor 'w' has shape {w.ShapeText}; with x {x.ShapeText} and groups {g} its second dimension must be C_in/G = {cIn / g}");

            var rows = new ConvAxis(h, spec.PadTop, spec.PadBottom, kH, spec.StrideH, spec.DilationH);
            var columns = new ConvAxis(wd, spec.PadLeft, spec.PadRight, kW, spec.StrideW, spec.DilationW);
            if (!rows.Fits || !columns.Fits)
                throw Fail($"the dilated kernel ({rows.Extent}x{columns.Extent}) is larger than the padded input ({rows.Padded}x{columns.Padded}), so conv2d has no output");
            long paddedElements = (long)n * cIn * rows.Padded * columns.Padded;
            if (paddedElements > Math.Max(PaddedElementFloor, PaddedGrowthLimit * x.ElementCount))
                throw Fail($"the padding makes a padded input of {paddedElements} elements, more than this reader allows for x {x.ShapeText}");
            int hOut = (int)rows.Output, wOut = (int)columns.Output;

            int[] yShape = [n, cOut, hOut, wOut];
            string rule = $"conv2d of x {x.ShapeText} with w {w.ShapeText}, stride {spec.StrideH},{spec.StrideW}, padding " +
                          $"{spec.PadTop},{spec.PadBottom},{spec.PadLeft},{spec.PadRight} and dilation {spec.DilationH},{spec.DilationW}";
            ExpectShape(GoldenFormat.Y, yShape, rule + " gives");
            ExpectShape(GoldenFormat.Dy, yShape, rule + " gives");
            ExpectShape(GoldenFormat.Dx, [n, cIn, h, wd], $"x is {x.ShapeText}, so it must be");
            ExpectShape(GoldenFormat.Dw, [cOut, cIn / g, kH, kW], $"w is {w.ShapeText}, so it must be");
            if (hasBias)
            {
                ExpectShape(GoldenFormat.B, [cOut], $"w {w.ShapeText} has C_out = {cOut}, so it must be");
                ExpectShape(GoldenFormat.Db, [cOut], $"w {w.ShapeText} has C_out = {cOut}, so it must be");
            }
        }

        private void ExpectShape(string name, int[] shape, string why)
        {
            var entry = file.Tensors[name];
            if (!entry.Shape.SequenceEqual(shape))
                throw Fail($"the tensor '{name}' has shape {entry.ShapeText} but {why} {SafetensorsEntry.Format(shape)}");
        }

        private Tensor<double> Load(string name) =>
            new([.. file.Tensors[name].Shape], file.ReadDoubles(name));
    }
}

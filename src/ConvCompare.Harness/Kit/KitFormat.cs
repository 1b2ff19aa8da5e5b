using System.Globalization;
using ConvCompare.Cases;
using ConvCompare.Golden;
using ConvRef;

namespace ConvCompare.Kit;

/// <summary>
/// The names of the conformance kit's file contract (docs/kit.md, version <see cref="Version"/>): the
/// manifest, the folders, the tensors of an input file and of an output file, and the metadata keys a
/// kit adds to the golden format's. One place, so writer, judge and docs cannot drift.
/// </summary>
internal static class KitFormat
{
    /// <summary>The version of the contract, the manifest's <c>schema_version</c>, of a kit of conv2d cases alone.</summary>
    public const int Version = 1;

    /// <summary>
    /// The version of a kit that holds a case of the convolution family: version 1's contract plus, per case, the
    /// operation, padding mode and per-axis geometry in the manifest and version 2 of the golden format's metadata
    /// in the input files. A kit of conv2d cases alone stays version 1, byte for byte.
    /// </summary>
    public const int FamilyVersion = 2;

    /// <summary>The <c>schema_version</c> of a kit of <paramref name="cases"/>.</summary>
    public static int VersionOf(IEnumerable<CaseConfig> cases) => cases.Any(c => c.Family is not null) ? FamilyVersion : Version;

    /// <summary>The manifest's file name, at the top of the kit.</summary>
    public const string Manifest = "manifest.json";

    /// <summary>The folder of the input files, and the folder an implementation writes its outputs into.</summary>
    public const string InputsFolder = "inputs", OutputsFolder = "outputs";

    /// <summary>Input tensors: a = a^(l-1) (the layer's input, the golden files' x), w, b, dy = dJ/dy, and z = z^(l-1) with a = g(z) when the case has an activation.</summary>
    public const string A = "a", W = GoldenFormat.W, B = GoldenFormat.B, Dy = GoldenFormat.Dy, Z = "z";

    /// <summary>
    /// Output tensors: y (Eq 1); dx = dJ/da (Eq 5/8) when the case has no activation, delta =
    /// delta^(l-1) = dJ/da .* g'(z) (Eq 6/8) when it has one; dw (Eq 3/7); db (Eq 9) with bias.
    /// </summary>
    public const string Y = GoldenFormat.Y, Dx = GoldenFormat.Dx, Delta = "delta", Dw = GoldenFormat.Dw, Db = GoldenFormat.Db;

    /// <summary>
    /// The optional entries of a second-order case (order 2), named as in golden files: the inputs gg_a, gg_w,
    /// gg_b (L = &lt;gg_a, dJ/da&gt; + &lt;gg_w, dJ/dw&gt; + &lt;gg_b, dJ/db&gt;) and the outputs dL/da, dL/dw, dL/d(dy).
    /// </summary>
    public const string GgA = GoldenFormat.GgX, GgW = GoldenFormat.GgW, GgB = GoldenFormat.GgB, D2x = GoldenFormat.D2x, D2w = GoldenFormat.D2w, D2dy = GoldenFormat.D2dy;

    /// <summary>Metadata keys a kit input file adds to the golden format's: the case id, g (<see cref="ActivationName"/>), leaky ReLU's slope, and the output tensors asked for.</summary>
    public const string CaseIdKey = "case_id", ActivationKey = "activation", LeakySlopeKey = "leaky_slope", OutputsKey = "outputs";

    /// <summary>The file of case <paramref name="id"/> within its folder.</summary>
    public static string FileName(string id) => id + GoldenFormat.Extension;

    /// <summary>An input file's path relative to the kit, as the manifest writes it.</summary>
    public static string InputPath(string id) => InputsFolder + "/" + FileName(id);

    /// <summary>An output file's path relative to the kit, as the manifest writes it.</summary>
    public static string OutputPath(string id) => OutputsFolder + "/" + FileName(id);

    /// <summary>The activation's name in the kit: none, relu, lrelu, sigmoid, tanh (as in case ids).</summary>
    public static string ActivationName(ActivationKind kind) => CaseId.ActivationToken(kind);

    /// <summary>The safetensors dtype every tensor of a case's files has: F32 or F64.</summary>
    public static string StoredDType(CaseDtype dtype) => dtype == CaseDtype.F32 ? Golden.Safetensors.SafetensorsDType.F32 : Golden.Safetensors.SafetensorsDType.F64;

    /// <summary>The name of output <paramref name="kind"/> in a case's output file.</summary>
    public static string OutputName(CaseConfig config, TensorKind kind)
    {
        ArgumentNullException.ThrowIfNull(config);
        return kind switch
        {
            TensorKind.Y => Y,
            TensorKind.Dx => config.Activation == ActivationKind.Identity ? Dx : Delta,
            TensorKind.Dw => Dw,
            TensorKind.Db => Db,
            TensorKind.D2x => D2x,
            TensorKind.D2w => D2w,
            _ => D2dy,
        };
    }

    /// <summary>The outputs a case's output file must hold, in order: each tensor's kind, name and shape (d2x, d2w, d2dy last at order 2).</summary>
    public static IReadOnlyList<(TensorKind Kind, string Name, int[] Shape)> Outputs(CaseConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return [.. TensorKinds.Of(config).Select(k => (k, OutputName(config, k), OutputShape(config, k)))];
    }

    /// <summary>The inputs a case's input file holds: each tensor's name and shape.</summary>
    public static IReadOnlyList<(string Name, int[] Shape)> Inputs(CaseConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var inputs = new List<(string, int[])> { (A, config.InputShape), (W, config.WeightShape) };
        if (config.Bias)
            inputs.Add((B, [config.Shape.Cout]));
        inputs.Add((Dy, config.OutputShape));
        if (config.Activation != ActivationKind.Identity)
            inputs.Add((Z, config.InputShape));
        if (config.Order == 2)
        {
            inputs.Add((GgA, config.InputShape));
            inputs.Add((GgW, config.WeightShape));
            if (config.Bias)
                inputs.Add((GgB, [config.Shape.Cout]));
        }
        return inputs;
    }

    /// <summary>The leaky ReLU slope as the metadata writes it.</summary>
    public static string LeakySlopeText => CaseConfig.LeakySlope.ToString("R", CultureInfo.InvariantCulture);

    private static int[] OutputShape(CaseConfig config, TensorKind kind) => kind switch
    {
        TensorKind.Y or TensorKind.D2dy => config.OutputShape,
        TensorKind.Dx or TensorKind.D2x => config.InputShape,
        TensorKind.Dw or TensorKind.D2w => config.WeightShape,
        _ => [config.Shape.Cout],
    };
}

using ConvCompare.Cases;
using ConvCompare.Files;
using ConvCompare.Golden;
using ConvCompare.Reports;
using ConvRef;

namespace ConvCompare.Kit;

/// <summary>
/// Writes a conformance kit: one input file per case in <see cref="KitFormat.InputsFolder"/> (through
/// the golden format's writer, so the metadata follows the golden files' conventions), an empty
/// <see cref="KitFormat.OutputsFolder"/> for the implementation to fill, and the manifest last, so a
/// folder with a manifest always holds every input it lists. Every file is written whole or not at all.
/// </summary>
internal static class KitWriter
{
    /// <summary>
    /// A generated case as a kit holds it: clipping is switched off, because it is an option of the
    /// derivation's training loop, not part of conv2d's gradient, and an implementation under test has
    /// no reason to know it; the id (and file name) describes exactly the case the kit holds.
    /// </summary>
    public static CaseConfig KitCase(CaseConfig generated)
    {
        ArgumentNullException.ThrowIfNull(generated);
        return generated with { Clip = null };
    }

    /// <summary>Writes the kit of <paramref name="cases"/> (distinct, without clipping) into <paramref name="folder"/>; returns the input files' paths.</summary>
    /// <exception cref="IOException">A file could not be written; the files written before are whole.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder does not allow writing.</exception>
    public static IReadOnlyList<string> Write(string folder, IReadOnlyList<CaseConfig> cases, KitOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(origin);
        Directory.CreateDirectory(Path.Combine(folder, KitFormat.InputsFolder));
        Directory.CreateDirectory(Path.Combine(folder, KitFormat.OutputsFolder));
        var paths = new List<string>();
        foreach (var config in cases)
        {
            string id = CaseId.Format(config);
            string path = Path.Combine(folder, KitFormat.InputsFolder, KitFormat.FileName(id));
            AtomicFile.WriteAllBytes(path, Serialize(config, CaseInputs.Create(config)));
            paths.Add(path);
        }
        AtomicFile.WriteStream(Path.Combine(folder, KitFormat.Manifest), stream => KitManifest.Write(stream, cases, origin));
        return paths;
    }

    /// <summary>The bytes of a case's input file: a, w, b, dy, z (when the case has an activation) and, at order 2, ggx, ggw, ggb in the case's dtype, and its configuration in the metadata.</summary>
    public static byte[] Serialize(CaseConfig config, CaseInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(inputs);
        if (config.Clip is not null)
            throw new ArgumentException("a kit case has no clipping", nameof(config));
        string id = CaseId.Format(config);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [KitFormat.CaseIdKey] = id,
            [KitFormat.ActivationKey] = KitFormat.ActivationName(config.Activation),
            [KitFormat.OutputsKey] = string.Join(",", KitFormat.Outputs(config).Select(o => o.Name)),
        };
        if (config.Activation == ActivationKind.LeakyReLU)
            metadata[KitFormat.LeakySlopeKey] = KitFormat.LeakySlopeText;
        if (ValueKinds.NonFinite(config.Values))
            metadata[GoldenFormat.NonFinite] = "true";
        string source = $"convcompare {JsonReport.Version} kit: the inputs of case {id}; an implementation writes {KitFormat.OutputPath(id)}";
        return GoldenCaseWriter.Serialize(config, source,
            [(KitFormat.A, inputs.Input), (KitFormat.W, inputs.Weights), (KitFormat.B, inputs.Bias), (KitFormat.Dy, inputs.Upstream), (KitFormat.Z, inputs.PreviousZ),
             (KitFormat.GgA, inputs.SecondOrder?.Input), (KitFormat.GgW, inputs.SecondOrder?.Weights), (KitFormat.GgB, inputs.SecondOrder?.Bias)],
            metadata);
    }
}

/// <summary>How a kit's cases were chosen, for its manifest.</summary>
/// <param name="Seed">The generator's seed, or null when the cases were named by id.</param>
/// <param name="Tier">The tier drawn from, or null when the cases were named by id.</param>
/// <param name="Dtype">f32, f64 or both.</param>
internal sealed record KitOrigin(ulong? Seed, string? Tier, string Dtype);

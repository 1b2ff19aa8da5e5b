using System.Globalization;
using ConvCompare.Cases;
using ConvCompare.Oracles;
using ConvCompare.Runner;
using ConvRef;

namespace ConvCompare.Golden;

/// <summary>
/// Writes the harness's generated cases as golden files, so another framework can check itself
/// against them: inputs from <see cref="CaseGenerator"/> and <see cref="CaseInputs"/>, expected values
/// from TorchSharp autograd in float64 (rounded to the case's dtype on storage, as the format says).
/// </summary>
internal static class GoldenExporter
{
    /// <summary>Metadata key holding the case's id (the format lets files carry extra keys).</summary>
    public const string CaseIdKey = "case_id";

    /// <summary>
    /// The golden case of generated case <paramref name="index"/>. The format has no activation and
    /// no clipping, so they are switched off; the geometry, dtype and value seed stay as generated, and
    /// the id (also the file name) describes exactly the case exported.
    /// </summary>
    public static GoldenCase Create(CaseGenerator generator, int index, ILayerEngine oracle)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return Create(generator, index, generator.Generate(index), oracle);
    }

    /// <summary>
    /// The golden case of <paramref name="generated"/>, case <paramref name="index"/> of <paramref name="generator"/>'s sweep
    /// (a family case among them is written in version 2 of the format, with its operation and padding mode).
    /// </summary>
    public static GoldenCase Create(CaseGenerator generator, int index, CaseConfig generated, ILayerEngine oracle)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(generated);
        ArgumentNullException.ThrowIfNull(oracle);
        var config = generated with { Activation = ActivationKind.Identity, Clip = null };
        var inputs = CaseInputs.Create(config);
        var expected = oracle.Compute(config, inputs, CaseDtype.F64);
        string id = CaseId.Format(config);
        string source = string.Create(CultureInfo.InvariantCulture,
            $"TorchSharp {TorchRuntime.TorchSharpVersion} (libtorch {TorchRuntime.LibTorchVersion}) autograd in float64 on the stored inputs; " +
            $"convcompare export --seed {generator.Seed} case {index} ({id})");
        return GoldenCase.From(id, config, inputs, expected, source);
    }

    /// <summary>
    /// Writes the sweep of <paramref name="count"/> cases (<see cref="CaseGenerator.Sweep"/>: cases 0..<paramref name="count"/>-1,
    /// then the family cases the generator's options ask for, or with an operation chosen that operation's cases alone)
    /// into <paramref name="directory"/> as <c>&lt;id&gt;.safetensors</c>; returns the paths.
    /// </summary>
    public static IReadOnlyList<string> Export(CaseGenerator generator, int count, string directory, ILayerEngine oracle)
    {
        ArgumentNullException.ThrowIfNull(generator);
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        foreach (var (index, generated) in generator.Sweep(count, Shard.All))
        {
            var golden = Create(generator, index, generated, oracle);
            string path = Path.Combine(directory, golden.Name + GoldenFormat.Extension);
            GoldenCaseWriter.Write(golden, path, new Dictionary<string, string> { [CaseIdKey] = golden.Name });
            paths.Add(path);
        }
        return paths;
    }
}

using ConvCompare.Cases;
using ConvCompare.Files;
using ConvCompare.Golden.Safetensors;
using ConvRef;

namespace ConvCompare.Golden;

/// <summary>
/// Writes a <see cref="GoldenCase"/> in the golden safetensors format that <see cref="GoldenCaseReader"/> reads
/// (version 1's metadata for a batched, zero-padded conv2d, version 2's for a case of the family), and any other
/// file that follows the format's conventions (its metadata keys, one dtype for every tensor).
/// </summary>
internal static class GoldenCaseWriter
{
    /// <summary>Writes <paramref name="goldenCase"/> to <paramref name="path"/>; float32 cases store every value rounded to nearest float.</summary>
    /// <param name="goldenCase">The case.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="extraMetadata">Further metadata keys (readers ignore keys they do not know).</param>
    public static void Write(GoldenCase goldenCase, string path, IReadOnlyDictionary<string, string>? extraMetadata = null)
        => AtomicFile.WriteAllBytes(path, Serialize(goldenCase, extraMetadata));

    /// <summary>The bytes of <paramref name="goldenCase"/> as a golden file.</summary>
    public static byte[] Serialize(GoldenCase goldenCase, IReadOnlyDictionary<string, string>? extraMetadata = null)
    {
        ArgumentNullException.ThrowIfNull(goldenCase);
        var metadata = goldenCase.Family is null
            ? GoldenFormat.SpecMetadata(goldenCase.Spec, goldenCase.HasBias, goldenCase.Dtype)
            : GoldenCaseMetadata.Of(goldenCase.Config);
        return Serialize(metadata, goldenCase.Dtype, goldenCase.Source,
            [
                (GoldenFormat.X, goldenCase.X), (GoldenFormat.W, goldenCase.W), (GoldenFormat.B, goldenCase.B), (GoldenFormat.Dy, goldenCase.Dy),
                (GoldenFormat.Y, goldenCase.Y), (GoldenFormat.Dx, goldenCase.Dx), (GoldenFormat.Dw, goldenCase.Dw), (GoldenFormat.Db, goldenCase.Db),
                .. SecondOrderEntries(goldenCase),
            ],
            extraMetadata);
    }

    /// <summary>The optional second-order entries: all six when the case carries gg and its double backward, none otherwise.</summary>
    private static IEnumerable<(string Name, Tensor<double>? Value)> SecondOrderEntries(GoldenCase goldenCase) =>
        goldenCase.Gg is { } gg && goldenCase.SecondOrderExpected is { } d2
            ? [(GoldenFormat.GgX, gg.Input), (GoldenFormat.GgW, gg.Weights), (GoldenFormat.GgB, gg.Bias),
               (GoldenFormat.D2x, d2.Input), (GoldenFormat.D2w, d2.Weights), (GoldenFormat.D2dy, d2.Delta)]
            : [];

    /// <summary>
    /// The bytes of a file of <paramref name="config"/> in the golden format's conventions: its hyperparameter metadata
    /// (<see cref="GoldenCaseMetadata"/>, a family case's included), bias, dtype and source plus <paramref name="extraMetadata"/>,
    /// and the non-null <paramref name="tensors"/> in the order given, all stored in the case's dtype.
    /// </summary>
    public static byte[] Serialize(CaseConfig config, string source,
        IReadOnlyList<(string Name, Tensor<double>? Value)> tensors, IReadOnlyDictionary<string, string>? extraMetadata = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Serialize(GoldenCaseMetadata.Of(config), config.Dtype, source, tensors, extraMetadata);
    }

    private static byte[] Serialize(Dictionary<string, string> metadata, CaseDtype dtype, string source,
        IReadOnlyList<(string Name, Tensor<double>? Value)> tensors, IReadOnlyDictionary<string, string>? extraMetadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        metadata[GoldenFormat.Source] = source;
        foreach (var (key, value) in extraMetadata ?? new Dictionary<string, string>())
            metadata.TryAdd(key, value);
        string stored = dtype == CaseDtype.F32 ? SafetensorsDType.F32 : SafetensorsDType.F64;
        return SafetensorsWriter.Serialize(
            [.. tensors.Where(t => t.Value is not null).Select(t => new SafetensorsTensor(t.Name, stored, t.Value!.Shape, t.Value.Data))], metadata);
    }
}

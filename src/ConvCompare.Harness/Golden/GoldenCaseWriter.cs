using ConvCompare.Cases;
using ConvCompare.Files;
using ConvCompare.Golden.Safetensors;
using ConvRef;

namespace ConvCompare.Golden;

/// <summary>Writes a <see cref="GoldenCase"/> in the golden safetensors format that <see cref="GoldenCaseReader"/> reads.</summary>
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
        var metadata = GoldenFormat.SpecMetadata(goldenCase.Spec, goldenCase.HasBias, goldenCase.Dtype);
        metadata[GoldenFormat.Source] = goldenCase.Source;
        foreach (var (key, value) in extraMetadata ?? new Dictionary<string, string>())
            metadata.TryAdd(key, value);

        string dtype = goldenCase.Dtype == CaseDtype.F32 ? SafetensorsDType.F32 : SafetensorsDType.F64;
        var tensors = new List<SafetensorsTensor>();
        void Add(string name, Tensor<double>? value)
        {
            if (value is not null)
                tensors.Add(new SafetensorsTensor(name, dtype, value.Shape, value.Data));
        }
        Add(GoldenFormat.X, goldenCase.X);
        Add(GoldenFormat.W, goldenCase.W);
        Add(GoldenFormat.B, goldenCase.B);
        Add(GoldenFormat.Dy, goldenCase.Dy);
        Add(GoldenFormat.Y, goldenCase.Y);
        Add(GoldenFormat.Dx, goldenCase.Dx);
        Add(GoldenFormat.Dw, goldenCase.Dw);
        Add(GoldenFormat.Db, goldenCase.Db);
        return SafetensorsWriter.Serialize(tensors, metadata);
    }
}

using System.Buffers.Binary;
using System.Text;
using ConvCompare.Golden;
using ConvCompare.Golden.Safetensors;

namespace ConvCompare.Tests.Golden;

/// <summary>The shared golden sample files and helpers that craft (bad) safetensors bytes.</summary>
internal static class GoldenTestFiles
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "TestData", "golden");

    public static IReadOnlyList<string> SampleNames { get; } = ["seed_eq1_single_channel", "pad_asymmetric", "f32_resnet_block"];

    public static string Sample(string name) => Path.Combine(Directory, name + GoldenFormat.Extension);

    /// <summary>A file made of the header length, <paramref name="headerJson"/> verbatim, then <paramref name="dataBytes"/> zero bytes.</summary>
    public static byte[] Raw(string headerJson, int dataBytes)
    {
        byte[] header = Encoding.UTF8.GetBytes(headerJson);
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        return bytes;
    }

    /// <summary>
    /// The smallest sample (1x1x3x3 input, 2x2 kernel, no bias, float64) re-serialized after
    /// <paramref name="editTensors"/> and <paramref name="editMetadata"/> changed its parts.
    /// </summary>
    public static byte[] EditedSmallCase(
        Action<List<SafetensorsTensor>>? editTensors = null, Action<Dictionary<string, string>>? editMetadata = null)
    {
        var file = SafetensorsFile.Read(Sample("seed_eq1_single_channel"));
        var tensors = file.Tensors.Values
            .OrderBy(e => e.Begin)
            .Select(e => new SafetensorsTensor(e.Name, e.DType, e.Shape, file.ReadDoubles(e.Name)))
            .ToList();
        var metadata = new Dictionary<string, string>(file.Metadata, StringComparer.Ordinal);
        editTensors?.Invoke(tensors);
        editMetadata?.Invoke(metadata);
        return SafetensorsWriter.Serialize(tensors, metadata);
    }

    /// <summary>The header JSON of a safetensors file.</summary>
    public static string Header(byte[] bytes) =>
        Encoding.UTF8.GetString(bytes, 8, (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));

    /// <summary><paramref name="bytes"/> with its header text edited by <paramref name="edit"/> (header length updated, data kept).</summary>
    public static byte[] EditHeader(byte[] bytes, Func<string, string> edit)
    {
        string header = Header(bytes);
        string edited = edit(header);
        Assert.NotEqual(header, edited);
        byte[] newHeader = Encoding.UTF8.GetBytes(edited);
        int dataStart = 8 + Encoding.UTF8.GetByteCount(header);
        var result = new byte[8 + newHeader.Length + bytes.Length - dataStart];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)newHeader.Length);
        newHeader.CopyTo(result, 8);
        bytes.AsSpan(dataStart).CopyTo(result.AsSpan(8 + newHeader.Length));
        return result;
    }

    /// <summary>Replaces the tensor <paramref name="name"/> with one of <paramref name="shape"/> (values 1) and <paramref name="dtype"/>.</summary>
    public static void Replace(List<SafetensorsTensor> tensors, string name, int[] shape, string dtype = SafetensorsDType.F64)
    {
        int index = tensors.FindIndex(t => t.Name == name);
        long count = shape.Aggregate(1L, (p, d) => p * d);
        var replacement = new SafetensorsTensor(name, dtype, shape, Enumerable.Repeat(1.0, (int)count).ToArray());
        if (index < 0)
            tensors.Add(replacement);
        else
            tensors[index] = replacement;
    }

    /// <summary>The one-line message reading <paramref name="bytes"/> as a golden case fails with.</summary>
    public static string ReadError(byte[] bytes, string file = "crafted.safetensors")
    {
        var error = Assert.Throws<GoldenFileException>(() => GoldenCaseReader.FromFile(SafetensorsFile.Parse(bytes, file)));
        Assert.StartsWith(file + ": ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        return error.Message;
    }
}

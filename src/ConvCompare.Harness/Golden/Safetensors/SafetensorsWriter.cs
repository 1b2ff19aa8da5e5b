using System.Buffers.Binary;
using System.Text.Json;
using ConvCompare.Files;

namespace ConvCompare.Golden.Safetensors;

/// <summary>A tensor to write: its name, F32 or F64, its shape, and its values in C order.</summary>
/// <param name="Name">The tensor's name in the header.</param>
/// <param name="DType"><see cref="SafetensorsDType.F32"/> (values rounded to nearest float) or <see cref="SafetensorsDType.F64"/>.</param>
/// <param name="Shape">The dimensions, outermost first.</param>
/// <param name="Values">The elements in C order; their count is the product of <paramref name="Shape"/>.</param>
internal sealed record SafetensorsTensor(string Name, string DType, IReadOnlyList<int> Shape, double[] Values);

/// <summary>Writes the safetensors format that <see cref="SafetensorsFile"/> reads.</summary>
internal static class SafetensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> and <paramref name="metadata"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string> metadata)
        => AtomicFile.WriteAllBytes(path, Serialize(tensors, metadata));

    /// <summary>
    /// The bytes of a safetensors file: header length (u64 little-endian), the JSON header padded with
    /// spaces so the data section starts at a multiple of 8 (as the reference implementation does, so
    /// readers can map the data aligned), then the tensors back to back in the order given.
    /// </summary>
    /// <exception cref="ArgumentException">A dtype other than F32/F64, or a value count that does not match the shape.</exception>
    public static byte[] Serialize(IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(metadata);
        var header = new MemoryStream();
        long offset = 0;
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            json.WriteStartObject("__metadata__");
            foreach (var (key, value) in metadata)
                json.WriteString(key, value);
            json.WriteEndObject();
            foreach (var tensor in tensors)
            {
                long size = ElementSize(tensor) * (long)tensor.Values.Length;
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.DType);
                json.WriteStartArray("shape");
                foreach (int d in tensor.Shape)
                    json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + size);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += size;
            }
            json.WriteEndObject();
        }
        int headerLength = (int)header.Length;
        int padded = (headerLength + 7) / 8 * 8;
        var bytes = new byte[checked(8 + padded + (int)offset)];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)padded);
        header.GetBuffer().AsSpan(0, headerLength).CopyTo(bytes.AsSpan(8));
        bytes.AsSpan(8 + headerLength, padded - headerLength).Fill((byte)' ');

        var data = bytes.AsSpan(8 + padded);
        foreach (var tensor in tensors)
        {
            if (tensor.DType == SafetensorsDType.F32)
            {
                foreach (double v in tensor.Values)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(data, (float)v);
                    data = data[4..];
                }
            }
            else
            {
                foreach (double v in tensor.Values)
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(data, v);
                    data = data[8..];
                }
            }
        }
        return bytes;
    }

    private static int ElementSize(SafetensorsTensor tensor)
    {
        int size = tensor.DType switch
        {
            SafetensorsDType.F32 => 4,
            SafetensorsDType.F64 => 8,
            _ => throw new ArgumentException($"tensor '{tensor.Name}': only F32 and F64 can be written, not {tensor.DType}", nameof(tensor)),
        };
        long count = 1;
        foreach (int d in tensor.Shape)
            count *= d;
        if (count != tensor.Values.Length)
            throw new ArgumentException($"tensor '{tensor.Name}': shape {SafetensorsEntry.Format(tensor.Shape)} holds {count} elements but {tensor.Values.Length} values were given", nameof(tensor));
        return size;
    }
}

using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Unicode;
using ConvCompare.Limits;

namespace ConvCompare.Golden.Safetensors;

/// <summary>
/// A parsed safetensors file: an 8-byte little-endian header length, a JSON header mapping tensor
/// names to <c>{dtype, shape, data_offsets}</c> (plus an optional <c>__metadata__</c> string map),
/// then the data section the offsets point into.
/// </summary>
/// <remarks>
/// Written here rather than taken from TorchSharp.PyBridge because PyBridge reads straight into
/// TorchSharp tensors: golden files must be readable, and ConvRef checked against them, without
/// loading libtorch at all (the <c>golden</c> command needs TorchSharp only with <c>--torch</c>).
/// The file is input from outside, so every header claim is checked against the bytes actually
/// present before anything is allocated from it: the only allocations are the file's bytes, the
/// parsed header (at most <see cref="MaxHeaderBytes"/> of JSON and <see cref="MaxEntries"/> entries),
/// and element arrays whose sizes were already checked against the data section. Only a regular file
/// is opened, after its size was checked against the caller's limit. Every name taken from the file
/// is shortened and escaped (<see cref="UntrustedText"/>) before a message quotes it.
/// </remarks>
internal sealed class SafetensorsFile
{
    /// <summary>
    /// Largest header accepted. A golden file's header is a few hundred bytes; a megabyte keeps the
    /// parsed header's memory (a few times its size) small beside the data, so reading stays within
    /// <see cref="ResourceLimits.ReadMemoryFactor"/> times the file's size plus a few megabytes.
    /// </summary>
    public const long MaxHeaderBytes = 1L << 20;

    /// <summary>Most entries (tensors and metadata keys, each) a header may have; a golden file has at most 8 tensors and 9 keys.</summary>
    public const int MaxEntries = 1024;

    /// <summary>
    /// Most bytes parsing the largest header the two limits above allow takes (the JSON document, the
    /// names, the entries); a test parses such a header and holds it to this. Reading a file thus
    /// allocates at most its bytes, this, and its values as doubles.
    /// </summary>
    public const long MaxHeaderOverheadBytes = 8L << 20;

    /// <summary>Nesting of a valid header: object, tensor object, shape array; anything deeper is malformed.</summary>
    private const int MaxJsonDepth = 3;

    private const string MetadataKey = "__metadata__";

    private readonly byte[] _bytes;
    private readonly long _dataStart;

    private SafetensorsFile(string file, byte[] bytes, long dataStart,
        IReadOnlyDictionary<string, SafetensorsEntry> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        File = file;
        _bytes = bytes;
        _dataStart = dataStart;
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The file as the user named it; every error message starts with it.</summary>
    public string File { get; }

    /// <summary>The tensors by name.</summary>
    public IReadOnlyDictionary<string, SafetensorsEntry> Tensors { get; }

    /// <summary>The <c>__metadata__</c> map (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Reads and parses <paramref name="path"/>, a regular file of at most <paramref name="maxBytes"/> bytes (by default what the default memory limit allows).</summary>
    /// <exception cref="GoldenFileException">The file is not a regular file, is too large, cannot be read, or is not a valid safetensors file.</exception>
    public static SafetensorsFile Read(string path, long maxBytes = -1)
    {
        if (maxBytes < 0)
            maxBytes = ResourceLimits.Default.MaxFileBytes;
        maxBytes = Math.Min(maxBytes, Array.MaxLength);
        if (InputFile.Problem(path, maxBytes, ResourceLimits.MemoryOption) is { } problem)
            throw new GoldenFileException(path, "the file " + problem);
        byte[] bytes;
        try
        {
            bytes = System.IO.File.ReadAllBytes(path);
            if (bytes.Length > maxBytes)
                throw new GoldenFileException(path, $"the file grew to {bytes.Length} bytes while it was read, more than the {maxBytes} bytes allowed");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            throw new GoldenFileException(path, "the file cannot be read (" + UntrustedText.Escape(ex.Message) + ")");
        }
        return Parse(bytes, path);
    }

    /// <summary>Parses the bytes of a safetensors file; <paramref name="file"/> names it in error messages.</summary>
    /// <exception cref="GoldenFileException">The bytes are not a valid safetensors file.</exception>
    public static SafetensorsFile Parse(byte[] bytes, string file)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < 8)
            throw new GoldenFileException(file, $"the file is truncated: {bytes.Length} bytes, fewer than the 8-byte header length that starts a safetensors file");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        long available = bytes.Length - 8L;
        if (headerLength > MaxHeaderBytes)
            throw new GoldenFileException(file, $"the header length {headerLength} is more than the {MaxHeaderBytes} bytes this reader accepts (a golden file's header is a few hundred); this is not a golden file or it is corrupt");
        if ((long)headerLength > available)
            throw new GoldenFileException(file, $"the header length {headerLength} is larger than the {available} bytes that follow it; the file is truncated or corrupt");
        if (headerLength < 2)
            throw new GoldenFileException(file, $"the header length {headerLength} is too small to hold a JSON object");

        long dataStart = 8 + (long)headerLength;
        long dataLength = bytes.Length - dataStart;
        var (tensors, metadata) = ParseHeader(new ReadOnlyMemory<byte>(bytes, 8, (int)headerLength), dataLength, file);
        return new SafetensorsFile(file, bytes, dataStart, tensors, metadata);
    }

    /// <summary>The values of an F32 or F64 tensor, widened to double (exactly: every float is a double).</summary>
    /// <exception cref="GoldenFileException">The tensor is absent or its dtype is neither F32 nor F64.</exception>
    public double[] ReadDoubles(string name)
    {
        if (!Tensors.TryGetValue(name, out var entry))
            throw new GoldenFileException(File, $"the tensor '{UntrustedText.Show(name)}' is missing");
        var span = new ReadOnlySpan<byte>(_bytes, checked((int)(_dataStart + entry.Begin)), checked((int)(entry.End - entry.Begin)));
        var values = new double[entry.ElementCount];
        switch (entry.DType)
        {
            case SafetensorsDType.F32:
                for (int i = 0; i < values.Length; i++)
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(span.Slice(4 * i, 4));
                break;
            case SafetensorsDType.F64:
                for (int i = 0; i < values.Length; i++)
                    values[i] = BinaryPrimitives.ReadDoubleLittleEndian(span.Slice(8 * i, 8));
                break;
            default:
                throw new GoldenFileException(File, $"the tensor '{UntrustedText.Show(name)}' has dtype {UntrustedText.Show(entry.DType)}; golden tensors must be F32 or F64");
        }
        return values;
    }

    private static (Dictionary<string, SafetensorsEntry>, Dictionary<string, string>) ParseHeader(
        ReadOnlyMemory<byte> header, long dataLength, string file)
    {
        // JsonDocument checks UTF-8 only lazily, when a string is read; a hostile header must fail here, as one sentence.
        if (!Utf8.IsValid(header.Span))
            throw new GoldenFileException(file, "the header is not valid UTF-8 text, so it cannot be the JSON a safetensors file starts with");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
        }
        catch (JsonException ex)
        {
            throw new GoldenFileException(file, "the header is not valid JSON (" + UntrustedText.Show(FirstLine(ex.Message)) + ")");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new GoldenFileException(file, $"the header is a JSON {Describe(root.ValueKind)}, not an object mapping tensor names to entries");

            var tensors = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            bool sawMetadata = false;
            int entries = 0;
            foreach (var property in root.EnumerateObject())
            {
                if (++entries > MaxEntries)
                    throw new GoldenFileException(file, $"the header has more than {MaxEntries} entries; a golden file has at most a few");
                string name = property.Name;
                if (name == MetadataKey)
                {
                    if (sawMetadata)
                        throw new GoldenFileException(file, "the header has '__metadata__' twice");
                    sawMetadata = true;
                    ParseMetadata(property.Value, metadata, file);
                    continue;
                }
                if (tensors.ContainsKey(name))
                    throw new GoldenFileException(file, $"the header names the tensor '{UntrustedText.Show(name)}' twice");
                tensors.Add(name, ParseEntry(name, property.Value, dataLength, file));
            }
            CheckNoOverlap(tensors.Values, file);
            return (tensors, metadata);
        }
    }

    private static void ParseMetadata(JsonElement element, Dictionary<string, string> metadata, string file)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new GoldenFileException(file, $"'__metadata__' is a JSON {Describe(element.ValueKind)}, not an object of strings");
        foreach (var item in element.EnumerateObject())
        {
            if (metadata.Count >= MaxEntries)
                throw new GoldenFileException(file, $"'__metadata__' has more than {MaxEntries} keys; a golden file has at most a few");
            string key = item.Name;
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new GoldenFileException(file, $"the metadata value of '{UntrustedText.Show(key)}' is a JSON {Describe(item.Value.ValueKind)}; safetensors metadata values must be strings");
            if (!metadata.TryAdd(key, item.Value.GetString()!))
                throw new GoldenFileException(file, $"the metadata key '{UntrustedText.Show(key)}' appears twice");
        }
    }

    private static SafetensorsEntry ParseEntry(string rawName, JsonElement element, long dataLength, string file)
    {
        string name = UntrustedText.Show(rawName);
        if (element.ValueKind != JsonValueKind.Object)
            throw new GoldenFileException(file, $"the header entry of tensor '{name}' is a JSON {Describe(element.ValueKind)}, not an object with dtype, shape and data_offsets");
        if (!element.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw new GoldenFileException(file, $"the tensor '{name}' has no string 'dtype'");
        if (!element.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw new GoldenFileException(file, $"the tensor '{name}' has no 'shape' array");
        if (!element.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array ||
            offsetsElement.GetArrayLength() != 2)
            throw new GoldenFileException(file, $"the tensor '{name}' has no 'data_offsets' array of two numbers [begin, end]");

        string dtype = dtypeElement.GetString()!;
        var shape = new int[shapeElement.GetArrayLength()];
        int axis = 0;
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt32(out int d) || d < 0)
                throw new GoldenFileException(file, $"the shape of tensor '{name}' has {Raw(dim)} at axis {axis}; dimensions must be non-negative integers");
            shape[axis++] = d;
        }

        long begin = Offset(offsetsElement[0], "begin");
        long end = Offset(offsetsElement[1], "end");
        if (begin > end)
            throw new GoldenFileException(file, $"the data_offsets [{begin},{end}] of tensor '{name}' end before they begin");
        if (end > dataLength)
            throw new GoldenFileException(file, $"the data_offsets [{begin},{end}] of tensor '{name}' lie outside the {dataLength}-byte data section; the file is truncated or corrupt");

        if (SafetensorsDType.SizeOf(dtype) is int size)
        {
            long bytes = ByteCount(shape, size, dataLength);
            if (bytes != end - begin)
                throw new GoldenFileException(file, $"the tensor '{name}' ({UntrustedText.Show(dtype)}, shape {SafetensorsEntry.Format(shape)}) needs " +
                    (bytes < 0 ? "more bytes than the whole data section has" : $"{bytes} bytes") +
                    $" but its data_offsets [{begin},{end}] span {end - begin}");
        }
        return new SafetensorsEntry(rawName, dtype, shape, begin, end);

        long Offset(JsonElement value, string which)
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long offset) || offset < 0)
                throw new GoldenFileException(file, $"the data_offsets {which} of tensor '{name}' is {Raw(value)}, not a non-negative integer");
            return offset;
        }
    }

    /// <summary>The product of the shape times the element size, or -1 when it exceeds <paramref name="limit"/> (which also rules out overflow).</summary>
    private static long ByteCount(int[] shape, int elementSize, long limit)
    {
        if (Array.IndexOf(shape, 0) >= 0)
            return 0;
        long bytes = elementSize;
        foreach (int d in shape)
        {
            if (bytes > limit / d)
                return -1;
            bytes *= d;
        }
        return bytes;
    }

    private static void CheckNoOverlap(IEnumerable<SafetensorsEntry> entries, string file)
    {
        var sorted = entries.Where(e => e.End > e.Begin).OrderBy(e => e.Begin).ToList();
        for (int i = 1; i < sorted.Count; i++)
        {
            if (sorted[i].Begin < sorted[i - 1].End)
                throw new GoldenFileException(file, $"the tensors '{UntrustedText.Show(sorted[i - 1].Name)}' [{sorted[i - 1].Begin},{sorted[i - 1].End}] and " +
                    $"'{UntrustedText.Show(sorted[i].Name)}' [{sorted[i].Begin},{sorted[i].End}] overlap in the data section");
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "value",
    };

    /// <summary>A JSON value as it appears in the header, shortened and escaped so a hostile header cannot flood the message.</summary>
    private static string Raw(JsonElement value) => UntrustedText.Show(value.GetRawText());

    private static string FirstLine(string message)
    {
        int newline = message.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? message : message[..newline]).Trim().TrimEnd('.');
    }
}

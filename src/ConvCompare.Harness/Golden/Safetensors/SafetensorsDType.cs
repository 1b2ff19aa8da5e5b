namespace ConvCompare.Golden.Safetensors;

/// <summary>The element types of the safetensors format and their sizes in bytes.</summary>
internal static class SafetensorsDType
{
    public const string F32 = "F32";
    public const string F64 = "F64";

    /// <summary>
    /// Bytes per element of every dtype the safetensors specification names, so that tensors a file
    /// carries besides the golden ones (which a reader ignores) still get their byte count checked.
    /// </summary>
    private static readonly Dictionary<string, int> Sizes = new(StringComparer.Ordinal)
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E5M2"] = 1, ["F8_E4M3"] = 1,
        ["I16"] = 2, ["U16"] = 2, ["F16"] = 2, ["BF16"] = 2,
        ["I32"] = 4, ["U32"] = 4, [F32] = 4,
        ["I64"] = 8, ["U64"] = 8, [F64] = 8,
    };

    /// <summary>The element size of <paramref name="dtype"/>, or null for a name the specification does not know.</summary>
    public static int? SizeOf(string dtype) => Sizes.TryGetValue(dtype, out int size) ? size : null;
}

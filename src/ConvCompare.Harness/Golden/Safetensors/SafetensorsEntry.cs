namespace ConvCompare.Golden.Safetensors;

/// <summary>One tensor's header entry: element type, shape, and its byte range within the data section.</summary>
/// <param name="Name">The tensor's name in the header.</param>
/// <param name="DType">The safetensors dtype name (<c>F32</c>, <c>F64</c>, ...).</param>
/// <param name="Shape">The dimensions, outermost first (C order).</param>
/// <param name="Begin">First byte, relative to the start of the data section.</param>
/// <param name="End">One past the last byte, relative to the start of the data section.</param>
internal sealed record SafetensorsEntry(string Name, string DType, IReadOnlyList<int> Shape, long Begin, long End)
{
    /// <summary>The number of elements (the product of the shape).</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (int d in Shape)
                count *= d;
            return count;
        }
    }

    /// <summary>The shape written as <c>[2,4,3,3]</c>.</summary>
    public string ShapeText => Format(Shape);

    /// <summary>A shape written as <c>[2,4,3,3]</c>, the form every message uses.</summary>
    public static string Format(IReadOnlyList<int> shape) =>
        "[" + string.Join(",", shape.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
}

using System.Globalization;
using System.Text.Json.Nodes;
using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Numerics;

namespace ConvCompare.Snapshots;

/// <summary>
/// Writes one result tensor into a snapshot, each number with its tolerance: every element when the
/// tensor is small, otherwise statistics that move with any element (sum, sum of squares, max|.|)
/// and elements at fixed positions.
/// </summary>
/// <remarks>
/// Element tolerance (two correct runs, any summation order, SIMD width or thread count): the stored
/// value and the value now each lie within gamma_K * m_i of the exact result, where m_i is the same
/// sum taken over absolute values (summed by the harness from the conv2d definition on |inputs|) and K the reduction length
/// (plus the extra relative roundings of the path), so t_i = 2 gamma_K m_i. An element whose
/// magnitude is zero (an uncovered input row, a zero gradient) must stay exactly zero. Statistics are
/// summed in float64 in a fixed order; with v'_i the other run's values, |v_i - v'_i| &lt;= t_i:
/// <list type="bullet">
/// <item>sum: sum t_i (1 + gamma_n) + 2 gamma_n sum |v_i|, the element moves plus each side's float64 summation error;</item>
/// <item>sum of squares: sum t_i (2|v_i| + t_i) + gamma_n (Q + sum (|v_i| + t_i)^2), since |v^2 - v'^2| = |v - v'| |v + v'|;</item>
/// <item>max|.|: max t_i, since taking a maximum is exact and moves by at most the largest element move.</item>
/// </list>
/// </remarks>
internal static class TensorSnapshot
{
    /// <summary>Tensors up to this many elements are stored in full.</summary>
    public const int FullLimit = 300;

    /// <summary>How many elements at fixed, evenly spaced flat positions a summary keeps.</summary>
    public const int SampleCount = 6;

    /// <summary>
    /// Adds <c>parent[tensor.Name]</c>: shape, reduction length and either all values or a summary.
    /// </summary>
    /// <param name="document">The snapshot being built (records the tolerances).</param>
    /// <param name="parent">The object to add the entry to; already attached to the document.</param>
    /// <param name="tensor">The tensor with its per-element bounds (all zero for exact values).</param>
    /// <param name="unitRoundoff">u of the tensor's dtype.</param>
    public static void Add(SnapshotDocument document, JsonObject parent, SnapshotTensor tensor, double unitRoundoff)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(tensor);
        var (name, shape, values, bounds) = (tensor.Name, tensor.Shape, tensor.Values, tensor.Bounds);
        if (values.Length != bounds.Length)
            throw new ArgumentException($"{name}: {values.Length} values but {bounds.Length} bounds", nameof(tensor));

        var entry = new JsonObject { ["shape"] = Shape(shape), ["reduction_length"] = tensor.ReductionLength };
        parent[name] = entry;
        if (values.Length <= FullLimit)
        {
            var array = new JsonArray();
            entry["values"] = array;
            for (int i = 0; i < values.Length; i++)
                document.Append(array, values[i], new(bounds[i], unitRoundoff, TensorComparison.ElementName(name, shape, i)));
            return;
        }

        var summary = new JsonObject { ["count"] = values.Length };
        entry["summary"] = summary;
        double gamma = Arithmetic.Float64.Gamma(values.Length);
        double sum = 0, sumAbs = 0, sumOfSquares = 0, maxAbs = 0;
        double boundSum = 0, squareMove = 0, otherSquares = 0, maxBound = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i], a = Math.Abs(v), t = bounds[i];
            sum += v;
            sumAbs += a;
            sumOfSquares += v * v;
            maxAbs = Math.Max(maxAbs, a);
            boundSum += t;
            squareMove += t * (2 * a + t);
            otherSquares += (a + t) * (a + t);
            maxBound = Math.Max(maxBound, t);
        }
        // Statistics are float64 whatever the tensor's dtype, so they are written and judged as float64.
        double u = Arithmetic.Float64.UnitRoundoff;
        document.Add(summary, "sum", sum, new(boundSum * (1 + gamma) + 2 * gamma * sumAbs, u, name + " sum"));
        document.Add(summary, "sum_of_squares", sumOfSquares,
            new(squareMove + gamma * (sumOfSquares + otherSquares), u, name + " sum of squares"));
        document.Add(summary, "max_abs", maxAbs, new(maxBound, u, name + " max|.|"));

        var samples = new JsonArray();
        summary["samples"] = samples;
        foreach (int i in SamplePositions(values.Length))
        {
            var sample = new JsonObject { ["element"] = TensorComparison.ElementName(name, shape, i) };
            samples.Add(sample);
            document.Add(sample, "value", values[i], new(bounds[i], unitRoundoff, TensorComparison.ElementName(name, shape, i)));
        }
    }

    /// <summary>Adds <c>tensors</c> to the document's root with every result in <paramref name="results"/>.</summary>
    public static void AddAll(SnapshotDocument document, IReadOnlyList<SnapshotTensor> results, CaseDtype dtype)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(results);
        var tensors = new JsonObject();
        document.Root["tensors"] = tensors;
        foreach (var result in results)
            Add(document, tensors, result, Arithmetic.For(dtype).UnitRoundoff);
    }

    /// <summary>Flat positions 0, ..., count - 1 spread evenly (first and last included), fixed by the count alone.</summary>
    public static IEnumerable<int> SamplePositions(int count) =>
        Enumerable.Range(0, SampleCount).Select(j => (int)((long)j * (count - 1) / (SampleCount - 1))).Distinct();

    /// <summary>A shape or index written as <c>[2,4,3,3]</c>.</summary>
    public static string Shape(IReadOnlyList<int> shape) =>
        "[" + string.Join(",", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
}

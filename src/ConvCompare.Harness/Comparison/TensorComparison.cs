using System.Globalization;
using ConvCompare.Cases;
using ConvRef;

namespace ConvCompare.Comparison;

/// <summary>
/// How one computed tensor compares with an expected one under per-element rounding bounds.
/// </summary>
/// <param name="Kind">Which tensor.</param>
/// <param name="MaxAbs">max |actual - expected|.</param>
/// <param name="MaxRel">max |actual - expected| / |expected| over elements with expected != 0.</param>
/// <param name="BoundRatio">max |actual - expected| / bound; at most 1 means within rounding error. Where either value is NaN or infinite the element is compared for propagation (<see cref="Propagated"/>): ratio 0 when it propagates, +infinity when not.</param>
/// <param name="AssertClose">The verdict of torch.testing.assert_close's default tolerances for the dtype: |a - e| &lt;= atol + rtol |e| everywhere (NaN never close, as with its default equal_nan=False).</param>
/// <param name="OutOfBound">Flat indices of up to <see cref="MaxListed"/> elements beyond their bound, worst first.</param>
/// <param name="OutOfBoundCount">How many elements are beyond their bound.</param>
internal sealed record TensorComparison(TensorKind Kind, double MaxAbs, double MaxRel, double BoundRatio, bool AssertClose,
    IReadOnlyList<int> OutOfBound, int OutOfBoundCount)
{
    /// <summary>How many out-of-bound elements are listed.</summary>
    public const int MaxListed = 5;

    /// <summary>Every element within its bound (<see cref="BoundRatio"/> &lt;= 1).</summary>
    public bool Pass => BoundRatio <= 1;

    /// <summary>torch.testing.assert_close's default (rtol, atol): (1.3e-6, 1e-5) for float32, (1e-7, 1e-7) for float64.</summary>
    public static (double Rtol, double Atol) AssertCloseTolerances(CaseDtype dtype) =>
        dtype == CaseDtype.F32 ? (1.3e-6, 1e-5) : (1e-7, 1e-7);

    /// <summary>Compares <paramref name="actual"/> with <paramref name="expected"/> element by element against <paramref name="bound"/>.</summary>
    /// <exception cref="ArgumentException">The shapes or the bound's length differ.</exception>
    public static TensorComparison Compare(TensorKind kind, Tensor<double> actual, Tensor<double> expected,
        IReadOnlyList<double> bound, CaseDtype dtype)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(bound);
        if (!actual.Shape.SequenceEqual(expected.Shape) || bound.Count != actual.Length)
            throw new ArgumentException($"{kind.Name()}: shapes {actual.ShapeText} and {expected.ShapeText} with {bound.Count} bounds do not match", nameof(expected));
        var (rtol, atol) = AssertCloseTolerances(dtype);
        double maxAbs = 0, maxRel = 0, maxRatio = 0;
        bool close = true;
        var outside = new List<(double Ratio, int Index)>();
        for (int i = 0; i < actual.Length; i++)
        {
            double x = actual.Data[i], e = expected.Data[i];
            double diff, ratio;
            if (!double.IsFinite(x) || !double.IsFinite(e))
            {
                // Compared for propagation: IEEE 754 fixes which results of NaN or infinite inputs are
                // NaN and which are infinities of which sign, whatever the summation order; anything
                // else (a finite value where the expected one is not, or the reverse) is wrong.
                diff = ratio = Propagated(x, e) ? 0 : double.PositiveInfinity;
                if (double.IsNaN(e))
                    close = false;
            }
            else
            {
                diff = Math.Abs(x - e);
                // An infinite bound (gamma_K is vacuous once K u >= 1) verifies nothing: such an element
                // fails instead of passing with ratio 0.
                ratio = double.IsFinite(bound[i]) ? diff / bound[i] : double.PositiveInfinity;
                if (double.IsNaN(ratio))
                    ratio = double.PositiveInfinity;
                if (e != 0)
                    maxRel = Math.Max(maxRel, diff / Math.Abs(e));
                if (!(diff <= atol + rtol * Math.Abs(e)))
                    close = false;
            }
            if (double.IsPositiveInfinity(diff))
                close = false;
            maxAbs = Math.Max(maxAbs, diff);
            maxRatio = Math.Max(maxRatio, ratio);
            if (ratio > 1)
                outside.Add((ratio, i));
        }
        var listed = outside.OrderByDescending(o => o.Ratio).ThenBy(o => o.Index).Take(MaxListed).Select(o => o.Index).ToArray();
        return new TensorComparison(kind, maxAbs, maxRel, maxRatio, close, listed, outside.Count);
    }

    /// <summary>
    /// Whether <paramref name="actual"/> propagates a non-finite <paramref name="expected"/> value: NaN
    /// where it is NaN, an infinity of the same sign where it is infinite. A finite expected value is
    /// never propagated by a non-finite actual one.
    /// </summary>
    public static bool Propagated(double actual, double expected) =>
        double.IsNaN(expected) ? double.IsNaN(actual) : double.IsInfinity(expected) && actual == expected;

    /// <summary>An element's position written <c>dx[0,1,2,3]</c>.</summary>
    public static string ElementName(string tensor, IReadOnlyList<int> shape, int flatIndex)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var index = new int[shape.Count];
        for (int d = shape.Count - 1; d >= 0; d--)
        {
            index[d] = flatIndex % shape[d];
            flatIndex /= shape[d];
        }
        return tensor + "[" + string.Join(",", index.Select(i => i.ToString(CultureInfo.InvariantCulture))) + "]";
    }
}

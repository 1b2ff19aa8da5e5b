namespace ConvCompare.Golden.Verification;

/// <summary>How one recomputed tensor agrees with the file's expected values.</summary>
/// <param name="Tensor">The tensor's name in the format (y, dx, dw, db).</param>
/// <param name="MaxAbs">max |actual - expected|.</param>
/// <param name="MaxRel">max |actual - expected| / |expected| over the elements where expected is not zero.</param>
/// <param name="BoundRatio">max |actual - expected| / tolerance (see <see cref="GoldenTolerance"/>); infinite when a difference meets a zero tolerance, or either is not a number.</param>
/// <param name="WorstIndex">The flat C-order index of the element with the largest ratio.</param>
internal sealed record TensorAgreement(string Tensor, double MaxAbs, double MaxRel, double BoundRatio, int WorstIndex)
{
    /// <summary>Within the rounding-error bound everywhere.</summary>
    public bool Pass => BoundRatio <= 1;

    /// <summary>Compares <paramref name="actual"/> with <paramref name="expected"/> element by element against <paramref name="bound"/>.</summary>
    public static TensorAgreement Compare(string tensor, double[] expected, double[] actual, double[] bound)
    {
        if (actual.Length != expected.Length || bound.Length != expected.Length)
            throw new ArgumentException($"tensor '{tensor}': {actual.Length} computed values for {expected.Length} expected");
        double maxAbs = 0, maxRel = 0, worst = 0;
        int worstIndex = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double diff = Math.Abs(actual[i] - expected[i]);
            // NaN (a NaN on either side, or infinities that cancel) is as wrong as it gets.
            if (double.IsNaN(diff))
                diff = double.PositiveInfinity;
            double ratio = diff == 0 ? 0 : diff / bound[i];
            // A tolerance that is not a number (no bound exists, or NaN inputs) cannot vouch for anything.
            if (double.IsNaN(ratio))
                ratio = double.PositiveInfinity;
            maxAbs = Math.Max(maxAbs, diff);
            if (expected[i] != 0)
                maxRel = Math.Max(maxRel, diff / Math.Abs(expected[i]));
            if (ratio > worst)
            {
                worst = ratio;
                worstIndex = i;
            }
        }
        return new TensorAgreement(tensor, maxAbs, maxRel, worst, worstIndex);
    }
}

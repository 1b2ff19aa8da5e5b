using ConvRef;

namespace ConvCompare.Golden.Verification;

/// <summary>
/// Per-element tolerances for comparing a recomputed tensor with a golden file's expected values,
/// from rounding-error analysis rather than chosen constants.
/// </summary>
/// <remarks>
/// Each element of y, dx, dw, db is a sum of K products. Computed in floating point with unit
/// roundoff u, in any order, |fl(s) - s| &lt;= gamma_K * sum|x_i y_i| with gamma_K = K u / (1 - K u)
/// (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., Lemma 3.1 and eq. 3.5). The
/// recomputation (in the file's precision) and the file's producer (in float64, so with a smaller
/// error) each satisfy this, so they differ by at most 2 gamma_K(u) sum|x_i y_i|. The magnitudes
/// sum|x_i y_i| are the same convolutions run on absolute values: |x| (x) |w| (+ |b|) for y (Eq 1),
/// |dy| with |w| for dx (Eq 5), |x| with |dy| for dw (Eq 3), sum|dy| for db (Eq 9); they are computed
/// in float64, whose own relative error gamma_K(2^-53) is covered by scaling them by 1 + gamma_K(2^-53).
/// A float32 file stores the float64 result rounded to nearest float, which moves it by at most
/// u_32/(1 - u_32) |stored| more; that term is added for float32 files.
/// K is the longest reduction: C_in/G kH kW (+1 for the bias) for y, C_out/G kH kW for dx,
/// N H_out W_out for dw and db. A longer K only loosens the bound, so this is safe for every element.
/// </remarks>
internal static class GoldenTolerance
{
    private const double UnitRoundoff32 = 1.0 / (1 << 24);
    private const double UnitRoundoff64 = 1.0 / (1L << 53);

    /// <summary>The tolerance for every element of every expected tensor, by tensor name.</summary>
    public static IReadOnlyDictionary<string, double[]> Bounds(GoldenCase golden)
    {
        var abs = (Tensor<double> t) => new Tensor<double>([.. t.Shape], [.. t.Data.Select(Math.Abs)]);
        var x = abs(golden.X);
        var w = abs(golden.W);
        var dy = abs(golden.Dy);
        var magnitudeY = Conv2d.Forward(x, w, golden.B is null ? null : abs(golden.B), golden.Spec, Conv2dAlgorithm.Serial);
        var magnitudes = Conv2d.Backward(x, w, golden.HasBias, dy, golden.Spec, algorithm: Conv2dAlgorithm.Serial);

        int g = golden.Spec.Groups;
        long kernel = (long)golden.W.Shape[2] * golden.W.Shape[3];
        long perChannel = (long)golden.Dy.Shape[0] * golden.Dy.Shape[2] * golden.Dy.Shape[3];
        double u = golden.DType == GoldenDType.Float32 ? UnitRoundoff32 : UnitRoundoff64;
        double storage = golden.DType == GoldenDType.Float32 ? UnitRoundoff32 / (1 - UnitRoundoff32) : 0;

        var bounds = new Dictionary<string, double[]>(StringComparer.Ordinal)
        {
            [GoldenFormat.Y] = Bound(magnitudeY, golden.Y, golden.W.Shape[1] * kernel + (golden.HasBias ? 1 : 0)),
            [GoldenFormat.Dx] = Bound(magnitudes.Input, golden.Dx, golden.W.Shape[0] / g * kernel),
            [GoldenFormat.Dw] = Bound(magnitudes.Weights, golden.Dw, perChannel),
        };
        if (golden.Db is not null)
            bounds[GoldenFormat.Db] = Bound(magnitudes.Bias!, golden.Db, perChannel);
        return bounds;

        double[] Bound(Tensor<double> magnitude, Tensor<double> expected, long k)
        {
            double scale = 2 * Gamma(k, u) * (1 + Gamma(k, UnitRoundoff64));
            var result = new double[expected.Length];
            for (int i = 0; i < result.Length; i++)
                result[i] = scale * magnitude.Data[i] + storage * Math.Abs(expected.Data[i]);
            return result;
        }
    }

    /// <summary>
    /// gamma_K = K u / (1 - K u). From K u &gt;= 1 on the analysis bounds nothing, so nothing can be
    /// verified: NaN, which <see cref="TensorAgreement"/> turns into a failure rather than a pass.
    /// </summary>
    internal static double Gamma(long k, double u) => k * u < 1 ? k * u / (1 - k * u) : double.NaN;
}

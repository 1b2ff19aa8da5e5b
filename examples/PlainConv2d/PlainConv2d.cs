namespace PlainConv;

/// <summary>
/// A deliberately plain conv2d, the kind a third party writes: float64 only, a stride and symmetric
/// zero padding per axis, optional bias, direct loops over NCHW arrays. It knows nothing of any harness.
/// </summary>
/// <param name="strideH">Vertical stride.</param>
/// <param name="strideW">Horizontal stride.</param>
/// <param name="padH">Zero rows added above and below.</param>
/// <param name="padW">Zero columns added left and right.</param>
/// <param name="plantedBug">For the example's failing test only: drops the last output column from dL/dw.</param>
public sealed class PlainConv2d(int strideH, int strideW, int padH, int padW, bool plantedBug = false)
{
    /// <summary>Output height for input height <paramref name="h"/> and kernel height <paramref name="kh"/>.</summary>
    public int OutputHeight(int h, int kh) => (h + 2 * padH - kh) / strideH + 1;

    /// <summary>Output width for input width <paramref name="w"/> and kernel width <paramref name="kw"/>.</summary>
    public int OutputWidth(int w, int kw) => (w + 2 * padW - kw) / strideW + 1;

    /// <summary>y[n,o,i,j] = b[o] + sum over c, p, q of x[n, c, i sH + p - padH, j sW + q - padW] w[o, c, p, q].</summary>
    public void Forward(double[] x, int n, int c, int h, int w, double[] weights, int outC, int kh, int kw, double[]? bias, double[] y)
    {
        int oh = OutputHeight(h, kh), ow = OutputWidth(w, kw);
        for (int b = 0; b < n; b++)
            for (int o = 0; o < outC; o++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        double sum = bias is null ? 0 : bias[o];
                        for (int ch = 0; ch < c; ch++)
                            for (int p = 0; p < kh; p++)
                                for (int q = 0; q < kw; q++)
                                {
                                    int r = i * strideH + p - padH, s = j * strideW + q - padW;
                                    if (r >= 0 && r < h && s >= 0 && s < w)
                                        sum += x[((b * c + ch) * h + r) * w + s] * weights[((o * c + ch) * kh + p) * kw + q];
                                }
                        y[((b * outC + o) * oh + i) * ow + j] = sum;
                    }
    }

    /// <summary>Gradients of L = sum(y .* dy): dx, dw and, when <paramref name="db"/> is given, db.</summary>
    public void Backward(double[] x, int n, int c, int h, int w, double[] weights, int outC, int kh, int kw, double[] dy,
        double[] dx, double[] dw, double[]? db)
    {
        int oh = OutputHeight(h, kh), ow = OutputWidth(w, kw);
        Array.Clear(dx);
        Array.Clear(dw);
        if (db is not null)
            Array.Clear(db);
        for (int b = 0; b < n; b++)
            for (int o = 0; o < outC; o++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        double g = dy[((b * outC + o) * oh + i) * ow + j];
                        if (db is not null)
                            db[o] += g;
                        for (int ch = 0; ch < c; ch++)
                            for (int p = 0; p < kh; p++)
                                for (int q = 0; q < kw; q++)
                                {
                                    int r = i * strideH + p - padH, s = j * strideW + q - padW;
                                    if (r < 0 || r >= h || s < 0 || s >= w)
                                        continue;
                                    dx[((b * c + ch) * h + r) * w + s] += g * weights[((o * c + ch) * kh + p) * kw + q];
                                    if (!plantedBug || j < ow - 1)
                                        dw[((o * c + ch) * kh + p) * kw + q] += g * x[((b * c + ch) * h + r) * w + s];
                                }
                    }
    }
}

using System.Numerics.Tensors;
using ConvCompare.Cases;

namespace ConvCompare.Oracles;

/// <summary>
/// The four sums of the definition of a 2-D convolution in plain float64, the harness's own code for
/// the magnitudes behind every rounding bound (the sums evaluated on absolute values) and for the
/// forward pass the numeric gradient check differentiates. With
/// row = i*sH + p*dH - top and col = j*sW + q*dW - left (positions outside the input are padding
/// zeros and contribute no term), channel = group(o) * C_in/G + k:
/// <list type="bullet">
/// <item>y[n,o,i,j] = sum_(k,p,q) a[n,channel,row,col] w[o,k,p,q], then + b[o] (Eq 1);</item>
/// <item>dJ/da[n,channel,row,col] = sum over the (o,p,q,i,j) whose tap reads that position of dy[n,o,i,j] w[o,k,p,q] (Eq 5);</item>
/// <item>dJ/dw[o,k,p,q] = sum_(n,i,j) dy[n,o,i,j] a[n,channel,row,col] (Eq 3);</item>
/// <item>dJ/db[o] = sum_(n,i,j) dy[n,o,i,j] (Eq 9).</item>
/// </list>
/// Like <see cref="CompensatedReference"/> it reads every partial derivative off the one formula (no
/// Rot180, no zero interleaving, no full convolution); unlike it, it does not compensate, and it walks
/// the sums tap by tap so the innermost loop runs along an output row: fast enough to run on every
/// case of real-layer size.
/// </summary>
/// <remarks>
/// <para><b>Fixed order, on every machine.</b> Every element is accumulated in an order fixed by the
/// loops alone: y over (k, p, q) and then the bias; dJ/da over (o, p, q); dJ/dw over (n, i) per output
/// column, then over the columns j from left to right; dJ/db over (n, i, j). The vector instructions of
/// <see cref="TensorPrimitives.FusedMultiplyAdd(ReadOnlySpan{double}, double, ReadOnlySpan{double}, Span{double})"/>
/// work across output positions, never across the terms of one sum, and a fused multiply-add is
/// rounded once whichever vector width (or scalar fallback) performs it, so the machine's vector width
/// cannot change a single bit of any result.</para>
/// <para><b>Strided rows made contiguous.</b> With horizontal stride s, column col = s (j + floor(t/s))
/// + (t mod s) for the tap offset t = q*dW - left: each input row is stored as its s phases one after
/// another (phase r holds columns r, r + s, r + 2s, ...), so the columns a tap reads for consecutive j
/// are consecutive in one phase.</para>
/// </remarks>
internal static class DefinitionSums
{
    /// <summary>
    /// y = a (x) w + b (Eq 1): the sum over taps first, then the bias, so that
    /// <c>AddBias(Output(c, a, w, null), b)</c> is bit for bit <c>Output(c, a, w, b)</c>.
    /// </summary>
    /// <param name="c">The layer (shapes, stride, padding, dilation, groups).</param>
    /// <param name="a">N x C_in x H x W, row-major.</param>
    /// <param name="w">C_out x C_in/G x kH x kW.</param>
    /// <param name="b">C_out, or null.</param>
    /// <returns>N x C_out x H_out x W_out.</returns>
    public static double[] Output(CaseConfig c, ReadOnlySpan<double> a, ReadOnlySpan<double> w, ReadOnlySpan<double> b)
    {
        ArgumentNullException.ThrowIfNull(c);
        var geometry = new Geometry(c);
        var phased = geometry.Phase(a);
        var y = new double[(long)c.N * c.Cout * c.OutH * c.OutW];
        int inPerGroup = c.Cin / c.Groups, outPerGroup = c.Cout / c.Groups;
        for (int n = 0; n < c.N; n++)
            for (int o = 0; o < c.Cout; o++)
            {
                var plane = y.AsSpan((n * c.Cout + o) * c.OutH * c.OutW, c.OutH * c.OutW);
                for (int k = 0; k < inPerGroup; k++)
                {
                    var input = geometry.Plane(phased, n, o / outPerGroup * inPerGroup + k);
                    for (int p = 0; p < c.KH; p++)
                        for (int q = 0; q < c.KW; q++)
                        {
                            var tap = geometry.Tap(p, q);
                            double weight = w[((o * inPerGroup + k) * c.KH + p) * c.KW + q];
                            for (int i = tap.FirstRow; i < tap.EndRow; i++)
                            {
                                var row = plane.Slice(i * c.OutW + tap.FirstColumn, tap.Columns);
                                TensorPrimitives.FusedMultiplyAdd(input.Slice(tap.Read(i), tap.Columns), weight, row, row);
                            }
                        }
                }
            }
        AddBias(c, y, b);
        return y;
    }

    /// <summary>Adds b[o] to every element of output plane o of <paramref name="y"/> (no-op for an empty <paramref name="b"/>).</summary>
    public static void AddBias(CaseConfig c, Span<double> y, ReadOnlySpan<double> b)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (b.IsEmpty)
            return;
        int plane = c.OutH * c.OutW;
        for (int n = 0; n < c.N; n++)
            for (int o = 0; o < c.Cout; o++)
            {
                var values = y.Slice((n * c.Cout + o) * plane, plane);
                TensorPrimitives.Add(values, b[o], values);
            }
    }

    /// <summary>dJ/da = dy (x)_f Rot180(w) (Eq 5), read off the definition: each tap scatters w[o,k,p,q] dy[n,o,i,j] back to the position it read.</summary>
    /// <param name="c">The layer.</param>
    /// <param name="dy">N x C_out x H_out x W_out.</param>
    /// <param name="w">C_out x C_in/G x kH x kW.</param>
    /// <returns>N x C_in x H x W.</returns>
    public static double[] InputGradient(CaseConfig c, ReadOnlySpan<double> dy, ReadOnlySpan<double> w)
    {
        ArgumentNullException.ThrowIfNull(c);
        var geometry = new Geometry(c);
        var phased = new double[(long)c.N * c.Cin * c.H * geometry.RowLength];
        int inPerGroup = c.Cin / c.Groups, outPerGroup = c.Cout / c.Groups;
        for (int n = 0; n < c.N; n++)
            for (int channel = 0; channel < c.Cin; channel++)
            {
                var target = geometry.Plane(phased, n, channel);
                int group = channel / inPerGroup, k = channel % inPerGroup;
                for (int o = group * outPerGroup; o < (group + 1) * outPerGroup; o++)
                {
                    var upstream = dy.Slice((n * c.Cout + o) * c.OutH * c.OutW, c.OutH * c.OutW);
                    for (int p = 0; p < c.KH; p++)
                        for (int q = 0; q < c.KW; q++)
                        {
                            var tap = geometry.Tap(p, q);
                            double weight = w[((o * inPerGroup + k) * c.KH + p) * c.KW + q];
                            for (int i = tap.FirstRow; i < tap.EndRow; i++)
                            {
                                var sum = target.Slice(tap.Read(i), tap.Columns);
                                TensorPrimitives.FusedMultiplyAdd(upstream.Slice(i * c.OutW + tap.FirstColumn, tap.Columns), weight, sum, sum);
                            }
                        }
                }
            }
        return geometry.Unphase(phased);
    }

    /// <summary>dJ/dw = a (x) dy (Eq 3), read off the definition.</summary>
    /// <param name="c">The layer.</param>
    /// <param name="a">N x C_in x H x W.</param>
    /// <param name="dy">N x C_out x H_out x W_out.</param>
    /// <returns>C_out x C_in/G x kH x kW.</returns>
    public static double[] WeightGradient(CaseConfig c, ReadOnlySpan<double> a, ReadOnlySpan<double> dy)
    {
        ArgumentNullException.ThrowIfNull(c);
        var geometry = new Geometry(c);
        var phased = geometry.Phase(a);
        int inPerGroup = c.Cin / c.Groups, outPerGroup = c.Cout / c.Groups;
        var dw = new double[c.Cout * inPerGroup * c.KH * c.KW];
        var columns = new double[c.OutW];
        for (int o = 0; o < c.Cout; o++)
            for (int k = 0; k < inPerGroup; k++)
                for (int p = 0; p < c.KH; p++)
                    for (int q = 0; q < c.KW; q++)
                    {
                        var tap = geometry.Tap(p, q);
                        var sums = columns.AsSpan(0, tap.Columns);
                        sums.Clear();
                        for (int n = 0; n < c.N; n++)
                        {
                            var input = geometry.Plane(phased, n, o / outPerGroup * inPerGroup + k);
                            var upstream = dy.Slice((n * c.Cout + o) * c.OutH * c.OutW, c.OutH * c.OutW);
                            for (int i = tap.FirstRow; i < tap.EndRow; i++)
                                TensorPrimitives.FusedMultiplyAdd(upstream.Slice(i * c.OutW + tap.FirstColumn, tap.Columns), input.Slice(tap.Read(i), tap.Columns), sums, sums);
                        }
                        dw[((o * inPerGroup + k) * c.KH + p) * c.KW + q] = SumLeftToRight(sums);
                    }
        return dw;
    }

    /// <summary>dJ/db[o] = sum_(n,i,j) dy[n,o,i,j] (Eq 9).</summary>
    /// <param name="c">The layer.</param>
    /// <param name="dy">N x C_out x H_out x W_out.</param>
    /// <returns>C_out.</returns>
    public static double[] BiasGradient(CaseConfig c, ReadOnlySpan<double> dy)
    {
        ArgumentNullException.ThrowIfNull(c);
        var db = new double[c.Cout];
        int plane = c.OutH * c.OutW;
        for (int o = 0; o < c.Cout; o++)
        {
            double sum = 0;
            for (int n = 0; n < c.N; n++)
                foreach (double v in dy.Slice((n * c.Cout + o) * plane, plane))
                    sum += v;
            db[o] = sum;
        }
        return db;
    }

    /// <summary>
    /// The output positions a tap (p, q) covers: rows [FirstRow, EndRow) and columns
    /// [FirstColumn, FirstColumn + Columns), those whose input position lies inside the input.
    /// </summary>
    /// <param name="FirstRow">First output row i with 0 &lt;= i*sH + p*dH - top.</param>
    /// <param name="EndRow">One past the last output row with i*sH + p*dH - top &lt; H.</param>
    /// <param name="FirstColumn">First output column, likewise.</param>
    /// <param name="Columns">How many consecutive output columns (0 when none).</param>
    /// <param name="RowOffset">p*dH - top: the input row of output row i is i*sH + RowOffset.</param>
    /// <param name="ReadStart">Where, in a phased input row, the column of output column FirstColumn sits.</param>
    /// <param name="RowLength">The phased row's length.</param>
    /// <param name="StrideH">sH.</param>
    private readonly record struct Tap(int FirstRow, int EndRow, int FirstColumn, int Columns, int RowOffset, int ReadStart, int RowLength, int StrideH)
    {
        /// <summary>Where output row <paramref name="i"/>'s first covered column reads, in a phased input plane.</summary>
        public int Read(int i) => (i * StrideH + RowOffset) * RowLength + ReadStart;
    }

    /// <summary>The layer's index arithmetic and its phased row layout.</summary>
    private readonly struct Geometry(CaseConfig c)
    {
        private readonly CaseConfig _c = c;

        /// <summary>M = ceil(W / sW): the longest phase.</summary>
        private int PhaseLength => (_c.W + _c.StrideW - 1) / _c.StrideW;

        /// <summary>sW phases of M columns each.</summary>
        public int RowLength => PhaseLength * _c.StrideW;

        public Tap Tap(int p, int q)
        {
            int rowOffset = p * _c.DilationH - _c.PadTop;
            var (firstRow, endRow) = Covered(rowOffset, _c.StrideH, _c.H, _c.OutH);
            int columnOffset = q * _c.DilationW - _c.PadLeft;
            var (firstColumn, endColumn) = Covered(columnOffset, _c.StrideW, _c.W, _c.OutW);
            if (endRow <= firstRow || endColumn <= firstColumn)
                return new Tap(0, 0, 0, 0, rowOffset, 0, RowLength, _c.StrideH);
            int phase = Modulo(columnOffset, _c.StrideW);
            int start = phase * PhaseLength + firstColumn + (columnOffset - phase) / _c.StrideW;
            return new Tap(firstRow, endRow, firstColumn, endColumn - firstColumn, rowOffset, start, RowLength, _c.StrideH);
        }

        /// <summary>The phased plane of (n, channel) in a phased N x C_in x H x RowLength array.</summary>
        public Span<double> Plane(double[] phased, int n, int channel) =>
            phased.AsSpan((n * _c.Cin + channel) * _c.H * RowLength, _c.H * RowLength);

        /// <summary>Input rows rearranged into their sW phases (a plain copy when sW = 1).</summary>
        public double[] Phase(ReadOnlySpan<double> a)
        {
            var phased = new double[(long)_c.N * _c.Cin * _c.H * RowLength];
            int rows = _c.N * _c.Cin * _c.H;
            for (int r = 0; r < rows; r++)
                for (int col = 0; col < _c.W; col++)
                    phased[r * RowLength + col % _c.StrideW * PhaseLength + col / _c.StrideW] = a[r * _c.W + col];
            return phased;
        }

        /// <summary>The inverse of <see cref="Phase"/>.</summary>
        public double[] Unphase(double[] phased)
        {
            var a = new double[(long)_c.N * _c.Cin * _c.H * _c.W];
            int rows = _c.N * _c.Cin * _c.H;
            for (int r = 0; r < rows; r++)
                for (int col = 0; col < _c.W; col++)
                    a[r * _c.W + col] = phased[r * RowLength + col % _c.StrideW * PhaseLength + col / _c.StrideW];
            return a;
        }
    }

    /// <summary>
    /// The output indices x in [0, outputs) whose input index x*stride + offset lies in [0, inputs):
    /// from ceil(-offset / stride) to floor((inputs - 1 - offset) / stride), clipped to the output.
    /// </summary>
    internal static (int First, int End) Covered(int offset, int stride, int inputs, int outputs)
    {
        int first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int last = inputs - 1 - offset;
        int end = last < 0 ? 0 : Math.Min(outputs, last / stride + 1);
        return (first, Math.Max(first, end));
    }

    private static int Modulo(int x, int m) => ((x % m) + m) % m;

    /// <summary>A sum in index order, one rounding per term: the order no vector width can change.</summary>
    private static double SumLeftToRight(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double v in values)
            sum += v;
        return sum;
    }
}

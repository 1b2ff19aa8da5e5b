using System.Globalization;
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
/// the sums tap by tap, each tap one vector operation over a whole output plane: fast enough to run
/// on every case of real-layer size.
/// </summary>
/// <remarks>
/// <para><b>Fixed order, on every machine.</b> Every element is accumulated in an order fixed by the
/// loops alone: y over (k, p, q) and then the bias; dJ/da over (o, p, q); dJ/dw over n at each output
/// position, then over the positions in row-major order; dJ/db over (n, i, j). The vector instructions of
/// <see cref="TensorPrimitives.FusedMultiplyAdd{T}(ReadOnlySpan{T}, T, ReadOnlySpan{T}, Span{T})"/>
/// work across output positions, never across the terms of one sum, and a fused multiply-add is
/// rounded once whichever vector width (or scalar fallback) performs it, so the machine's vector width
/// cannot change a single bit of any result.</para>
/// <para><b>One span per tap.</b> The input is stored padded and split by stride into phases: phase
/// (r, c) holds the padded rows r, r + sH, ... and columns c, c + sW, ..., M_w of them per row. Output
/// position (i, j) of tap (p, q) then reads phase ((p dH) mod sH, (q dW) mod sW) at row
/// i + floor(p dH / sH), column j + floor(q dW / sW); with the output (and dy) stored M_w wide, a
/// tap's reads for the whole output plane are one contiguous span, and each tap is one vector
/// operation over the plane. The extra terms this adds are products with a padding zero or with a
/// zero in the output's unused columns: exact zeros, which change no sum (except the sign of a zero
/// result). A zero times an infinity or NaN is not zero, so where the factor is not finite the tap
/// falls back to the rows and columns it really covers, in the same order.</para>
/// <para><b>The family.</b> A case of the convolution family (<see cref="CaseConfig.Family"/>) is summed by
/// <see cref="FamilySums"/> from its list of products; for it, <see cref="PaddedElements"/> counts those products.</para>
/// </remarks>
internal static class DefinitionSums
{
    /// <summary>
    /// y = a (x) w + b (Eq 1): the sum over taps first, then the bias, so that
    /// <c>AddBias(c, Output(c, a, w, []), b)</c> is bit for bit <c>Output(c, a, w, b)</c>.
    /// </summary>
    /// <param name="c">The layer (shapes, stride, padding, dilation, groups).</param>
    /// <param name="a">N x C_in x H x W, row-major.</param>
    /// <param name="w">C_out x C_in/G x kH x kW.</param>
    /// <param name="b">C_out, or empty.</param>
    /// <returns>N x C_out x H_out x W_out.</returns>
    public static double[] Output(CaseConfig c, ReadOnlySpan<double> a, ReadOnlySpan<double> w, ReadOnlySpan<double> b)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (c.Family is not null)
            return FamilySums.Output(c, a, w, b);
        var geometry = new Geometry(c);
        var phased = geometry.Phase(a);
        var y = new double[(long)c.Shape.N * c.Shape.Cout * c.OutH * c.OutW];
        var wide = new double[geometry.WidePlane];
        int inPerGroup = c.Shape.Cin / c.Geometry.Groups, outPerGroup = c.Shape.Cout / c.Geometry.Groups;
        for (int n = 0; n < c.Shape.N; n++)
            for (int o = 0; o < c.Shape.Cout; o++)
            {
                Array.Clear(wide);
                for (int k = 0; k < inPerGroup; k++)
                {
                    var input = geometry.Plane(phased, n, o / outPerGroup * inPerGroup + k);
                    for (int p = 0; p < c.Shape.KH; p++)
                        for (int q = 0; q < c.Shape.KW; q++)
                        {
                            var tap = geometry.Tap(p, q);
                            double weight = w[((o * inPerGroup + k) * c.Shape.KH + p) * c.Shape.KW + q];
                            foreach (var (offset, length) in tap.Spans(double.IsFinite(weight)))
                            {
                                var sum = wide.AsSpan(offset, length);
                                TensorPrimitives.FusedMultiplyAdd(input.Slice(tap.Read + offset, length), weight, sum, sum);
                            }
                        }
                }
                geometry.Narrow(wide, y.AsSpan((n * c.Shape.Cout + o) * c.OutH * c.OutW, c.OutH * c.OutW));
            }
        AddBias(c, y, b);
        return y;
    }

    /// <summary>Adds b[o] to every element of output plane o of <paramref name="y"/> (no-op for an empty <paramref name="b"/>).</summary>
    public static void AddBias(CaseConfig c, Span<double> y, ReadOnlySpan<double> b)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (c.Family is not null)
            {
            FamilySums.AddBias(c, y, b);
            return;
        }
        if (b.IsEmpty)
            return;
        int plane = c.OutH * c.OutW;
        for (int n = 0; n < c.Shape.N; n++)
            for (int o = 0; o < c.Shape.Cout; o++)
            {
                var values = y.Slice((n * c.Shape.Cout + o) * plane, plane);
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
        if (c.Family is not null)
            return FamilySums.InputGradient(c, dy, w);
        var geometry = new Geometry(c);
        var upstream = geometry.Widen(dy, c.Shape.Cout);
        var phased = new double[(long)c.Shape.N * c.Shape.Cin * geometry.PhasedPlane];
        int inPerGroup = c.Shape.Cin / c.Geometry.Groups, outPerGroup = c.Shape.Cout / c.Geometry.Groups;
        for (int n = 0; n < c.Shape.N; n++)
            for (int channel = 0; channel < c.Shape.Cin; channel++)
            {
                var target = geometry.Plane(phased, n, channel);
                int group = channel / inPerGroup, k = channel % inPerGroup;
                for (int o = group * outPerGroup; o < (group + 1) * outPerGroup; o++)
                {
                    var source = upstream.AsSpan((n * c.Shape.Cout + o) * geometry.WidePlane, geometry.WidePlane);
                    for (int p = 0; p < c.Shape.KH; p++)
                        for (int q = 0; q < c.Shape.KW; q++)
                        {
                            var tap = geometry.Tap(p, q);
                            double weight = w[((o * inPerGroup + k) * c.Shape.KH + p) * c.Shape.KW + q];
                            foreach (var (offset, length) in tap.Spans(double.IsFinite(weight)))
                            {
                                var sum = target.Slice(tap.Read + offset, length);
                                TensorPrimitives.FusedMultiplyAdd(source.Slice(offset, length), weight, sum, sum);
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
        if (c.Family is not null)
            return FamilySums.WeightGradient(c, a, dy);
        var geometry = new Geometry(c);
        var phased = geometry.Phase(a);
        var upstream = geometry.Widen(dy, c.Shape.Cout);
        bool finite = AllFinite(a) && AllFinite(dy);
        int inPerGroup = c.Shape.Cin / c.Geometry.Groups, outPerGroup = c.Shape.Cout / c.Geometry.Groups;
        var dw = new double[c.Shape.Cout * inPerGroup * c.Shape.KH * c.Shape.KW];
        var sums = new double[geometry.WidePlane];
        for (int o = 0; o < c.Shape.Cout; o++)
            for (int k = 0; k < inPerGroup; k++)
                for (int p = 0; p < c.Shape.KH; p++)
                    for (int q = 0; q < c.Shape.KW; q++)
                    {
                        var tap = geometry.Tap(p, q);
                        Array.Clear(sums);
                        for (int n = 0; n < c.Shape.N; n++)
                        {
                            var input = geometry.Plane(phased, n, o / outPerGroup * inPerGroup + k);
                            var source = upstream.AsSpan((n * c.Shape.Cout + o) * geometry.WidePlane, geometry.WidePlane);
                            foreach (var (offset, length) in tap.Spans(finite))
                            {
                                var sum = sums.AsSpan(offset, length);
                                TensorPrimitives.FusedMultiplyAdd(source.Slice(offset, length), input.Slice(tap.Read + offset, length), sum, sum);
                            }
                        }
                        dw[((o * inPerGroup + k) * c.Shape.KH + p) * c.Shape.KW + q] = SumLeftToRight(sums);
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
        if (c.Family is not null)
            return FamilySums.BiasGradient(c, dy);
        var db = new double[c.Shape.Cout];
        int plane = c.OutH * c.OutW;
        for (int o = 0; o < c.Shape.Cout; o++)
        {
            double sum = 0;
            for (int n = 0; n < c.Shape.N; n++)
                foreach (double v in dy.Slice((n * c.Shape.Cout + o) * plane, plane))
                    sum += v;
            db[o] = sum;
        }
        return db;
    }

    /// <summary>
    /// Where a tap (p, q) reads, in a phased plane, for output position (i, j) of a plane stored
    /// <see cref="Geometry.RowLength"/> wide: <c>Read + i * RowLength + j</c>; and the output rows
    /// [FirstRow, EndRow) and columns [FirstColumn, FirstColumn + Columns) whose read is a real input
    /// position, not padding.
    /// </summary>
    private readonly record struct Tap(int Read, int RowLength, int Rows, int FirstRow, int EndRow, int FirstColumn, int Columns)
    {
        /// <summary>
        /// The spans (offset into the wide output plane, length) the tap is applied over: the whole
        /// plane in one span when its extra terms are exact zeros (<paramref name="wholePlane"/>), else
        /// the covered part of each covered row.
        /// </summary>
        public IEnumerable<(int Offset, int Length)> Spans(bool wholePlane)
        {
            if (wholePlane)
            {
                yield return (0, Rows * RowLength);
                yield break;
            }
            if (Columns == 0)
                yield break;
            for (int i = FirstRow; i < EndRow; i++)
                yield return (i * RowLength + FirstColumn, Columns);
        }
    }

    /// <summary>Largest padded, phased input (or wide output) the sums allocate: 2 GiB of float64.</summary>
    public const long MaxPaddedElements = 1L << 28;

    /// <summary>
    /// The numbers the sums' padded, phased input (or wide output) holds for <paramref name="c"/>: what
    /// they allocate, and, per tap, the length of the plane each pass sweeps; in double, so that any
    /// hand-written case can be measured before it is refused.
    /// </summary>
    public static double PaddedElements(CaseConfig c)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (c.Family is not null)
            return c.MultiplyAdds;
        var (phaseRows, rowLength) = PhasedLayout(c);
        return (double)c.Shape.N * Math.Max(c.Shape.Cin, c.Shape.Cout) * c.Geometry.StrideH * c.Geometry.StrideW * (phaseRows + 1) * rowLength;
    }

    /// <summary>Rows of one stride phase of the padded input, and the length of such a row (M_w).</summary>
    private static (long PhaseRows, long RowLength) PhasedLayout(CaseConfig c) => (
        ((long)c.Shape.H + c.Geometry.PadTop + c.Geometry.PadBottom + c.Geometry.StrideH - 1) / c.Geometry.StrideH,
        ((long)c.Shape.W + c.Geometry.PadLeft + c.Geometry.PadRight + c.Geometry.StrideW - 1) / c.Geometry.StrideW);

    /// <summary>The layer's index arithmetic, its phased input layout and its wide output layout.</summary>
    private readonly struct Geometry
    {
        private readonly CaseConfig _c;
        private readonly int _phaseRows;

        /// <exception cref="InvalidOperationException">The padded input would exceed <see cref="MaxPaddedElements"/>.</exception>
        public Geometry(CaseConfig c)
        {
            _c = c;
            var (phaseRows, rowLength) = PhasedLayout(c);
            double padded = PaddedElements(c);
            if (padded > MaxPaddedElements)
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"case {CaseId.Format(c)}: its padded input would hold {padded:0} numbers, more than the {MaxPaddedElements} the harness's definition sums allow; reduce the padding, stride or dilation"));
            _phaseRows = (int)phaseRows;
            RowLength = (int)rowLength;
        }

        /// <summary>M_w: the length of a phase's row, and the width the output is stored with.</summary>
        public int RowLength { get; }

        /// <summary>One output plane stored <see cref="RowLength"/> wide.</summary>
        public int WidePlane => _c.OutH * RowLength;

        /// <summary>sH x sW phases of M_h + 1 rows (one spare row: a whole-plane read of the last rows runs up to M_w - 1 past the last).</summary>
        public int PhasedPlane => _c.Geometry.StrideH * _c.Geometry.StrideW * (_phaseRows + 1) * RowLength;

        public Tap Tap(int p, int q)
        {
            int down = p * _c.Geometry.DilationH, right = q * _c.Geometry.DilationW;
            int phase = down % _c.Geometry.StrideH * _c.Geometry.StrideW + right % _c.Geometry.StrideW;
            int read = (phase * (_phaseRows + 1) + down / _c.Geometry.StrideH) * RowLength + right / _c.Geometry.StrideW;
            var (firstRow, endRow) = Covered(down - _c.Geometry.PadTop, _c.Geometry.StrideH, _c.Shape.H, _c.OutH);
            var (firstColumn, endColumn) = Covered(right - _c.Geometry.PadLeft, _c.Geometry.StrideW, _c.Shape.W, _c.OutW);
            return new Tap(read, RowLength, _c.OutH, firstRow, endRow, firstColumn, endColumn - firstColumn);
        }

        /// <summary>The phased plane of (n, channel) in a phased N x C_in array.</summary>
        public Span<double> Plane(double[] phased, int n, int channel) =>
            phased.AsSpan((n * _c.Shape.Cin + channel) * PhasedPlane, PhasedPlane);

        /// <summary>Input planes padded with zeros and rearranged into their phases.</summary>
        public double[] Phase(ReadOnlySpan<double> a)
        {
            var phased = new double[(long)_c.Shape.N * _c.Shape.Cin * PhasedPlane];
            for (int plane = 0; plane < _c.Shape.N * _c.Shape.Cin; plane++)
                for (int r = 0; r < _c.Shape.H; r++)
                    for (int s = 0; s < _c.Shape.W; s++)
                        phased[plane * PhasedPlane + Position(r, s)] = a[(plane * _c.Shape.H + r) * _c.Shape.W + s];
            return phased;
        }

        /// <summary>The real input positions of phased planes: the inverse of <see cref="Phase"/>.</summary>
        public double[] Unphase(double[] phased)
        {
            var a = new double[(long)_c.Shape.N * _c.Shape.Cin * _c.Shape.H * _c.Shape.W];
            for (int plane = 0; plane < _c.Shape.N * _c.Shape.Cin; plane++)
                for (int r = 0; r < _c.Shape.H; r++)
                    for (int s = 0; s < _c.Shape.W; s++)
                        a[(plane * _c.Shape.H + r) * _c.Shape.W + s] = phased[plane * PhasedPlane + Position(r, s)];
            return a;
        }

        /// <summary>Output planes (<paramref name="planes"/> per sample) stored <see cref="RowLength"/> wide, zero in the unused columns.</summary>
        public double[] Widen(ReadOnlySpan<double> y, int planes)
        {
            var wide = new double[(long)_c.Shape.N * planes * WidePlane];
            for (int row = 0; row < _c.Shape.N * planes * _c.OutH; row++)
                y.Slice(row * _c.OutW, _c.OutW).CopyTo(wide.AsSpan(row * RowLength, _c.OutW));
            return wide;
        }

        /// <summary>One wide output plane written back OutW wide.</summary>
        public void Narrow(ReadOnlySpan<double> wide, Span<double> plane)
        {
            for (int i = 0; i < _c.OutH; i++)
                wide.Slice(i * RowLength, _c.OutW).CopyTo(plane.Slice(i * _c.OutW, _c.OutW));
        }

        /// <summary>Where input position (r, s) sits in its phased plane.</summary>
        private int Position(int r, int s)
        {
            int down = r + _c.Geometry.PadTop, right = s + _c.Geometry.PadLeft;
            int phase = down % _c.Geometry.StrideH * _c.Geometry.StrideW + right % _c.Geometry.StrideW;
            return (phase * (_phaseRows + 1) + down / _c.Geometry.StrideH) * RowLength + right / _c.Geometry.StrideW;
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

    private static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (double v in values)
            if (!double.IsFinite(v))
                return false;
        return true;
    }

    /// <summary>A sum in index order, one rounding per term: the order no vector width can change.</summary>
    private static double SumLeftToRight(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double v in values)
            sum += v;
        return sum;
    }
}

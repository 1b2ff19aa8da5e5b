namespace ConvCompare.Cases;

/// <summary>
/// Draws one small case of the convolution family for an operation and a padding mode. Its space holds
/// every configuration class of PyTorch's <c>sample_inputs_conv1d/conv2d/conv3d/conv_transpose*</c> tables:
/// strides above 1 per axis, integer padding (and different before and after), <c>'same'</c> with odd and
/// even totals (dilation up to 4, even kernels), <c>'valid'</c>, dilation different per axis, grouped and
/// depthwise layers (with a channel multiplier), kernels as large as the input and 1x1(x1) kernels,
/// output padding that is at least the stride but below the dilation, bias or none, unbatched inputs;
/// and beyond the tables every padding mode with border pads up to what PyTorch allows.
/// </summary>
internal static class FamilyDraw
{
    /// <summary>Largest forward cost (multiply-adds) of a family case: small, so a few hundred stay a small share of the sweep.</summary>
    public const long MaxMultiplyAdds = 12_000;

    private const int MaxAttempts = 10_000;

    /// <summary>A valid case of <paramref name="op"/> padded in <paramref name="mode"/> (zeros for transposed operations), <paramref name="dtype"/> applied to the drawn dtype.</summary>
    public static CaseConfig Draw(ref SplitMix64 rng, CaseOp op, CasePaddingMode mode, Func<CaseDtype, CaseDtype> dtype)
    {
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var c = Attempt(ref rng, op, op.Transposed() ? CasePaddingMode.Zeros : mode, dtype);
            if (c.Problem is null && c.MultiplyAdds <= MaxMultiplyAdds)
                return c;
        }
        throw new InvalidOperationException($"no {op.Name()} case within {MaxMultiplyAdds} multiply-adds after {MaxAttempts} draws");
    }

    private static CaseConfig Attempt(ref SplitMix64 rng, CaseOp op, CasePaddingMode mode, Func<CaseDtype, CaseDtype> dtype)
    {
        int rank = op.Rank();
        bool transposed = op.Transposed();
        int spelling = transposed ? 0 : rng.Between(0, 9);
        var padding = spelling switch { < 6 => CasePadding.Explicit, < 8 => CasePadding.Same, _ => CasePadding.Valid };
        bool batched = rng.Chance(0.8);
        int n = batched ? rng.Between(1, 3) : 1;
        int layout = rng.Between(0, 9);
        int groups, cin, cout;
        if (layout < 6)
        {
            groups = 1;
            cin = rng.Between(1, 4);
            cout = rng.Between(1, 4);
        }
        else if (layout < 8)
        {
            groups = rng.Between(2, 3);
            cin = groups * rng.Between(1, 2);
            cout = groups * rng.Between(1, 2);
        }
        else
        {
            cin = rng.Between(1, 4);
            groups = cin;
            cout = cin * rng.Between(1, 2);
        }
        bool oneTap = rng.Chance(0.1);
        var axes = new (int Size, int K, int S, int D, int P0, int P1, int Op)[3];
        for (int i = 0; i < 3; i++)
            axes[i] = i < 3 - rank ? (1, 1, 1, 1, 0, 0, 0) : Axis(ref rng, rank, transposed, padding, mode, oneTap);
        var (depth, rows, columns) = (axes[0], axes[1], axes[2]);
        var shape = new CaseShape(n, cin, rows.Size, columns.Size, cout, rows.K, columns.K);
        var geometry = new CaseGeometry
        {
            StrideH = rows.S, StrideW = columns.S, PadTop = rows.P0, PadBottom = rows.P1, PadLeft = columns.P0, PadRight = columns.P1,
            DilationH = rows.D, DilationW = columns.D, Groups = groups,
        };
        var family = new CaseFamily
        {
            Op = op, Mode = mode, Padding = padding, Batched = batched,
            OutputPaddingD = depth.Op, OutputPaddingH = rows.Op, OutputPaddingW = columns.Op,
            D = depth.Size, KD = depth.K, StrideD = depth.S, DilationD = depth.D, PadFront = depth.P0, PadBack = depth.P1,
        };
        (geometry, family) = family.WithImpliedPads(shape, geometry);
        bool bias = rng.Chance(0.75);
        var activation = CaseGenerator.DrawActivation(ref rng);
        bool clip = rng.Chance(0.25);
        var drawnDtype = dtype(rng.Chance(0.5) ? CaseDtype.F32 : CaseDtype.F64);
        ulong valueSeed = (ulong)rng.Between(0, 999_999);
        var config = new CaseConfig(shape, geometry, bias, drawnDtype, activation, null, valueSeed) { Family = family.IsPlain ? null : family };
        return clip && config.Problem is null ? config with { Clip = CaseGenerator.ClipValueFor(config) } : config;
    }

    /// <summary>
    /// One spatial axis: (size, kernel, stride, dilation, padding before, after, output padding); a kernel of one tap
    /// on every axis of a case with <paramref name="oneTap"/>. The size is
    /// raised until the kernel fits (a convolution) and the border pads are what the mode allows.
    /// </summary>
    private static (int Size, int K, int S, int D, int P0, int P1, int Op) Axis(ref SplitMix64 rng, int rank, bool transposed, CasePadding padding, CasePaddingMode mode, bool oneTap)
    {
        int size = rng.Between(1, rank == 3 ? 5 : rank == 2 ? 7 : 12);
        int k = oneTap ? 1 : rng.Chance(0.15) ? 1 : rng.Between(2, 4);
        int s = padding == CasePadding.Same || rng.Chance(0.5) ? 1 : rng.Between(2, 3);
        int d = rng.Chance(0.6) ? 1 : rng.Between(2, 4);
        int p0 = rng.Chance(0.3) ? 0 : rng.Between(0, 2);
        int p1 = rng.Chance(0.5) ? p0 : rng.Between(0, 2);
        if (padding != CasePadding.Explicit)
        {
            int total = padding == CasePadding.Same ? d * (k - 1) : 0;
            (p0, p1) = (total / 2, total - total / 2);
        }
        int outputPadding = 0;
        if (transposed)
        {
            outputPadding = rng.Chance(0.4) ? 0 : rng.Between(0, Math.Max(s, d) - 1);
            int extent = d * (k - 1) + 1;
            while ((long)(size - 1) * s + extent + outputPadding - p0 - p1 < 1)
                size++;
            return (size, k, s, d, p0, p1, outputPadding);
        }
        if (rng.Chance(0.15))
            size = Math.Max(1, d * (k - 1) + 1 - p0 - p1);
        int span = d * (k - 1) + 1;
        if (span > size + p0 + p1)
            size = span - p0 - p1;
        int border = Math.Max(p0, p1);
        if (mode == CasePaddingMode.Reflect && border >= size)
            size = border + 1;
        if (mode == CasePaddingMode.Circular && border > size)
            size = border;
        return (size, k, s, d, p0, p1, 0);
    }
}

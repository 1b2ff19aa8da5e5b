using System.Globalization;
using System.Text.RegularExpressions;

namespace ConvCompare.Cases;

/// <summary>
/// The id grammar of the convolution family: the operation's name first, then the original grammar's
/// fields with one value per spatial axis, then what the original grammar has no field for:
/// <code>
/// conv_transpose3d-n2c4d3h5w6-o6k2x3x3-s1x2x1-p0,1,1,0,2,1-op0x1x0-d1x1x2-g2[-reflect|-replicate|-circular][-ub]-f64...-v1234
/// </code>
/// <list type="bullet">
/// <item><c>conv1d</c> ... <c>conv_transpose3d</c>: the operation (PyTorch's name).</item>
/// <item><c>n2c4d3h5w6</c>: batch, C_in and the input's spatial sizes: <c>w</c> (1-D), <c>h w</c> (2-D), <c>d h w</c> (3-D).</item>
/// <item><c>o6k2x3x3</c>: C_out and the kernel, one size per axis; <c>s</c>, <c>d</c>: stride and dilation per axis.</item>
/// <item><c>p0,1,1,0,2,1</c>: padding before and after each axis in the input's order (front, back, top, bottom, left, right),
/// or <c>psame</c> / <c>pvalid</c> as PyTorch spells them.</item>
/// <item><c>op0x1x0</c>: output padding per axis, written for (and only for) transposed operations.</item>
/// <item><c>reflect</c>, <c>replicate</c>, <c>circular</c>: the padding mode; absent means zeros.</item>
/// <item><c>ub</c>: the input is unbatched (C_in x spatial; n is then 1).</item>
/// </list>
/// The tail (dtype, bias, activation, clip, special values, order, value seed) is the original grammar's. An id
/// without an operation's name is the original grammar's conv2d, so every existing id keeps its meaning.
/// </summary>
internal static partial class CaseId
{
    /// <summary>Everything of a family id before the dtype.</summary>
    private static string FamilyPrefix(CaseConfig c, CaseFamily family)
    {
        var axes = c.Axes;
        string[] spatialNames = axes.Count switch { 1 => ["w"], 2 => ["h", "w"], _ => ["d", "h", "w"] };
        string Join(Func<FamilyAxis, long> pick) => string.Join("x", axes.Select(a => pick(a).ToString(CultureInfo.InvariantCulture)));
        string padding = family.Padding switch
        {
            CasePadding.Same => "same",
            CasePadding.Valid => "valid",
            _ => string.Join(",", axes.SelectMany(a => new[] { a.PadBefore, a.PadAfter }).Select(p => p.ToString(CultureInfo.InvariantCulture))),
        };
        var s = c.Shape;
        return FormattableString.Invariant(
            $"{family.Op.Name()}-n{s.N}c{s.Cin}{string.Concat(axes.Select((a, i) => spatialNames[i] + a.Input.ToString(CultureInfo.InvariantCulture)))}") +
            FormattableString.Invariant($"-o{s.Cout}k{Join(a => a.Kernel)}-s{Join(a => a.Stride)}-p{padding}") +
            (family.Op.Transposed() ? "-op" + Join(a => a.OutputPadding) : "") +
            FormattableString.Invariant($"-d{Join(a => a.Dilation)}-g{c.Geometry.Groups}") +
            (family.Mode == CasePaddingMode.Zeros ? "" : "-" + family.Mode.Token()) +
            (family.Batched ? "" : "-ub");
    }

    private static bool TryParseFamily(string text, out CaseConfig config, out string error)
    {
        config = null!;
        var m = FamilyPattern().Match(text);
        if (!m.Success)
        {
            error = $"case id '{text}' does not match <op>-n<N>c<Cin>[d<D>][h<H>]w<W>-o<Cout>k<k>[x<k>...]-s<s>[x<s>...]-p<before>,<after>[,...]|same|valid[-op<o>[x<o>...]]-d<d>[x<d>...]-g<G>[-reflect|-replicate|-circular][-ub]-f32|f64[-nb][-relu|-lrelu|-sigmoid|-tanh][-clip<c>][-sub|-max|-zero|-equal|-nonfinite|-infw][-order2]-v<seed>, <op> one of {string.Join(", ", CaseOps.Names)}";
            return false;
        }
        var op = CaseOps.Parse(m.Groups["op"].Value)!.Value;
        int rank = op.Rank();
        if (m.Groups["D"].Success != (rank == 3) || m.Groups["H"].Success != (rank >= 2))
        {
            error = $"case id '{text}' must give {rank} spatial size(s) for {op.Name()} ({(rank == 1 ? "w" : rank == 2 ? "h, w" : "d, h, w")})";
            return false;
        }
        int[]? Numbers(string raw, char separator, int count, string what, out string problem)
        {
            problem = "";
            string[] parts = raw.Split(separator);
            if (parts.Length != count)
            {
                problem = $"case id '{text}' gives {parts.Length} value(s) of {what} but {op.Name()} needs {count}";
                return null;
            }
            var values = new int[count];
            for (int i = 0; i < count; i++)
                if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) || values[i] > MaxDimension)
                {
                    problem = $"case id '{text}' has the number {parts[i]}, larger than {MaxDimension}";
                    return null;
                }
            return values;
        }
        string paddingText = m.Groups["p"].Value;
        var padding = paddingText switch { "same" => CasePadding.Same, "valid" => CasePadding.Valid, _ => CasePadding.Explicit };
        string sizes = string.Join(",", new[] { "n", "c", "o", "g", "D", "H", "W" }.Where(g => m.Groups[g].Success).Select(g => m.Groups[g].Value));
        int[]? single = Numbers(sizes, ',', 4 + rank, "sizes", out error);
        int[]? kernel = single is null ? null : Numbers(m.Groups["k"].Value, 'x', rank, "kernel size", out error);
        int[]? stride = kernel is null ? null : Numbers(m.Groups["s"].Value, 'x', rank, "stride", out error);
        int[]? dilation = stride is null ? null : Numbers(m.Groups["d"].Value, 'x', rank, "dilation", out error);
        int[]? pads = dilation is null ? null
            : padding == CasePadding.Explicit ? Numbers(paddingText, ',', 2 * rank, "padding (before and after each axis)", out error) : new int[2 * rank];
        int[]? outputPadding = pads is null ? null : m.Groups["op2"].Success ? Numbers(m.Groups["op2"].Value, 'x', rank, "output padding", out error) : new int[rank];
        if (outputPadding is null)
            return false;
        int n = single![0], cin = single[1], cout = single[2], groups = single[3];
        int[] spatial = single[4..];
        if (!TryParseTail(m, text, out var tail, out error))
            return false;
        // Axis i of rank r sits at position i + 3 - r of (depth, height, width); absent axes keep the neutral values.
        int At(int[] values, int axis, int neutral) => axis - (3 - rank) is var i && i >= 0 ? values[i] : neutral;
        int Before(int axis) => axis - (3 - rank) is var i && i >= 0 ? pads![2 * i] : 0;
        int After(int axis) => axis - (3 - rank) is var i && i >= 0 ? pads![2 * i + 1] : 0;
        var shape = new CaseShape(n, cin, At(spatial, 1, 1), At(spatial, 2, 1), cout, At(kernel!, 1, 1), At(kernel!, 2, 1));
        var geometry = new CaseGeometry
        {
            StrideH = At(stride!, 1, 1), StrideW = At(stride!, 2, 1),
            PadTop = Before(1), PadBottom = After(1), PadLeft = Before(2), PadRight = After(2),
            DilationH = At(dilation!, 1, 1), DilationW = At(dilation!, 2, 1), Groups = groups,
        };
        var family = new CaseFamily
        {
            Op = op,
            Mode = CaseOps.ParseMode(m.Groups["mode"].Value),
            Padding = padding,
            Batched = !m.Groups["ub"].Success,
            OutputPaddingD = At(outputPadding, 0, 0), OutputPaddingH = At(outputPadding, 1, 0), OutputPaddingW = At(outputPadding, 2, 0),
            D = At(spatial, 0, 1), KD = At(kernel!, 0, 1), StrideD = At(stride!, 0, 1), DilationD = At(dilation!, 0, 1),
            PadFront = Before(0), PadBack = After(0),
        };
        (geometry, family) = family.WithImpliedPads(shape, geometry);
        var parsed = new CaseConfig(shape, geometry, tail.Bias, tail.Dtype, tail.Activation, tail.Clip, tail.Seed) { Values = tail.Values, Order = tail.Order, Family = family };
        return Accept(text, parsed, out config, out error);
    }

    [GeneratedRegex(@"^(?<op>conv[123]d|conv_transpose[123]d)-n(?<n>\d+)c(?<c>\d+)(d(?<D>\d+))?(h(?<H>\d+))?w(?<W>\d+)-o(?<o>\d+)k(?<k>\d+(x\d+){0,2})-s(?<s>\d+(x\d+){0,2})-p(?<p>same|valid|\d+(,\d+){1,5})(-op(?<op2>\d+(x\d+){0,2}))?-d(?<d>\d+(x\d+){0,2})-g(?<g>\d+)(-(?<mode>reflect|replicate|circular))?(?<ub>-ub)?-f(?<f>32|64)(?<nb>-nb)?(-(?<act>relu|lrelu|sigmoid|tanh))?(-clip(?<clip>[0-9][0-9.Ee+-]*))?(-(?<values>sub|max|zero|equal|nonfinite|infw))?(?<order>-order2)?-v(?<seed>\d+)$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex FamilyPattern();
}

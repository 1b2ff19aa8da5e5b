using ConvRef;

namespace ConvCompare.Cases;

/// <summary>Which dtypes a sweep uses.</summary>
internal enum DtypeChoice
{
    /// <summary>Every case in float32.</summary>
    F32,
    /// <summary>Every case in float64.</summary>
    F64,
    /// <summary>Each case draws its dtype (half and half).</summary>
    Both,
}

/// <summary>Settings of a <see cref="CaseGenerator"/>.</summary>
internal sealed record CaseGeneratorOptions
{
    /// <summary>Which dtypes to use. Forcing one dtype changes only the dtype: the rest of every case stays as drawn.</summary>
    public DtypeChoice Dtypes { get; init; } = DtypeChoice.Both;

    /// <summary>Largest forward cost (multiply-adds) of an edge or special case; larger draws are redrawn. Keeps a sweep's time predictable.</summary>
    public long MaxMultiplyAdds { get; init; } = 150_000;

    /// <summary>Which tier(s) the cases come from.</summary>
    public CaseTier Tier { get; init; } = CaseTier.Mixed;

    /// <summary>
    /// Which cases are checked to second order (<see cref="CaseConfig.Order"/>): null for the default share
    /// (<see cref="SecondOrderCases"/> cases of their own after the others), 1 for none, 2 for every case
    /// with uniform values.
    /// </summary>
    public int? Order { get; init; }

    /// <summary>
    /// With <see cref="Order"/> null, second-order conv2d cases drawn after the sweep's own and its family cases,
    /// from a stream of their own, so that every other case stays exactly what it was; none by default (<c>run</c> sets its own default).
    /// </summary>
    public int SecondOrderCases { get; init; }

    /// <summary>
    /// Cases of the convolution family (<see cref="FamilyDraw"/>) drawn after the sweep's own cases, from a
    /// stream of their own, so that the first cases stay exactly what they were; none by default (<c>run</c> sets its own default).
    /// With <see cref="Order"/> 2 they are checked to second order as every other case is.
    /// </summary>
    public int FamilyCases { get; init; }

    /// <summary>
    /// With <see cref="Order"/> null or 2, family cases checked to second order, drawn after every other case of the sweep
    /// from a stream of their own (the operations and padding modes in turn), so that every other case stays exactly what it was;
    /// none by default (<c>run</c> sets its own default).
    /// </summary>
    public int FamilySecondOrderCases { get; init; }

    /// <summary>
    /// Special-value cases with infinite weights (<see cref="ValueKind.InfiniteWeights"/>) drawn after every other case
    /// of the sweep, from a stream of their own, so that every other case stays exactly what it was; none by default
    /// (<c>run</c> sets its own default).
    /// </summary>
    public int InfiniteWeightCases { get; init; }

    /// <summary>When set, every case of the sweep is a family case of this operation (the padding modes in turn), and <see cref="FamilyCases"/> is ignored.</summary>
    public CaseOp? Op { get; init; }

    /// <summary>The defaults.</summary>
    public static CaseGeneratorOptions Default { get; } = new();
}

/// <summary>
/// Draws valid layer configurations from a seed, in three tiers (<see cref="CaseTier"/>). Edge cases
/// are small layers deliberately near the edges of validity: strides that leave rows uncovered,
/// kernels as large as the padded input, 1x1 kernels, single-row inputs, padding wider than the
/// kernel, grouped and depthwise layers. Special-value cases are edge shapes with the values of one
/// <see cref="ValueKind"/>; realistic cases are <see cref="RealisticLayers"/>. Case k depends only on
/// (seed, k, tier), so shards and <c>check</c> reproduce it without drawing the others; SplitMix64
/// makes it the same on every machine. In the mixed tier an edge case k is the same case as case k
/// of the edge tier.
/// </summary>
internal sealed class CaseGenerator(ulong seed, CaseGeneratorOptions? options = null)
{
    private const int MaxAttempts = 10_000;
    private readonly CaseGeneratorOptions _options = options ?? CaseGeneratorOptions.Default;

    private enum AxisEdge { General, Uncovered, Fills, OneTap, SingleRow, WidePadding }

    /// <summary>
    /// In the mixed tier, case k is a realistic layer when k mod this is this - 1, family k / this mod
    /// 6: the default 2000 cases hold four (cases 499, 999, 1499, 1999: the first four families of
    /// <see cref="RealisticLayers"/>), a small share that keeps the default sweep well under a minute.
    /// </summary>
    public const int RealisticEvery = 500;

    /// <summary>In the mixed tier, case k (not realistic) has special values when k mod this is this - 1, kind k / this mod 5: one case in ten.</summary>
    public const int SpecialEvery = 10;

    /// <summary>The seed of the sweep.</summary>
    public ulong Seed { get; } = seed;

    /// <summary>The tier case <paramref name="index"/> belongs to (never <see cref="CaseTier.Mixed"/>).</summary>
    public CaseTier TierOf(int index) => _options.Tier switch
    {
        CaseTier.Mixed when index % RealisticEvery == RealisticEvery - 1 => CaseTier.Realistic,
        CaseTier.Mixed when index % SpecialEvery == SpecialEvery - 1 => CaseTier.Special,
        CaseTier.Mixed => CaseTier.Edge,
        var tier => tier,
    };

    /// <summary>Case <paramref name="index"/> of the sweep.</summary>
    public CaseConfig Generate(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var rng = new SplitMix64(SplitMix64.Derive(Seed, (ulong)index));
        var tier = TierOf(index);
        // The mixed tier numbers its realistic and special cases apart, so each kind recurs evenly in it.
        int ordinal = _options.Tier == CaseTier.Mixed ? index / (tier == CaseTier.Realistic ? RealisticEvery : SpecialEvery) : index;
        if (tier == CaseTier.Realistic)
            return WithOrder(RealisticLayers.Draw(ordinal % RealisticLayers.Count, ref rng, ForcedDtype(rng.Chance(0.5) ? CaseDtype.F32 : CaseDtype.F64)));
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var c = Draw(ref rng);
            if (tier == CaseTier.Special)
                c = WithSpecialValues(c, ValueKinds.Special[ordinal % ValueKinds.Special.Count]);
            if (c.Problem is null && c.MultiplyAdds <= _options.MaxMultiplyAdds)
                return WithOrder(c);
        }
        throw new InvalidOperationException($"no case within {_options.MaxMultiplyAdds} multiply-adds after {MaxAttempts} draws; raise the budget");
    }

    /// <summary>Case <paramref name="c"/> checked to second order when <see cref="CaseGeneratorOptions.Order"/> is 2 (uniform values only).</summary>
    private CaseConfig WithOrder(CaseConfig c) =>
        _options.Order == 2 && c.Values == ValueKind.Uniform ? SecondOrder(c) : c;

    /// <summary>
    /// Valid case <paramref name="c"/> to second order. Drawn with clipping, it clips at a value placed in a gap of |dJ/dw| wider
    /// than the rounding bounds (<see cref="ClipGap.Place"/>), or not at all where it has none, so every case drawn
    /// without clipping keeps its id.
    /// </summary>
    private static CaseConfig SecondOrder(CaseConfig c) =>
        c.Clip is null ? c with { Order = 2 } : c with { Order = 2, Clip = ClipGap.Place(c) };

    /// <summary>
    /// The cases of a sweep of <paramref name="count"/> that belong to <paramref name="shard"/>, with their indices:
    /// cases 0..count-1, then (<see cref="CaseGeneratorOptions.FamilyCases"/>) family cases count, count + 1, ...,
    /// then (<see cref="CaseGeneratorOptions.SecondOrderCases"/>) second-order cases,
    /// then (<see cref="CaseGeneratorOptions.FamilySecondOrderCases"/>) second-order family cases;
    /// with <see cref="CaseGeneratorOptions.Op"/>, family cases of that operation 0..count-1 alone (to second order with
    /// <see cref="CaseGeneratorOptions.Order"/> 2).
    /// </summary>
    public IEnumerable<(int Index, CaseConfig Case)> Sweep(int count, Shard shard)
    {
        if (_options.Op is not null)
        {
            for (int i = 0; i < count; i++)
                if (shard.Contains(i))
                    yield return (i, WithOrder(GenerateFamily(i)));
            yield break;
        }
        for (int i = 0; i < count; i++)
            if (shard.Contains(i))
                yield return (i, Generate(i));
        for (int i = 0; i < _options.FamilyCases; i++)
            if (shard.Contains(count + i))
                yield return (count + i, WithOrder(GenerateFamily(i)));
        for (int i = 0; i < SecondOrderShare; i++)
            if (shard.Contains(count + _options.FamilyCases + i))
                yield return (count + _options.FamilyCases + i, GenerateSecondOrder(i));
        int before = count + _options.FamilyCases + SecondOrderShare;
        for (int i = 0; i < FamilySecondOrderShare; i++)
            if (shard.Contains(before + i))
                yield return (before + i, GenerateFamilySecondOrder(i));
        before += FamilySecondOrderShare;
        for (int i = 0; i < _options.InfiniteWeightCases; i++)
            if (shard.Contains(before + i))
                yield return (before + i, GenerateInfiniteWeights(i));
    }

    /// <summary>How many cases <see cref="Sweep"/> holds for <paramref name="count"/>: the family, second-order and infinite-weight cases included.</summary>
    public int SweepSize(int count) => _options.Op is null
        ? count + _options.FamilyCases + SecondOrderShare + FamilySecondOrderShare + _options.InfiniteWeightCases
        : count;

    private int SecondOrderShare => _options.Order is null ? _options.SecondOrderCases : 0;

    private int FamilySecondOrderShare => _options.Order == 1 ? 0 : _options.FamilySecondOrderCases;

    /// <summary>The stream the appended second-order cases draw from, apart from every other kind's.</summary>
    private const ulong SecondOrderStream = 0x6F7264657232UL;

    /// <summary>Appended second-order case <paramref name="ordinal"/>: an edge-tier conv2d layer with uniform values, drawn from a stream of its own.</summary>
    public CaseConfig GenerateSecondOrder(int ordinal)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
        var rng = new SplitMix64(SplitMix64.Derive(Seed ^ SecondOrderStream, (ulong)ordinal));
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var c = Draw(ref rng);
            if (c.Problem is null && c.MultiplyAdds <= _options.MaxMultiplyAdds)
                return SecondOrder(c);
        }
        throw new InvalidOperationException($"no second-order case within {_options.MaxMultiplyAdds} multiply-adds after {MaxAttempts} draws; raise the budget");
    }

    /// <summary>The stream the appended infinite-weight cases draw from, apart from every other kind's.</summary>
    private const ulong InfiniteWeightStream = 0x696E6677UL;

    /// <summary>
    /// Appended infinite-weight case <paramref name="ordinal"/>: an edge-tier layer with
    /// <see cref="ValueKind.InfiniteWeights"/> and no padding, every other ordinal a depthwise layer (one input
    /// and one output channel per group, the vectorized engine's path of its own), drawn from a stream of its
    /// own. Ordinals 0 and 1 of every 4 have a stride above 1 on at least one axis, so that dJ/da is a scatter
    /// of the error (col2im); ordinals 2 and 3 stride 1, where an engine that correlates δ padded with zeros
    /// would turn an infinite tap over that padding into NaN where the definition's sum is finite.
    /// </summary>
    public CaseConfig GenerateInfiniteWeights(int ordinal)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
        var rng = new SplitMix64(SplitMix64.Derive(Seed ^ InfiniteWeightStream, (ulong)ordinal));
        bool depthwise = ordinal % 2 == 0, strided = ordinal % 4 < 2;
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var c = Draw(ref rng);
            var g = c.Geometry;
            if (depthwise != (g.Groups > 1 && c.Shape.Cin == g.Groups && c.Shape.Cout == g.Groups) || strided == (g.StrideH == 1 && g.StrideW == 1))
                continue;
            c = WithSpecialValues(c, ValueKind.InfiniteWeights) with { Geometry = g with { PadTop = 0, PadBottom = 0, PadLeft = 0, PadRight = 0 } };
            if (c.Problem is null && c.MultiplyAdds <= _options.MaxMultiplyAdds)
                return c;
        }
        throw new InvalidOperationException($"no infinite-weight case within {_options.MaxMultiplyAdds} multiply-adds after {MaxAttempts} draws; raise the budget");
    }

    /// <summary>The stream the family cases draw from, apart from the edge, special and realistic cases'.</summary>
    private const ulong FamilyStream = 0x66616D696C79UL;

    /// <summary>The stream the appended second-order family cases draw from, apart from every other kind's.</summary>
    private const ulong FamilySecondOrderStream = 0x66616D32UL;

    /// <summary>
    /// Appended second-order family case <paramref name="ordinal"/>: the operations in turn, and for each convolution
    /// the padding modes in turn, drawn as <see cref="GenerateFamily"/> draws but from a stream of their own (clipping as <see cref="SecondOrder"/> places it).
    /// </summary>
    public CaseConfig GenerateFamilySecondOrder(int ordinal)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
        var rng = new SplitMix64(SplitMix64.Derive(Seed ^ FamilySecondOrderStream, (ulong)ordinal));
        var op = CaseOps.All[ordinal % CaseOps.All.Count];
        var mode = CaseOps.Modes[ordinal / CaseOps.All.Count % CaseOps.Modes.Count];
        return SecondOrder(FamilyDraw.Draw(ref rng, op, mode, ForcedDtype));
    }

    /// <summary>
    /// Family case <paramref name="ordinal"/>: the operations in turn (or <see cref="CaseGeneratorOptions.Op"/>), and for each
    /// convolution the padding modes in turn, so every operation and mode recurs evenly; drawn from a stream of its own.
    /// </summary>
    public CaseConfig GenerateFamily(int ordinal)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
        var rng = new SplitMix64(SplitMix64.Derive(Seed ^ FamilyStream, (ulong)ordinal));
        var op = _options.Op ?? CaseOps.All[ordinal % CaseOps.All.Count];
        int turn = _options.Op is null ? ordinal / CaseOps.All.Count : ordinal;
        var mode = CaseOps.Modes[turn % CaseOps.Modes.Count];
        return FamilyDraw.Draw(ref rng, op, mode, ForcedDtype);
    }

    private CaseConfig Draw(ref SplitMix64 rng)
    {
        int edge = rng.Between(0, 99);
        var hEdge = edge switch
        {
            < 30 => AxisEdge.General,
            < 44 => AxisEdge.Uncovered,
            < 56 => AxisEdge.Fills,
            < 66 => AxisEdge.OneTap,
            < 76 => AxisEdge.SingleRow,
            < 86 => AxisEdge.WidePadding,
            _ => AxisEdge.General,
        };
        bool depthwise = edge >= 86;
        var wEdge = rng.Chance(0.5) ? hEdge : AxisEdge.General;
        if (hEdge == AxisEdge.OneTap)
            wEdge = AxisEdge.OneTap;

        int n = Skewed(ref rng, 1, 2, 4, 16);
        int groups, cin, cout;
        if (depthwise)
        {
            cin = rng.Between(1, 8);
            groups = cin;
            cout = cin * rng.Between(1, 2);
        }
        else
        {
            groups = rng.Chance(0.2) ? rng.Between(2, 4) : 1;
            int widest = rng.Chance(0.05) ? 32 : 16;
            cin = groups * rng.Between(1, Math.Max(1, widest / groups));
            cout = groups * rng.Between(1, Math.Max(1, widest / groups));
        }

        var (h, kh, sh, dh, pt, pb) = DrawAxis(ref rng, hEdge);
        var (w, kw, sw, dw, pl, pr) = DrawAxis(ref rng, wEdge);
        bool bias = rng.Chance(0.75);
        var activation = DrawActivation(ref rng);
        bool clip = rng.Chance(0.25);
        var dtype = ForcedDtype(rng.Chance(0.5) ? CaseDtype.F32 : CaseDtype.F64);
        ulong valueSeed = (ulong)rng.Between(0, 999_999);
        var config = new CaseConfig(
            Shape: new(N: n, Cin: cin, H: h, W: w, Cout: cout, KH: kh, KW: kw),
            Geometry: new()
            {
                StrideH = sh, StrideW = sw, PadTop = pt, PadBottom = pb, PadLeft = pl, PadRight = pr,
                DilationH = dh, DilationW = dw, Groups = groups,
            },
            Bias: bias, Dtype: dtype, Activation: activation, Clip: null, ValueSeed: valueSeed);
        return clip && config.Problem is null ? config with { Clip = ClipValueFor(config) } : config;
    }

    /// <summary>
    /// An edge shape with special values: no activation and no clipping (the values are a's own). Non-finite
    /// values keep the drawn stride and dilation, so an infinity of a meets the zeros that stride and dilation
    /// put into the derivation's planes, and an implementation that multiplies them is caught.
    /// </summary>
    private static CaseConfig WithSpecialValues(CaseConfig c, ValueKind kind) =>
        c with { Activation = ActivationKind.Identity, Clip = null, Values = kind };

    /// <summary>The activation of the layer below: none half the time, else one of the four.</summary>
    internal static ActivationKind DrawActivation(ref SplitMix64 rng) => rng.Between(0, 7) switch
    {
        4 => ActivationKind.ReLU,
        5 => ActivationKind.LeakyReLU,
        6 => ActivationKind.Sigmoid,
        7 => ActivationKind.Tanh,
        _ => ActivationKind.Identity,
    };

    private CaseDtype ForcedDtype(CaseDtype drawn) => _options.Dtypes switch
    {
        DtypeChoice.F32 => CaseDtype.F32,
        DtypeChoice.F64 => CaseDtype.F64,
        _ => drawn,
    };

    /// <summary>
    /// A power of two between half and one standard deviation of a dJ/dw element (a sum of
    /// K products (<see cref="Comparison.ReductionLengths.Dw"/>, N*H_out*W_out for conv2d) of two U(-1,1) values, standard deviation sqrt(K)/3), so clipping
    /// changes a good share of the elements; powers of two are exact in both dtypes.
    /// </summary>
    internal static double ClipValueFor(CaseConfig c)
    {
        double sigma = Math.Sqrt((double)Comparison.ReductionLengths.Of(c).Dw) / 3;
        return Math.Pow(2, Math.Floor(Math.Log2(sigma)));
    }

    /// <summary>One axis: (size, kernel, stride, dilation, padding before, padding after).</summary>
    private static (int Size, int K, int S, int D, int P0, int P1) DrawAxis(ref SplitMix64 rng, AxisEdge edge)
    {
        int size = Skewed(ref rng, 1, 8, 16, 32);
        int k = rng.Between(1, 7);
        int s = rng.Chance(0.5) ? 1 : rng.Between(2, 4);
        int d = rng.Chance(0.7) ? 1 : rng.Between(2, 3);
        int p0 = rng.Chance(0.4) ? 0 : rng.Between(0, 3);
        int p1 = rng.Chance(0.4) ? 0 : rng.Between(0, 3);
        switch (edge)
        {
            case AxisEdge.OneTap:
                k = 1;
                break;
            case AxisEdge.SingleRow:
                size = 1;
                d = 1;
                k = rng.Between(1, 1 + p0 + p1);
                break;
            case AxisEdge.WidePadding:
                k = rng.Between(1, 2);
                d = 1;
                p0 = rng.Between(k + 1, 3);
                break;
            case AxisEdge.Fills:
                k = rng.Between(2, 7);
                p0 = Math.Min(p0, d * (k - 1) / 2);
                p1 = Math.Min(p1, d * (k - 1) / 2);
                size = d * (k - 1) + 1 - p0 - p1;
                break;
            case AxisEdge.Uncovered:
                s = rng.Between(2, 4);
                break;
        }
        int extent = d * (k - 1) + 1;
        if (extent > size + p0 + p1)
            size = extent - p0 - p1;
        if (edge == AxisEdge.Uncovered)
            while ((size + p0 + p1 - extent) % s == 0)
                size++;
        return (size, k, s, d, p0, p1);
    }

    /// <summary>Mostly small values: 60% in [min, small], 30% in (small, medium], 10% in (medium, max].</summary>
    private static int Skewed(ref SplitMix64 rng, int min, int small, int medium, int max)
    {
        int band = rng.Between(0, 9);
        return band < 6 ? rng.Between(min, small) : band < 9 ? rng.Between(small + 1, medium) : rng.Between(medium + 1, max);
    }
}

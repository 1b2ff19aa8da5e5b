using System.Runtime.CompilerServices;
using ConvCompare.Cases;
using ConvCompare.Numerics;
using ConvRef;

namespace ConvCompare.Oracles;

/// <summary>
/// The definition of every operation of the convolution family as a list of its products, the harness's
/// own code for a family case's magnitudes, its arbitrating reference and the forward pass its numeric
/// gradient check differentiates (the counterpart of <see cref="DefinitionSums"/> and
/// <see cref="CompensatedReference"/> for the original grammar's conv2d). Each product is a triple
/// (output element, input element, weight element), and every quantity is read off the one bilinear form
/// y = Σ_terms a[in] w[wt] (+ b):
/// <list type="bullet">
/// <item>y[out] = Σ a[in] w[wt] over the terms of out, then + b[o] (Eq 1);</item>
/// <item>dJ/da[in] = Σ dy[out] w[wt] over the terms of in (Eq 5), so a padded border that copies an input
/// element adds every copy's gradient into it: no fold step to forget;</item>
/// <item>dJ/dw[wt] = Σ dy[out] a[in] over the terms of wt (Eq 3); dJ/db[o] = Σ dy over o's outputs (Eq 9);</item>
/// <item>the double backward of a case of order 2, the same terms with the upstream gradients gg in the places the
/// first order's factors held (<see cref="DoubleBackward"/>).</item>
/// </list>
/// It shares no code with ConvRef (no padded copy, no Rot180, no interleaving, no full convolution) nor with TorchSharp.
/// </summary>
/// <remarks>
/// <para><b>The terms.</b> A convolution (1-, 2- or 3-D) has, for each sample n, output channel o, output
/// position x, input channel c of o's group and kernel tap t, the term whose input position is, per axis,
/// p = x·stride + t·dilation - before, taken through the padding mode: inside the input it is p; outside,
/// zeros gives no term, reflect mirrors without repeating the edge (-p, or 2(size - 1) - p), replicate
/// clamps to the edge, circular wraps (p mod size). A transposed convolution has, for each sample n, input
/// channel c, input position i, output channel o of c's group and tap t, the term whose output position is
/// i·stride + t·dilation - before per axis, when it lies inside the output (whose size counts output_padding):
/// PyTorch's definition of <c>conv_transpose</c> as the adjoint of the convolution.</para>
/// <para><b>Fixed order.</b> Every element sums its terms in the order of the loops above, the bias last,
/// one rounding per product and per addition (no fused multiply-add, no vectors), so its value is the same
/// on every machine; there are no structural zeros, so a NaN or infinity reaches exactly the elements whose
/// sums contain it.</para>
/// </remarks>
internal static class FamilySums
{
    /// <summary>One product of the bilinear form: flat indices into y, a and w.</summary>
    internal readonly record struct Term(int Output, int Input, int Weight);

    private static readonly ConditionalWeakTable<CaseConfig, Term[]> Cache = [];

    /// <summary>Every product of <paramref name="c"/>'s definition, in the order of the class's loops.</summary>
    public static Term[] Terms(CaseConfig c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return Cache.GetValue(c, Enumerate);
    }

    /// <summary>y = Σ a w over each output's terms, then + b (b empty for none).</summary>
    public static double[] Output(CaseConfig c, ReadOnlySpan<double> a, ReadOnlySpan<double> w, ReadOnlySpan<double> b)
    {
        var y = new double[Count(c.OutputShape)];
        foreach (var t in Terms(c))
            y[t.Output] += a[t.Input] * w[t.Weight];
        AddBias(c, y, b);
        return y;
    }

    /// <summary>y += b[o] on every output of channel o; nothing when b is empty.</summary>
    public static void AddBias(CaseConfig c, Span<double> y, ReadOnlySpan<double> b)
    {
        if (b.IsEmpty)
            return;
        int plane = y.Length / (PerSample(c) * c.Shape.Cout);
        for (int i = 0; i < y.Length; i++)
            y[i] += b[i / plane % c.Shape.Cout];
    }

    /// <summary>dJ/da = Σ dy w over each input element's terms, every border copy included.</summary>
    public static double[] InputGradient(CaseConfig c, ReadOnlySpan<double> dy, ReadOnlySpan<double> w)
    {
        var dx = new double[Count(c.InputShape)];
        foreach (var t in Terms(c))
            dx[t.Input] += dy[t.Output] * w[t.Weight];
        return dx;
    }

    /// <summary>dJ/dw = Σ dy a over each weight's terms.</summary>
    public static double[] WeightGradient(CaseConfig c, ReadOnlySpan<double> a, ReadOnlySpan<double> dy)
    {
        var dw = new double[Count(c.WeightShape)];
        foreach (var t in Terms(c))
            dw[t.Weight] += dy[t.Output] * a[t.Input];
        return dw;
    }

    /// <summary>dJ/db[o] = Σ dy over the outputs of channel o, in index order.</summary>
    public static double[] BiasGradient(CaseConfig c, ReadOnlySpan<double> dy)
    {
        var db = new double[c.Shape.Cout];
        int plane = dy.Length / (PerSample(c) * c.Shape.Cout);
        for (int i = 0; i < dy.Length; i++)
            db[i / plane % c.Shape.Cout] += dy[i];
        return db;
    }

    /// <summary>
    /// The tensor <paramref name="kind"/> of the case with every sum accumulated by Dot2 (<see cref="CompensatedDot"/>):
    /// the arbiter, as accurate as twice float64; dJ/da times g'(z^(l-1)) with an activation, dJ/dw clamped when the case clips.
    /// </summary>
    public static Tensor<double> Compensated(CaseConfig c, CaseInputs x, TensorKind kind)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(x);
        var (a, w, dy) = (x.Input.Data, x.Weights.Data, x.Upstream.Data);
        var (shape, acc) = kind switch
        {
            TensorKind.Y => (c.OutputShape, Sums(c, c.OutputShape, Slot.Output, new Pair(a, Slot.Input, w, Slot.Weight))),
            TensorKind.Dx => (c.InputShape, Sums(c, c.InputShape, Slot.Input, new Pair(dy, Slot.Output, w, Slot.Weight))),
            TensorKind.Dw => (c.WeightShape, Sums(c, c.WeightShape, Slot.Weight, new Pair(dy, Slot.Output, a, Slot.Input))),
            TensorKind.Db => ([c.Shape.Cout], ChannelSums(c, dy)),
            _ => throw new ArgumentException($"{kind.Name()} is a second-order tensor: see {nameof(DoubleBackward)}", nameof(kind)),
        };
        if (kind == TensorKind.Y && x.Bias is { } b)
            AddBias(c, acc, b.Data);
        var result = new double[acc.Length];
        for (int i = 0; i < acc.Length; i++)
        {
            double value = acc[i].Value;
            if (kind == TensorKind.Dx && x.PreviousZ is { } z)
                value *= ActivationDefinition.Derivative(c.Activation, z.Data[i]);
            if (kind == TensorKind.Dw && c.Clip is { } clip)
                value = Math.Clamp(value, -clip, clip);
            result[i] = value;
        }
        return new Tensor<double>(shape, result);
    }

    /// <summary>
    /// The double backward's tensor <paramref name="kind"/> of a family case of order 2, read off the same terms with
    /// Dot2: L = &lt;ĝ_a, dJ/da&gt; + &lt;gg_w, dJ/dw&gt; + &lt;gg_b, dJ/db&gt; sums, over the terms, ĝ_a[in] dy[out] w[wt] +
    /// gg_w[wt] dy[out] a[in] (and gg_b[o] dy[out]), so each gradient collects the terms holding its variable:
    /// dL/da[in] = Σ dy[out] gg_w[wt] (<see cref="TensorKind.D2x"/>: Eq 5 with gg_w as the kernel, every border copy
    /// folded back as for dJ/da); dL/dw[wt] = Σ dy[out] ĝ_a[in] (<see cref="TensorKind.D2w"/>: Eq 3 with ĝ_a as the input);
    /// dL/d(dy)[out] = Σ (ĝ_a[in] w[wt] + a[in] gg_w[wt]), then + gg_b[o] (<see cref="TensorKind.D2dy"/>: Eq 1 twice and Eq 9),
    /// one sum rounded once.
    /// </summary>
    /// <param name="c">The case.</param>
    /// <param name="x">Its values, with <see cref="CaseInputs.SecondOrder"/>.</param>
    /// <param name="scaledGgA">ĝ_a = gg_a .* g'(z^(l-1)), gg_a itself without an activation.</param>
    /// <param name="kind">A second-order tensor.</param>
    public static Tensor<double> DoubleBackward(CaseConfig c, CaseInputs x, Tensor<double> scaledGgA, TensorKind kind)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(scaledGgA);
        var gg = x.SecondOrder ?? throw new ArgumentException($"case {CaseId.Format(c)} is not of order 2", nameof(x));
        var (a, w, dy, ggA, ggW) = (x.Input.Data, x.Weights.Data, x.Upstream.Data, scaledGgA.Data, gg.Weights.Data);
        var (shape, acc) = kind switch
        {
            TensorKind.D2x => (c.InputShape, Sums(c, c.InputShape, Slot.Input, new Pair(dy, Slot.Output, ggW, Slot.Weight))),
            TensorKind.D2w => (c.WeightShape, Sums(c, c.WeightShape, Slot.Weight, new Pair(dy, Slot.Output, ggA, Slot.Input))),
            TensorKind.D2dy => (c.OutputShape, Sums(c, c.OutputShape, Slot.Output,
                new Pair(ggA, Slot.Input, w, Slot.Weight), new Pair(a, Slot.Input, ggW, Slot.Weight))),
            _ => throw new ArgumentException($"{kind.Name()} is not a second-order tensor", nameof(kind)),
        };
        if (kind == TensorKind.D2dy && gg.Bias is { } ggB)
            AddBias(c, acc, ggB.Data);
        return new Tensor<double>(shape, Array.ConvertAll(acc, s => s.Value));
    }

    /// <summary>Which element of a term a factor or a sum belongs to.</summary>
    private enum Slot { Output, Input, Weight }

    /// <summary>One product per term: <c>Left</c> at the term's <c>LeftSlot</c> times <c>Right</c> at its <c>RightSlot</c>.</summary>
    private readonly record struct Pair(double[] Left, Slot LeftSlot, double[] Right, Slot RightSlot);

    private static int At(Term t, Slot slot) => slot switch { Slot.Output => t.Output, Slot.Input => t.Input, _ => t.Weight };

    /// <summary>One Dot2 sum per element of the <paramref name="sum"/> slot: at each term in order, the product of each pair in turn.</summary>
    private static CompensatedDot[] Sums(CaseConfig c, int[] shape, Slot sum, params Pair[] pairs)
    {
        var acc = new CompensatedDot[Count(shape)];
        foreach (var t in Terms(c))
            foreach (var p in pairs)
                acc[At(t, sum)].AddProduct(p.Left[At(t, p.LeftSlot)], p.Right[At(t, p.RightSlot)]);
        return acc;
    }

    /// <summary>Dot2 of the values of each output channel, in index order (dJ/db).</summary>
    private static CompensatedDot[] ChannelSums(CaseConfig c, double[] dy)
    {
        var acc = new CompensatedDot[c.Shape.Cout];
        int plane = dy.Length / (PerSample(c) * c.Shape.Cout);
        for (int i = 0; i < dy.Length; i++)
            acc[i / plane % c.Shape.Cout].Add(dy[i]);
        return acc;
    }

    /// <summary>b[o] added last to every sum of output channel o.</summary>
    private static void AddBias(CaseConfig c, CompensatedDot[] acc, double[] b)
    {
        int plane = acc.Length / (PerSample(c) * c.Shape.Cout);
        for (int i = 0; i < acc.Length; i++)
            acc[i].Add(b[i / plane % c.Shape.Cout]);
    }

    /// <summary>Samples in the batch: N, or 1 for an unbatched input.</summary>
    private static int PerSample(CaseConfig c) => c.Family is { Batched: false } ? 1 : c.Shape.N;

    private static int Count(int[] shape) => shape.Aggregate(1, (p, d) => p * d);

    private static Term[] Enumerate(CaseConfig c)
    {
        var axes = c.Axes;
        int rank = axes.Count;
        bool transposed = c.Op.Transposed();
        int[] input = [.. axes.Select(a => (int)a.Input)], output = [.. axes.Select(a => (int)a.Output)], kernel = [.. axes.Select(a => (int)a.Kernel)];
        int inputPlane = input.Aggregate(1, (p, v) => p * v), outputPlane = output.Aggregate(1, (p, v) => p * v), taps = kernel.Aggregate(1, (p, v) => p * v);
        int groups = c.Geometry.Groups, inPerGroup = c.Shape.Cin / groups, outPerGroup = c.Shape.Cout / groups;
        var mode = c.PaddingMode;
        var terms = new List<Term>();
        var from = new int[rank];
        var tap = new int[rank];
        // The positions the terms run over: the output for a convolution, the input for a transposed one.
        int[] walked = transposed ? input : output;
        int walkedPlane = transposed ? inputPlane : outputPlane;
        for (int n = 0; n < PerSample(c); n++)
            for (int channel = 0; channel < (transposed ? c.Shape.Cin : c.Shape.Cout); channel++)
                for (int position = 0; position < walkedPlane; position++)
                {
                    Unravel(position, walked, from);
                    for (int partner = 0; partner < (transposed ? outPerGroup : inPerGroup); partner++)
                        for (int t = 0; t < taps; t++)
                        {
                            Unravel(t, kernel, tap);
                            int reached = 0;
                            bool inside = true;
                            for (int i = 0; i < rank && inside; i++)
                            {
                                long p = axes[i].Position(from[i], tap[i]);
                                int size = transposed ? output[i] : input[i];
                                long mapped = transposed ? (p >= 0 && p < size ? p : -1) : Border(p, size, mode);
                                inside = mapped >= 0;
                                reached = reached * size + (int)mapped;
                            }
                            if (!inside)
                                continue;
                            if (transposed)
                            {
                                int o = channel / inPerGroup * outPerGroup + partner;
                                terms.Add(new Term(
                                    (n * c.Shape.Cout + o) * outputPlane + reached,
                                    (n * c.Shape.Cin + channel) * inputPlane + position,
                                    (channel * outPerGroup + partner) * taps + t));
                            }
                            else
                            {
                                int source = channel / outPerGroup * inPerGroup + partner;
                                terms.Add(new Term(
                                    (n * c.Shape.Cout + channel) * outputPlane + position,
                                    (n * c.Shape.Cin + source) * inputPlane + reached,
                                    (channel * inPerGroup + partner) * taps + t));
                            }
                        }
                }
        return [.. terms];
    }

    /// <summary>
    /// The input position a padded position <paramref name="p"/> holds (PyTorch's <c>pad</c>), or -1 for a
    /// zero: reflect mirrors at the edge without repeating it, replicate repeats the edge, circular wraps.
    /// </summary>
    internal static long Border(long p, int size, CasePaddingMode mode)
    {
        if (p >= 0 && p < size)
            return p;
        return mode switch
        {
            CasePaddingMode.Reflect => p < 0 ? -p : 2L * (size - 1) - p,
            CasePaddingMode.Replicate => p < 0 ? 0 : size - 1,
            CasePaddingMode.Circular => ((p % size) + size) % size,
            _ => -1,
        };
    }

    private static void Unravel(int flat, int[] sizes, int[] into)
    {
        for (int i = sizes.Length - 1; i >= 0; i--)
        {
            into[i] = flat % sizes[i];
            flat /= sizes[i];
        }
    }
}

using System.Numerics;
using ConvCompare.Cases;
using ConvCompare.Oracles;
using ConvCompare.Tests.ConvRef.Family;
using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.SecondOrder;

/// <summary>
/// A convolution case with upstream gradients for its backward pass's outputs, held as the harness holds
/// them (<see cref="SecondOrderUpstream"/>: gg_a of the input's shape, gg_w of the weights', gg_b with a
/// bias), seeded values exact in float32. <see cref="LayerSpec"/> is set when the case goes through the 2-D
/// layer's own entry point (<see cref="Conv2d.DoubleBackward{T}"/>) rather than the family's.
/// </summary>
internal sealed record SecondOrderCase(FamilyCase Case, SecondOrderUpstream Gg, Conv2dSpec? LayerSpec)
{
    public override string ToString() => Case.Name + (LayerSpec is null ? "" : " (layer)");

    /// <summary>gg_a, flat.</summary>
    public double[] GgInput => Gg.Input.Data;

    /// <summary>gg_w, flat.</summary>
    public double[] GgWeights => Gg.Weights.Data;

    /// <summary>gg_b, or null without bias.</summary>
    public double[]? GgBias => Gg.Bias?.Data;

    public Conv2dGradients<T> Upstream<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        new(Gg.Input.Cast<T>(), Gg.Weights.Cast<T>(), Gg.Bias?.Cast<T>());

    /// <summary>A random case of <paramref name="op"/> in <paramref name="mode"/> (<see cref="FamilyCase.Random"/>) with upstream gradients.</summary>
    public static SecondOrderCase Random(Convolution op, PaddingMode mode, ulong seed, bool withActivation = false, bool withClip = false) =>
        With(FamilyCase.Random(op, mode, seed, withActivation, withClip), seed, null);

    /// <summary>A random 2-D layer case (<see cref="ConvCase.Random"/>: strides, asymmetric padding, dilation, groups, batches) with upstream gradients.</summary>
    public static SecondOrderCase Layer(ulong seed, bool withActivation = false, bool withClip = false)
    {
        var c = ConvCase.Random(seed, withActivation, withClip);
        var s = c.Spec;
        var family = new FamilyCase(c.Name, Convolution.Conv2d, TorchConvolutions.FamilySpec(s), c.InputShape, c.WeightShape, c.OutputShape, c.Input, c.Weights, c.Bias,
            c.Delta, c.Activation, c.PreviousZ, c.Clip);
        return With(family, seed, s);
    }

    /// <summary>
    /// <paramref name="c"/> with upstream gradients drawn from <paramref name="seed"/>; with clipping, the clip
    /// value moved into a gap of |dJ/dw| (TorchSharp, float64) wider than the float32 rounding bound on each
    /// side, so that every computation agrees on which entries the clamp passes (<see cref="ClipInAGap"/>).
    /// </summary>
    public static SecondOrderCase With(FamilyCase c, ulong seed, Conv2dSpec? layerSpec)
    {
        var rng = new TestRandom(seed * 6364136223846793005UL + 1442695040888963407UL);
        var geometry = c.Op.Geometry(c.InputShape, c.WeightShape, c.Spec);
        double[] ggA = Values(rng, c.Input.Length), ggW = Values(rng, c.Weights.Length);
        double[]? ggB = c.Bias is null ? null : Values(rng, geometry.OutChannels);
        if (c.Clip is not null)
            c = c with { Clip = ClipInAGap(c) };
        return new SecondOrderCase(c, new SecondOrderUpstream(new([.. c.InputShape], ggA), new([.. c.WeightShape], ggW),
            ggB is null ? null : new([ggB.Length], ggB)), layerSpec);
    }

    /// <summary>
    /// A clip value c (a float32 number) with ||dJ/dw_i| - c| larger than dJ/dw_i's float32 rounding bound for
    /// every i, chosen in the widest such gap between neighbouring distinct |dJ/dw| values (below a single value, or 1 when all are 0);
    /// fails when there is none, so a case never rests on the rounding of a value at the clamp's edge.
    /// </summary>
    public static double ClipInAGap(FamilyCase c)
    {
        var dw = FamilyRun.Torch(c with { Clip = null }).Weights;
        var bound = FamilyBounds.AgainstFloat64<float>(c).Weights;
        var sorted = dw.Select(Math.Abs).Order().ToArray();
        // Between two distinct values, so the clamp both passes and stops some; one value is stopped, or passed when it is 0.
        var distinct = sorted.Distinct().ToArray();
        List<double> candidates = distinct.Length == 1
            ? [distinct[0] == 0 ? 1 : distinct[0] / 2]
            : [.. Enumerable.Range(1, distinct.Length - 1).Select(i => (distinct[i - 1] + distinct[i]) / 2)];
        double best = double.NaN, bestMargin = 0;
        foreach (double candidate in candidates)
        {
            double clip = (float)candidate;
            double margin = Enumerable.Range(0, dw.Length).Min(i => Math.Abs(Math.Abs(dw[i]) - clip) - bound[i]);
            if (clip > 0 && margin > bestMargin)
                (best, bestMargin) = (clip, margin);
        }
        Assert.False(double.IsNaN(best), $"{c}: no clip value keeps clear of every |dJ/dw| by its rounding bound: {string.Join(", ", sorted)}");
        return best;
    }

    private static double[] Values(TestRandom rng, int count) => [.. Enumerable.Range(0, count).Select(_ => rng.Signed() * 2)];
}

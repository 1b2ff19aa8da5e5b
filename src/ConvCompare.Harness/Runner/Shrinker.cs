using ConvCompare.Cases;
using ConvRef;

namespace ConvCompare.Runner;

/// <summary>
/// Greedy shrinking of a failing case, as property-based testing tools do: try smaller variants
/// (fewer samples and channels, smaller image and kernel, stride, dilation and groups toward 1,
/// padding toward 0, no bias, no activation, no clipping), keep the first that is valid and still
/// fails, and repeat until no variant fails. The value seed stays, so the shrunk id reproduces.
/// </summary>
internal static class Shrinker
{
    /// <summary>Default cap on how many variants are tried.</summary>
    public const int DefaultMaxAttempts = 300;

    /// <summary>The smallest variant of <paramref name="failing"/> found for which <paramref name="stillFails"/> holds.</summary>
    public static CaseConfig Shrink(CaseConfig failing, Func<CaseConfig, bool> stillFails, int maxAttempts = DefaultMaxAttempts)
    {
        ArgumentNullException.ThrowIfNull(failing);
        ArgumentNullException.ThrowIfNull(stillFails);
        var current = failing;
        int attempts = 0;
        bool improved = true;
        while (improved && attempts < maxAttempts)
        {
            improved = false;
            foreach (var candidate in Candidates(current))
            {
                if (++attempts > maxAttempts)
                    break;
                if (stillFails(candidate))
                {
                    current = candidate;
                    improved = true;
                    break;
                }
            }
        }
        return current;
    }

    /// <summary>Valid, strictly simpler variants of <paramref name="c"/>, the boldest first.</summary>
    public static IEnumerable<CaseConfig> Candidates(CaseConfig c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var seen = new HashSet<CaseConfig> { c };
        foreach (var candidate in Variants(c))
            if (candidate.Problem is null && seen.Add(candidate))
                yield return candidate;
    }

    private static IEnumerable<CaseConfig> Variants(CaseConfig c)
    {
        var (shape, geometry) = (c.Shape, c.Geometry);
        foreach (int n in Smaller(shape.N, 1))
            yield return c with { Shape = shape with { N = n } };
        if (c.Activation != ActivationKind.Identity)
            yield return c with { Activation = ActivationKind.Identity };
        if (c.Bias)
            yield return c with { Bias = false };
        if (c.Clip is not null)
            yield return c with { Clip = null };
        foreach (int g in Smaller(geometry.Groups, 1).Where(g => shape.Cin % g == 0 && shape.Cout % g == 0))
            yield return c with { Geometry = geometry with { Groups = g } };
        foreach (int cout in Smaller(shape.Cout / geometry.Groups, 1))
            yield return c with { Shape = shape with { Cout = cout * geometry.Groups } };
        foreach (int cin in Smaller(shape.Cin / geometry.Groups, 1))
            yield return c with { Shape = shape with { Cin = cin * geometry.Groups } };
        foreach (int k in Smaller(shape.KH, 1))
            yield return c with { Shape = shape with { KH = k } };
        foreach (int k in Smaller(shape.KW, 1))
            yield return c with { Shape = shape with { KW = k } };
        foreach (int h in Smaller(shape.H, Math.Max(1, geometry.DilationH * (shape.KH - 1) + 1 - geometry.PadTop - geometry.PadBottom)))
            yield return c with { Shape = shape with { H = h } };
        foreach (int w in Smaller(shape.W, Math.Max(1, geometry.DilationW * (shape.KW - 1) + 1 - geometry.PadLeft - geometry.PadRight)))
            yield return c with { Shape = shape with { W = w } };
        foreach (int s in Smaller(geometry.StrideH, 1))
            yield return c with { Geometry = geometry with { StrideH = s } };
        foreach (int s in Smaller(geometry.StrideW, 1))
            yield return c with { Geometry = geometry with { StrideW = s } };
        foreach (int d in Smaller(geometry.DilationH, 1))
            yield return c with { Geometry = geometry with { DilationH = d } };
        foreach (int d in Smaller(geometry.DilationW, 1))
            yield return c with { Geometry = geometry with { DilationW = d } };
        if (geometry.PadTop + geometry.PadBottom > 0)
            yield return c with
            {
                Shape = shape with { H = Math.Max(shape.H, geometry.DilationH * (shape.KH - 1) + 1) },
                Geometry = geometry with { PadTop = 0, PadBottom = 0 },
            };
        if (geometry.PadLeft + geometry.PadRight > 0)
            yield return c with
            {
                Shape = shape with { W = Math.Max(shape.W, geometry.DilationW * (shape.KW - 1) + 1) },
                Geometry = geometry with { PadLeft = 0, PadRight = 0 },
            };
        foreach (int p in Smaller(geometry.PadTop, 0))
            yield return c with { Geometry = geometry with { PadTop = p } };
        foreach (int p in Smaller(geometry.PadBottom, 0))
            yield return c with { Geometry = geometry with { PadBottom = p } };
        foreach (int p in Smaller(geometry.PadLeft, 0))
            yield return c with { Geometry = geometry with { PadLeft = p } };
        foreach (int p in Smaller(geometry.PadRight, 0))
            yield return c with { Geometry = geometry with { PadRight = p } };
    }

    /// <summary>The floor, half way, and one less: the usual shrinking ladder.</summary>
    private static IEnumerable<int> Smaller(int value, int floor)
    {
        if (value <= floor)
            yield break;
        yield return floor;
        if ((value + floor) / 2 > floor && (value + floor) / 2 < value)
            yield return (value + floor) / 2;
        if (value - 1 > floor)
            yield return value - 1;
    }
}

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
        foreach (int n in Smaller(c.N, 1))
            yield return c with { N = n };
        if (c.Activation != ActivationKind.Identity)
            yield return c with { Activation = ActivationKind.Identity };
        if (c.Bias)
            yield return c with { Bias = false };
        if (c.Clip is not null)
            yield return c with { Clip = null };
        foreach (int g in Smaller(c.Groups, 1).Where(g => c.Cin % g == 0 && c.Cout % g == 0))
            yield return c with { Groups = g };
        foreach (int cout in Smaller(c.Cout / c.Groups, 1))
            yield return c with { Cout = cout * c.Groups };
        foreach (int cin in Smaller(c.Cin / c.Groups, 1))
            yield return c with { Cin = cin * c.Groups };
        foreach (int k in Smaller(c.KH, 1))
            yield return c with { KH = k };
        foreach (int k in Smaller(c.KW, 1))
            yield return c with { KW = k };
        foreach (int h in Smaller(c.H, Math.Max(1, c.DilationH * (c.KH - 1) + 1 - c.PadTop - c.PadBottom)))
            yield return c with { H = h };
        foreach (int w in Smaller(c.W, Math.Max(1, c.DilationW * (c.KW - 1) + 1 - c.PadLeft - c.PadRight)))
            yield return c with { W = w };
        foreach (int s in Smaller(c.StrideH, 1))
            yield return c with { StrideH = s };
        foreach (int s in Smaller(c.StrideW, 1))
            yield return c with { StrideW = s };
        foreach (int d in Smaller(c.DilationH, 1))
            yield return c with { DilationH = d };
        foreach (int d in Smaller(c.DilationW, 1))
            yield return c with { DilationW = d };
        if (c.PadTop + c.PadBottom > 0)
            yield return c with { PadTop = 0, PadBottom = 0, H = Math.Max(c.H, c.DilationH * (c.KH - 1) + 1) };
        if (c.PadLeft + c.PadRight > 0)
            yield return c with { PadLeft = 0, PadRight = 0, W = Math.Max(c.W, c.DilationW * (c.KW - 1) + 1) };
        foreach (int p in Smaller(c.PadTop, 0))
            yield return c with { PadTop = p };
        foreach (int p in Smaller(c.PadBottom, 0))
            yield return c with { PadBottom = p };
        foreach (int p in Smaller(c.PadLeft, 0))
            yield return c with { PadLeft = p };
        foreach (int p in Smaller(c.PadRight, 0))
            yield return c with { PadRight = p };
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

using System.Globalization;

namespace ConvCompare.Cases;

/// <summary>
/// Slice <see cref="Index"/> of <see cref="Count"/> of a sweep, written <c>i/n</c> with 1 &lt;= i &lt;= n:
/// case k belongs to shard (k mod n) + 1. The shards of one n are disjoint and together are the
/// whole sweep, and a case keeps its id whichever shard runs it, so a CI matrix can split a sweep.
/// </summary>
internal readonly record struct Shard(int Index, int Count)
{
    /// <summary>The whole sweep.</summary>
    public static Shard All => new(1, 1);

    /// <summary>Whether case <paramref name="caseIndex"/> (0-based) belongs to this shard.</summary>
    public bool Contains(int caseIndex) => caseIndex % Count == Index - 1;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    /// <summary>Parses <c>i/n</c>; on failure <paramref name="error"/> is one sentence.</summary>
    public static bool TryParse(string text, out Shard shard, out string error)
    {
        shard = All;
        var parts = (text ?? "").Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            && n >= 1 && i >= 1 && i <= n)
        {
            shard = new Shard(i, n);
            error = "";
            return true;
        }
        error = $"--shard '{text}' must be i/n with whole numbers 1 <= i <= n, e.g. 2/4";
        return false;
    }
}

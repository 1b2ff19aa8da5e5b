using System.Text.RegularExpressions;
using ConvCompare.Explain.Model;

namespace ConvCompare.Tests.Explain;

/// <summary>Reads what a page shows: its matrices by label and its written-out sums by target.</summary>
internal static partial class PageContent
{
    /// <summary>Every matrix labelled <paramref name="label"/> (at least one).</summary>
    public static IReadOnlyList<double[,]> Matrices(Walkthrough page, string label)
    {
        var found = page.Parts.SelectMany(p => p.Steps).SelectMany(s => s.Rows).SelectMany(r => r.Matrices)
            .Where(m => m.Label == label).Select(m => m.Values).ToArray();
        Assert.True(found.Length > 0, $"the page shows '{label}'");
        return found;
    }

    /// <summary>Asserts that every matrix labelled with one of <paramref name="labels"/> holds <paramref name="expected"/>.</summary>
    public static void AssertShows(Walkthrough page, double[,] expected, params string[] labels)
    {
        foreach (string label in labels)
            Assert.All(Matrices(page, label), m => Assert.Equal(expected, m));
    }

    /// <summary>The written-out sums whose target is <c>name[r,c]</c>, by 0-based (r, c).</summary>
    public static IReadOnlyDictionary<(int Row, int Column), WrittenSum> Sums(Walkthrough page, string name)
    {
        var sums = new Dictionary<(int, int), WrittenSum>();
        foreach (var sum in page.Parts.SelectMany(p => p.Steps).SelectMany(s => s.Sums))
        {
            var m = Target().Match(sum.Target);
            if (m.Success && m.Groups[1].Value == name)
                sums[(int.Parse(m.Groups[2].Value) - 1, int.Parse(m.Groups[3].Value) - 1)] = sum;
        }
        Assert.True(sums.Count > 0, $"the page writes out sums for {name}");
        return sums;
    }

    /// <summary>Asserts that every written-out sum for <paramref name="name"/> evaluates to the entry of <paramref name="expected"/> it names.</summary>
    public static void AssertSums(Walkthrough page, string name, double[,] expected)
    {
        foreach (var ((r, c), sum) in Sums(page, name))
            Assert.True(expected[r, c] == sum.Value, $"{sum.Target} = {sum.Value}, expected {expected[r, c]}");
    }

    /// <summary>The quantities of the page's failed checks.</summary>
    public static IReadOnlyList<string> Failed(Walkthrough page) => page.Checks.Where(c => !c.Passed).Select(c => c.Quantity).ToArray();

    [GeneratedRegex(@"^(.+)\[(\d+),(\d+)\]$")]
    private static partial Regex Target();
}

using System.Globalization;
using System.Text.RegularExpressions;
using ConvCompare.Explain.Examples;
using ConvCompare.Oracles;
using ConvCompare.Explain.Rendering;
using ConvCompare.Tests.ConvRef.Support;

namespace ConvCompare.Tests.Explain;

/// <summary>
/// The numbers the walk-through prints for Figure 1 against the derivation's sums expanded by hand
/// (<see cref="HandExpanded"/>: typed out term by term from Eq 1, Eq 2 and Eq 5 of the reference
/// text, with no loop and no call into ConvRef).
/// </summary>
public partial class Figure1NumbersTests
{
    // Figure 1's input and kernel, typed again here rather than read from the code under test.
    private static readonly double[,] A = { { 1, 2, 0 }, { -1, 3, 1 }, { 2, 0, -2 } };
    private static readonly double[,] W = { { 1, 2 }, { -1, 3 } };

    public static TheoryData<ulong> Seeds => [1UL, 7UL, 2026UL];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void PrintedForwardSums_EqualEq1ExpandedByHand(ulong seed) =>
        AssertPrintedSums(PrintedSums(seed), "z", HandExpanded.Eq1(A, W));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void PrintedWeightGradientSums_EqualEq2ExpandedByHand(ulong seed)
    {
        var expected = HandExpanded.Eq2(A, SingleChannelPart.Delta(seed));
        AssertPrintedSums(PrintedSums(seed), "dJ/dw", expected);
        AssertMatrices(seed, "dJ/dw", expected);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void PrintedInputGradientSums_EqualEq5ExpandedByHand(ulong seed)
    {
        var expected = HandExpanded.Eq5(SingleChannelPart.Delta(seed), W);
        AssertPrintedSums(PrintedSums(seed), "dJ/da", expected);
        AssertMatrices(seed, "dJ/da", expected);
    }

    [Fact]
    public void PrintedFigure1_ShowsRotatedKernelAndPaddedDelta()
    {
        var lines = PlainTextRenderer.Lines(WalkthroughBuilder.Build(ExampleChoice.Single, 1, new TorchOracle())).ToArray();
        int header = Array.FindIndex(lines, l => l.StartsWith("δ padded for full mode", StringComparison.Ordinal));
        Assert.True(header >= 0, "the padded delta is printed");
        Assert.Contains("Rot180(w)", lines[header], StringComparison.Ordinal);
        // Rot180 of [[1, 2], [-1, 3]] is [[3, -1], [2, 1]]; its rows sit right of the padded delta's first two rows.
        Assert.Matches(@"\[ 3 -1\]", lines[header + 1]);
        Assert.Matches(@"\[ 2  1\]", lines[header + 2]);
    }

    /// <summary>Each printed sum by its target: the numeric terms as printed and the value after the last '='.</summary>
    private static Dictionary<string, (string Numeric, double Value)> PrintedSums(ulong seed)
    {
        var lines = PlainTextRenderer.Lines(WalkthroughBuilder.Build(ExampleChoice.Single, seed, new TorchOracle())).ToArray();
        var sums = new Dictionary<string, (string, double)>();
        for (int i = 0; i < lines.Length; i++)
        {
            var head = SumHead().Match(lines[i]);
            if (!head.Success)
                continue;
            int j = i + 1;
            while (!lines[j].TrimStart().StartsWith('='))
                j++;
            string numeric = lines[j].TrimStart()[1..].Trim();
            int lastEquals = numeric.LastIndexOf(" = ", StringComparison.Ordinal);
            sums[head.Groups[1].Value] = (numeric[..lastEquals], double.Parse(numeric[(lastEquals + 3)..], CultureInfo.InvariantCulture));
        }
        return sums;
    }

    /// <summary>Every entry of <paramref name="expected"/> is printed as the written-out sum <c>name[r,c]</c> (1-based) with that value.</summary>
    private static void AssertPrintedSums(Dictionary<string, (string Numeric, double Value)> printed, string name, double[,] expected)
    {
        for (int r = 0; r < expected.GetLength(0); r++)
            for (int c = 0; c < expected.GetLength(1); c++)
                AssertPrinted(printed, $"{name}[{r + 1},{c + 1}]", expected[r, c]);
    }

    private static void AssertPrinted(Dictionary<string, (string Numeric, double Value)> printed, string target, double expected)
    {
        Assert.True(printed.TryGetValue(target, out var sum), $"{target} is printed as a written-out sum");
        Assert.Equal(expected, sum.Value);
        double evaluated = sum.Numeric.Split(" + ").Sum(term => term.Split('·')
            .Aggregate(1.0, (p, f) => p * double.Parse(f.Trim('(', ')'), CultureInfo.InvariantCulture)));
        Assert.Equal(expected, evaluated);
    }

    /// <summary>The printed matrices named <paramref name="name"/> (ConvRef, autograd and the compact form) equal the hand-expanded values, and every printed difference map is zero.</summary>
    private static void AssertMatrices(ulong seed, string name, double[,] expected)
    {
        var lines = PlainTextRenderer.Lines(WalkthroughBuilder.Build(ExampleChoice.Single, seed, new TorchOracle())).ToArray();
        Assert.Equal(expected, PrintedMatrix(lines, name + " ConvRef"));
        Assert.Equal(expected, PrintedMatrix(lines, name + " autograd"));
        string compact = name == "dJ/dw" ? "a ⊗ δ (ValidCorrelate)" : "full convolution";
        Assert.Equal(expected, PrintedMatrix(lines, compact));
        for (int i = 0; i < lines.Length; i++)
            if (lines[i].Contains("difference", StringComparison.Ordinal) && !lines[i].Contains(':', StringComparison.Ordinal))
                Assert.All(PrintedMatrix(lines[i..], "difference").Cast<double>(), v => Assert.Equal(0, v));
    }

    /// <summary>
    /// Reads the matrix printed under the header <paramref name="label"/>: the bracketed rows that
    /// start in the header's column on the lines below it ('*' marks dropped).
    /// </summary>
    private static double[,] PrintedMatrix(IReadOnlyList<string> lines, string label)
    {
        int header = lines.ToList().FindIndex(l => Regex.IsMatch(l, $@"(^|   ){Regex.Escape(label)}(   |$)"));
        Assert.True(header >= 0, $"'{label}' is printed");
        int column = lines[header].IndexOf(label, StringComparison.Ordinal);
        var rows = new List<double[]>();
        for (int i = header + 1; i < lines.Count && lines[i].Length > column && lines[i][column] == '[' ; i++)
        {
            string row = lines[i][(column + 1)..lines[i].IndexOf(']', column)];
            rows.Add(row.Replace("*", " ", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray());
        }
        var m = new double[rows.Count, rows[0].Length];
        for (int i = 0; i < rows.Count; i++)
            for (int j = 0; j < rows[i].Length; j++)
                m[i, j] = rows[i][j];
        return m;
    }

    [GeneratedRegex(@"^((?:z|dJ/dw|dJ/da)\[\d,\d\]) = ")]
    private static partial Regex SumHead();
}

namespace ConvCompare.Explain.Model;

/// <summary>The whole walk-through: the derivation's Eq 1 to Eq 9 replayed on concrete numbers.</summary>
/// <param name="Seed">The seed the random upstream errors were drawn with.</param>
/// <param name="Parts">The parts in reading order (single channel, multi-channel, stride 2).</param>
internal sealed record Walkthrough(ulong Seed, IReadOnlyList<WalkthroughPart> Parts)
{
    /// <summary>The page's title; null for the derivation's walk-through (Eq 1 to Eq 9).</summary>
    public string? Title { get; init; }

    /// <summary>The page's opening paragraph (what it shows); null for the derivation's walk-through.</summary>
    public string? Summary { get; init; }

    /// <summary>Every ConvRef-vs-autograd (and written-sum-vs-ConvRef) comparison of every step.</summary>
    public IEnumerable<Check> Checks => Parts.SelectMany(p => p.Steps).SelectMany(s => s.Checks);

    /// <summary>True when every comparison is within its bound.</summary>
    public bool Passed => Checks.All(c => c.Passed);

    /// <summary>The equation numbers cited anywhere, ascending.</summary>
    public IReadOnlyList<int> CitedEquations =>
        Parts.SelectMany(p => p.Steps).SelectMany(s => s.Equations).Distinct().Order().ToArray();
}

/// <summary>One part of the walk-through, e.g. "Single channel, one filter (Figure 1)".</summary>
internal sealed record WalkthroughPart(int Number, string Title, string Introduction, IReadOnlyList<WalkthroughStep> Steps);

/// <summary>
/// One step: which equations it replays, prose that explains it, the sums written out with their
/// numbers, the tensors (rows of matrices shown side by side) and the comparisons it makes.
/// </summary>
internal sealed record WalkthroughStep(
    IReadOnlyList<int> Equations,
    string Title,
    IReadOnlyList<string> Prose,
    IReadOnlyList<WrittenSum> Sums,
    IReadOnlyList<MatrixRow> Rows,
    IReadOnlyList<Check> Checks)
{
    /// <summary>"Eq 2" or "Eq 4, Eq 6", or "definition" for a step that states a definition only.</summary>
    public string EquationLabel => Equations.Count == 0 ? "definition" : string.Join(", ", Equations.Select(e => "Eq " + e));
}

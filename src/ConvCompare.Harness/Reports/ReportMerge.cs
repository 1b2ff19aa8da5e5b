using System.Globalization;
using ConvCompare.Cases;
using ConvCompare.Limits;
using ConvCompare.Runner;

namespace ConvCompare.Reports;

/// <summary>
/// Joins the reports of the n shards of one <c>run</c> into the report of the whole sweep. Shard i/n
/// holds cases i-1, i-1+n, i-1+2n, ... (0-based, <see cref="Shard"/>), so the whole sweep's order is
/// recovered by taking one case from each shard in turn; the summary and the verdict are then computed
/// by <see cref="RunSummary"/> exactly as for an unsharded run.
/// </summary>
internal static class ReportMerge
{
    /// <summary>The merged report, or null with one sentence in <paramref name="problem"/> naming what does not fit together.</summary>
    public static RunReport? Merge(IReadOnlyList<ReadReport> shards, out string problem)
    {
        ArgumentNullException.ThrowIfNull(shards);
        problem = "";
        if (shards.Count == 0)
        {
            problem = "no report to merge";
            return null;
        }
        var first = shards[0];
        foreach (var other in shards.Skip(1))
            if (Mismatch(first, other) is { } what)
            {
                problem = what;
                return null;
            }
        if (first.Version != JsonReport.Version)
        {
            problem = $"{Name(first)} was written by convcompare {UntrustedText.Show(first.Version)}, and this is {JsonReport.Version}; merge with the version that ran the shards";
            return null;
        }
        int n = first.Report.Shard.Count;
        var byIndex = new ReadReport?[n + 1];
        foreach (var shard in shards)
        {
            int i = shard.Report.Shard.Index;
            if (byIndex[i] is { } twice)
            {
                problem = $"shard {shard.Report.Shard} is given twice ({Name(twice)} and {Name(shard)}); each slice must be merged once";
                return null;
            }
            byIndex[i] = shard;
        }
        var missing = Enumerable.Range(1, n).Where(i => byIndex[i] is null).Select(i => $"{i}/{n}").ToList();
        if (missing.Count > 0)
        {
            problem = $"shard(s) {string.Join(", ", missing)} of {n} are missing; the merge of a sweep needs every slice";
            return null;
        }
        int requested = first.Report.RequestedCases;
        var slices = new List<IReadOnlyList<IReadOnlyList<CaseResult>>>();
        for (int i = 1; i <= n; i++)
        {
            var shard = byIndex[i]!;
            var cases = ByCase(shard.Report.Summary.Results);
            int expected = Enumerable.Range(0, requested).Count(shard.Report.Shard.Contains);
            if (cases.Count != expected)
            {
                problem = $"{Name(shard)} (shard {shard.Report.Shard}) holds {cases.Count} case(s), but its slice of {requested} cases has {expected}" +
                          " (a run stopped by --fail-fast or interrupted covers only part of its slice)";
                return null;
            }
            slices.Add(cases);
        }
        var results = new List<CaseResult>();
        for (int k = 0; k < requested; k++)
            results.AddRange(slices[k % n][k / n]);
        var r = first.Report;
        if (MergeErrorInputs(byIndex, requested, out problem) is not { } errorInputs)
            return null;
        return new RunReport("run", r.Seed, requested, Shard.All, r.Tier, r.Dtype, r.Implementations,
            new RunSummary(results, r.Summary.StrictOracle), shards.Sum(s => s.Report.Seconds))
        {
            RequestedErrorCases = r.RequestedErrorCases,
            ErrorInputs = errorInputs,
        };
    }

    /// <summary>The results grouped by case, in the order the shard ran them (a case's results are written together).</summary>
    /// <summary>
    /// The shards' error-input results in sweep order: error case i has sweep index <paramref name="requested"/> + i,
    /// so each shard must hold exactly the error cases of its slice; null with one sentence in <paramref name="problem"/> otherwise.
    /// </summary>
    private static List<ErrorResult>? MergeErrorInputs(ReadReport?[] byIndex, int requested, out string problem)
    {
        problem = "";
        int n = byIndex.Length - 1;
        int count = byIndex[1]!.Report.RequestedErrorCases;
        var slices = new List<List<List<ErrorResult>>>();
        for (int i = 1; i <= n; i++)
        {
            var shard = byIndex[i]!;
            if (shard.Report.RequestedErrorCases != count)
            {
                problem = $"{Name(shard)} asks for {shard.Report.RequestedErrorCases} error-input case(s) and {Name(byIndex[1]!)} for {count}; the shards are not of one run";
                return null;
            }
            var cases = new List<List<ErrorResult>>();
            foreach (var result in shard.Report.ErrorInputs)
                if (cases.Count > 0 && cases[^1][0].Id == result.Id)
                    cases[^1].Add(result);
                else
                    cases.Add([result]);
            int expected = Enumerable.Range(requested, count).Count(shard.Report.Shard.Contains);
            if (cases.Count != expected)
            {
                problem = $"{Name(shard)} (shard {shard.Report.Shard}) holds {cases.Count} error-input case(s), but its slice of {count} has {expected}";
                return null;
            }
            slices.Add(cases);
        }
        var merged = new List<ErrorResult>();
        var next = new int[n];
        for (int k = requested; k < requested + count; k++)
            merged.AddRange(slices[k % n][next[k % n]++]);
        return merged;
    }

    private static List<IReadOnlyList<CaseResult>> ByCase(IReadOnlyList<CaseResult> results)
    {
        var cases = new List<IReadOnlyList<CaseResult>>();
        foreach (var result in results)
        {
            if (cases.Count > 0 && cases[^1][0].Id == result.Id)
                ((List<CaseResult>)cases[^1]).Add(result);
            else
                cases.Add(new List<CaseResult> { result });
        }
        return cases;
    }

    /// <summary>Null when <paramref name="b"/> is a shard of the same sweep as <paramref name="a"/>, else one sentence naming the field that differs.</summary>
    private static string? Mismatch(ReadReport a, ReadReport b)
    {
        var (x, y) = (a.Report, b.Report);
        var fields = new (string Name, string? A, string? B)[]
        {
            ("schema versions", I(a.SchemaVersion), I(b.SchemaVersion)),
            ("program versions", a.Version, b.Version),
            ("seeds", I(x.Seed), I(y.Seed)),
            ("case counts (requested_cases)", I(x.RequestedCases), I(y.RequestedCases)),
            ("shard counts", I(x.Shard.Count), I(y.Shard.Count)),
            ("tiers", x.Tier, y.Tier),
            ("dtypes", x.Dtype, y.Dtype),
            ("impls", x.Implementations, y.Implementations),
            ("strict_oracle settings", x.Summary.StrictOracle ? "true" : "false", y.Summary.StrictOracle ? "true" : "false"),
        };
        foreach (var (name, va, vb) in fields)
            if (va != vb)
                return $"{Name(a)} and {Name(b)} are not shards of one sweep: different {name} ({UntrustedText.Show(va)} and {UntrustedText.Show(vb)})";
        return null;
    }

    private static string? I(IFormattable? value) => value?.ToString(null, CultureInfo.InvariantCulture);

    private static string Name(ReadReport report) => UntrustedText.Escape(report.File);
}

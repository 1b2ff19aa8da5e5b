using System.Diagnostics;
using ConvCompare.Cases;

namespace ConvCompare.Runner;

/// <summary>
/// The error-input tier of a sweep (<c>run --tier errors</c>, and a small share of the default sweep):
/// <see cref="ErrorCases"/> drawn after the sweep's other cases, numbered on from them so that shards
/// split them too, and each run through an <see cref="ErrorInputRunner"/>.
/// </summary>
internal static class ErrorInputSweep
{
    /// <summary>The tier's name on the command line and in reports.</summary>
    public const string TierName = "errors";

    /// <summary>
    /// Error-input cases the default sweep appends (scaled with <c>--cases</c>): every (rule, operation) pair of
    /// <see cref="ErrorRules.Pairs"/> once, a few seconds in all, most of them TorchSharp's (libtorch spends
    /// tens of milliseconds on each error it raises).
    /// </summary>
    public static int DefaultCases => ErrorRules.Pairs.Count;

    /// <summary>The error-input cases of a sweep that belong to <paramref name="shard"/>: case i has sweep index <paramref name="first"/> + i.</summary>
    public static IEnumerable<ErrorCase> Cases(ulong seed, int count, int first, Shard shard)
    {
        for (int i = 0; i < count; i++)
            if (shard.Contains(first + i))
                yield return ErrorCases.Generate(seed, i);
    }

    /// <summary>
    /// Runs <paramref name="cases"/> in order; with <paramref name="failFast"/> it stops after the first case with a
    /// result that <see cref="Fails"/> under <paramref name="strictOracle"/>, as <c>--fail-fast</c> stops the valid cases.
    /// </summary>
    public static (IReadOnlyList<ErrorResult> Results, double Seconds) Run(ErrorInputRunner runner, IEnumerable<ErrorCase> cases,
        bool failFast = false, bool strictOracle = false)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(cases);
        var clock = Stopwatch.StartNew();
        var results = new List<ErrorResult>();
        foreach (var errorCase in cases)
        {
            var caseResults = runner.Run(errorCase);
            results.AddRange(caseResults);
            if (failFast && caseResults.Any(r => Fails(r, strictOracle)))
                break;
        }
        return (results, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Whether a result fails the run: a ConvRef implementation that did not refuse as it must, or under <paramref name="strictOracle"/> TorchSharp accepting.</summary>
    public static bool Fails(ErrorResult result, bool strictOracle)
    {
        ArgumentNullException.ThrowIfNull(result);
        return !result.Pass && (!result.IsOracle || strictOracle);
    }
}

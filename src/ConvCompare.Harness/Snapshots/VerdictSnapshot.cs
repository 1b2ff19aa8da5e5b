using System.Text.Json.Nodes;
using ConvCompare.Cases;
using ConvCompare.Runner;

namespace ConvCompare.Snapshots;

/// <summary>
/// The harness's verdicts in a snapshot: per ConvRef implementation (the oracle's are left out, see remarks), pass/fail of the case, of each
/// tensor and of the numeric gradient check, with the decade of each ratio (error over its bound).
/// </summary>
/// <remarks>
/// A ratio is the largest of a few rounding errors over their worst-case bound, so it depends on the
/// summation order TorchSharp's kernels use on a given CPU (and, for the numeric check, on rounding
/// noise); for a tensor of a handful of elements it can be exactly 0 on one machine and 0.1 on
/// another. So only its decade, floor(log10 ratio) clamped below at <see cref="FloorDecade"/>, is
/// stored, and it may move by <see cref="DecadeTolerance"/> decades before the snapshot fails: it
/// is there for review (how close to its bound a tensor runs) and to show a verdict going far out
/// of bound. The pass/fail flags compare exactly. ConvRef's own regressions are caught by its stored
/// values, whose tolerance is their rounding bound. Oracle faults are not stored: TorchSharp's
/// float32 input gradient is intermittently wrong on some CPUs (docs/platform.md), so they differ from
/// run to run.
/// </remarks>
internal static class VerdictSnapshot
{
    /// <summary>Ratios below 10^FloorDecade are stored as this decade.</summary>
    public const int FloorDecade = -3;

    /// <summary>How many decades a stored ratio may move.</summary>
    public const int DecadeTolerance = 2;

    /// <summary>Adds <c>verdicts</c> to the document's root.</summary>
    public static void Add(SnapshotDocument document, IReadOnlyList<CaseResult> results)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(results);
        var verdicts = new JsonObject();
        document.Root["verdicts"] = verdicts;
        foreach (var result in results.Where(r => !r.IsOracle))
        {
            var entry = new JsonObject { ["pass"] = result.Pass };
            verdicts[result.Implementation] = entry;
            if (result.Error is { } error)
            {
                entry["error"] = error;
                continue;
            }
            var tensors = new JsonObject();
            entry["tensors"] = tensors;
            foreach (var tensor in result.Tensors)
            {
                var judged = tensor.Judged;
                var node = new JsonObject { ["pass"] = tensor.Pass };
                tensors[tensor.Kind.Name()] = node;
                AddDecade(document, node, "bound_ratio_decade", judged.BoundRatio, $"{result.Implementation} {tensor.Kind.Name()} bound_ratio decade");
            }
            var check = result.GradCheck!;
            var gradcheck = new JsonObject { ["mode"] = check.ModeName, ["checks"] = check.Checks, ["pass"] = check.Pass };
            entry["gradcheck"] = gradcheck;
            AddDecade(document, gradcheck, "error_ratio_decade", check.MaxError / check.Tolerance, $"{result.Implementation} gradcheck error/tolerance decade");
            if (result.GradGradCheck is { } second)
            {
                var gradgradcheck = new JsonObject { ["checks"] = second.Checks, ["pass"] = second.Pass };
                entry["gradgradcheck"] = gradgradcheck;
                AddDecade(document, gradgradcheck, "error_ratio_decade", second.MaxError / second.Tolerance, $"{result.Implementation} gradgradcheck error/tolerance decade");
            }
        }
    }

    /// <summary>floor(log10 ratio), at least <see cref="FloorDecade"/>; infinity and NaN are stored as 99.</summary>
    public static int Decade(double ratio) =>
        !double.IsFinite(ratio) ? 99 : ratio <= 0 ? FloorDecade : Math.Max(FloorDecade, (int)Math.Floor(Math.Log10(ratio)));

    private static void AddDecade(SnapshotDocument document, JsonObject parent, string key, double ratio, string where) =>
        document.Add(parent, key, Decade(ratio), new NumberTolerance(DecadeTolerance, 0, where));
}

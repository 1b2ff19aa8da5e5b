using System.Diagnostics;
using ConvCompare.Cases;
using ConvCompare.Limits;
using ConvCompare.Runner;

namespace ConvCompare.Kit;

/// <summary>
/// Shrinks a case an outside implementation fails, as <c>run</c> shrinks ConvRef's: each smaller variant
/// that <see cref="Shrinker"/> proposes is written as a one-case kit, the implementation is run on it
/// by the command the user gave (<c>judge --shrink-with</c>), and its output is judged; the smallest
/// variant on which a tensor that failed still fails is the suggestion.
/// </summary>
/// <param name="command">A shell command in which <see cref="KitPlaceholder"/> stands for the one-case kit's folder.</param>
/// <param name="limits">The limits each variant is judged under.</param>
internal sealed class KitShrink(string command, ResourceLimits limits)
{
    /// <summary>What the command writes for the kit's folder.</summary>
    public const string KitPlaceholder = "{kit}";

    /// <summary>Longest one run of the command may take; a variant it does not finish counts as not failing.</summary>
    public static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(2);

    /// <summary>Variants tried per failing case: each is a run of the outside program, so fewer than <see cref="Shrinker.DefaultMaxAttempts"/>.</summary>
    public const int MaxAttempts = 100;

    /// <summary>The smallest variant of <paramref name="failed"/>'s case on which one of its failing tensors still fails, or null when none smaller does.</summary>
    public CaseConfig? Shrink(KitCaseVerdict failed)
    {
        ArgumentNullException.ThrowIfNull(failed);
        var failing = failed.Tensors.Where(t => !t.Pass).Select(t => t.Kind).ToHashSet();
        var smallest = Shrinker.Shrink(failed.Config, candidate => StillFails(candidate, failing), MaxAttempts);
        return smallest == failed.Config ? null : smallest;
    }

    private bool StillFails(CaseConfig candidate, HashSet<TensorKind> failing)
    {
        var folder = Directory.CreateTempSubdirectory("convcompare-shrink-");
        try
        {
            string kit = Path.Combine(folder.FullName, "kit");
            KitWriter.Write(kit, [candidate], new KitOrigin(null, null, candidate.Dtype == CaseDtype.F32 ? "f32" : "f64"));
            if (!Run(kit))
                return false;
            var verdict = new KitJudge(kit, Path.Combine(kit, KitFormat.OutputsFolder), limits, null).Judge(candidate);
            return verdict.Failed && verdict.Tensors.Any(t => !t.Pass && failing.Contains(t.Kind));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Runs the command on <paramref name="kit"/> through the shell; true when it exits 0 in time.</summary>
    private bool Run(string kit)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command.Replace(KitPlaceholder, "'" + kit.Replace("'", "'\\''", StringComparison.Ordinal) + "'", StringComparison.Ordinal));
        using var process = Process.Start(start)!;
        var drained = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        if (!process.WaitForExit(RunLimit))
        {
            process.Kill(entireProcessTree: true);
            return false;
        }
        drained.Wait();
        return process.ExitCode == 0;
    }
}

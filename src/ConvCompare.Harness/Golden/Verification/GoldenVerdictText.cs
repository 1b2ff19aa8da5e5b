using ConvCompare.Cli;
using System.Globalization;
using ConvCompare.Cases;
using ConvCompare.Comparison;

namespace ConvCompare.Golden.Verification;

/// <summary>
/// The one-line verdicts of <c>golden</c>, each naming who is wrong (the file, a ConvRef
/// implementation, or TorchSharp), the tensors and their worst elements, and a repro command; the
/// console and the JUnit report print the same lines.
/// </summary>
internal static class GoldenVerdictText
{
    /// <summary>
    /// <c>FILE FAULT &lt;file&gt;: ...</c>: the expected values out of bound of the reference, and of every
    /// implementation when all of them agree with the reference there. Null when the file is not at fault.
    /// </summary>
    public static string? FileFault(GoldenFileVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        if (!verdict.FileFault)
            return null;
        var faults = verdict.FileFaults.Select(t => t.Kind).ToList();
        bool everyEngineAgrees = verdict.Verdicts.All(v => v.Error is null && v.Judged.Where(t => faults.Contains(t.Kind)).All(t => t.Pass));
        return $"FILE FAULT {verdict.File}: the expected values are out of bound of " +
               (everyEngineAgrees ? "every implementation and of the reference" : "the reference") +
               " in " + string.Join("; ", verdict.FileFaults.Select(t => Describe(verdict, t))) + "; repro: " + CommandText.Of("golden", verdict.File);
    }

    /// <summary>
    /// <c>FAIL &lt;file&gt;: serial ...</c> for a ConvRef implementation, <c>ORACLE FAULT &lt;file&gt;: torch ...</c>
    /// for TorchSharp: what it disagrees with (the file, or the reference where the file is at fault), or what it threw.
    /// </summary>
    public static string Disagreement(GoldenFileVerdict verdict, ImplementationVerdict result)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(result);
        string what = result.Error ?? "disagrees beyond the rounding-error bound in " + string.Join("; ",
            result.Judged.Where(t => !t.Pass).Select(t => Describe(verdict, t) + (result.JudgedByReference(t.Kind) ? " with the reference" : " with the file")));
        return $"{(result.IsOracle ? "ORACLE FAULT" : "FAIL")} {verdict.File}: {result.Implementation} {what}; repro: " +
               (result.IsOracle ? CommandText.Of("golden", verdict.File, "--torch") : CommandText.Of("golden", verdict.File, "--impl", result.Implementation));
    }

    /// <summary>A bound ratio as golden prints it, e.g. <c>3.1e-1</c>.</summary>
    public static string Ratio(double ratio) => ratio.ToString("0.0e+0", CultureInfo.InvariantCulture);

    private static string Describe(GoldenFileVerdict verdict, TensorComparison t)
    {
        var shape = verdict.Case!.Expected[t.Kind]!.Shape;
        string elements = string.Join(", ", t.OutOfBound.Select(i => TensorComparison.ElementName(t.Kind.Name(), shape, i)));
        return string.Create(CultureInfo.InvariantCulture,
            $"{t.Kind.Name()} ({t.OutOfBoundCount} element(s), worst {elements}; bound_ratio {Ratio(t.BoundRatio)}, max_rel {t.MaxRel:0.0e+0})");
    }
}

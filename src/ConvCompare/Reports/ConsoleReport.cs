using System.Globalization;
using System.Text;
using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Runner;
using Spectre.Console;

namespace ConvCompare.Reports;

/// <summary>
/// What a person reads: a live progress bar and a summary table on a terminal; the same content as
/// plain lines when output is redirected or CI=true, so logs stay readable.
/// </summary>
internal static class ConsoleReport
{
    /// <summary>Whether to write plain lines (output redirected, or the CI variable is true/1).</summary>
    public static bool Plain
    {
        get
        {
            string? ci = Environment.GetEnvironmentVariable("CI");
            return Console.IsOutputRedirected || string.Equals(ci, "true", StringComparison.OrdinalIgnoreCase) || ci == "1";
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/>, giving it a progress callback: a live bar on a terminal; in plain
    /// mode a line per failing case as it happens and a progress line per tenth.
    /// </summary>
    public static T WithProgress<T>(string title, Func<Action<int, int, IReadOnlyList<CaseResult>>, T> work, bool strictOracle)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Plain)
        {
            int lastTenth = 0;
            return work((done, total, results) =>
            {
                foreach (var r in results.Where(r => Sweep.Fails(r, strictOracle) || !r.OracleAgrees))
                    Console.WriteLine(Headline(r));
                int tenth = total == 0 ? 10 : done * 10 / total;
                if (tenth > lastTenth)
                {
                    lastTenth = tenth;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"progress: {done}/{total} cases"));
                }
            });
        }
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title));
                result = work((done, total, _) =>
                {
                    task.MaxValue = Math.Max(total, 1);
                    task.Value = done;
                });
            });
        return result;
    }

    /// <summary>Writes the end-of-run summary: totals, the per-tensor table, failures with repro commands, oracle faults.</summary>
    public static void WriteSummary(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var s = report.Summary;
        int implementations = s.Cases == 0 ? 0 : s.Total / s.Cases;
        string headline = string.Create(CultureInfo.InvariantCulture,
            $"{s.Cases} cases x {implementations} implementation(s) = {s.Total} results: {s.Passed} passed, {s.Failed} failed, {s.OracleFaults} with TorchSharp out of bound (oracle faults{(s.StrictOracle ? ", counted as failures" : ", not held against ConvRef")}) in {report.Seconds:0.0} s");
        if (Plain)
        {
            Console.WriteLine(headline);
            foreach (var row in s.Rows)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{row.Name,-9} compared {row.Compared,5}  failed {row.Failed,4}  arbitrated {row.Arbitrated,4}  oracle faults {row.OracleFaults,4}  worst ratio {Ratio(row.WorstRatio),9}  {row.WorstId}"));
        }
        else
        {
            var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(headline));
            foreach (var column in new[] { "tensor", "compared", "failed", "arbitrated", "oracle faults", "worst ratio" })
                table.AddColumn(new TableColumn(column).NoWrap());
            foreach (var row in s.Rows)
                table.AddRow(row.Name, Text(row.Compared), row.Failed == 0 ? "0" : $"[red]{row.Failed}[/]", Text(row.Arbitrated),
                    row.OracleFaults == 0 ? "0" : $"[yellow]{row.OracleFaults}[/]", Ratio(row.WorstRatio));
            AnsiConsole.Write(table);
            foreach (var row in s.Rows.Where(r => r.WorstId.Length > 0))
                Console.WriteLine($"worst {row.Name}: {row.WorstId}");
        }
        Console.WriteLine("coverage: " + string.Join(", ", s.Coverage.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Class} {c.Cases}"))));
        Console.WriteLine("bound ratio = max |ConvRef - TorchSharp| / (2 gamma_K * magnitude); <= 1 is within rounding error (gradcheck: error / tolerance).");
        foreach (var r in s.Results.Where(r => !r.Pass))
            WriteBlock(Explain(r), "red");
        foreach (var r in s.Results.Where(r => r.Pass && !r.OracleAgrees))
            WriteBlock(Explain(r), "yellow");
    }

    /// <summary>Every metric of one result, as <c>check</c> prints it.</summary>
    public static void WriteCase(CaseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var c = result.Config;
        var lines = new StringBuilder();
        lines.AppendLine(CultureInfo.InvariantCulture, $"case {result.Id} [{result.Implementation}]");
        lines.AppendLine(CultureInfo.InvariantCulture,
            $"  input {c.N}x{c.Cin}x{c.H}x{c.W}, weights {c.Cout}x{c.Cin / c.Groups}x{c.KH}x{c.KW}, output {c.N}x{c.Cout}x{c.OutH}x{c.OutW}; stride {c.StrideH}x{c.StrideW}, padding t{c.PadTop} b{c.PadBottom} l{c.PadLeft} r{c.PadRight}, dilation {c.DilationH}x{c.DilationW}, groups {c.Groups}, bias {(c.Bias ? "yes" : "no")}, activation {CaseId.ActivationToken(c.Activation)}, clip {(c.Clip is { } clip ? clip.ToString("R", CultureInfo.InvariantCulture) : "none")}, {(c.Dtype == CaseDtype.F32 ? "float32" : "float64")}");
        if (result.Error is { } error)
            lines.AppendLine("  error: " + error);
        foreach (var t in result.Tensors)
        {
            var v = t.VersusOracle;
            lines.AppendLine(CultureInfo.InvariantCulture,
                $"  {t.Kind.Name(),-2} vs torch: max_abs {v.MaxAbs:G3}  max_rel {v.MaxRel:G3}  bound_ratio {Ratio(v.BoundRatio)}  assert_close {(v.AssertClose ? "pass" : "fail")}  -> {(t.Pass ? "pass" : "FAIL")}");
            if (t.Arbitrated)
                lines.AppendLine(CultureInfo.InvariantCulture,
                    $"     arbitration by the compensated reference: ConvRef bound_ratio {Ratio(t.ConvRefVersusReference!.BoundRatio)} ({(t.ConvRefVersusReference.Pass ? "in bound" : "OUT OF BOUND")}), TorchSharp bound_ratio {Ratio(t.OracleVersusReference!.BoundRatio)} ({(t.OracleVersusReference.Pass ? "in bound" : "OUT OF BOUND")})");
        }
        foreach (var g in new[] { result.GradCheck, result.OracleGradCheck })
            lines.AppendLine(CultureInfo.InvariantCulture,
                $"  gradcheck ({g.ModeName}, {g.Checks} checks) of {g.Against}: worst {g.Worst} error {g.MaxError:G3}, tolerance {g.Tolerance:G3} -> {(g.Pass ? "pass" : "FAIL")}");
        lines.AppendLine(CultureInfo.InvariantCulture, $"  oracle: {(result.OracleAgrees ? "agree" : "FAULT")}; ConvRef: {(result.Pass ? "pass" : "FAIL")}; {result.Seconds:0.000} s");
        WriteBlock(lines.ToString().TrimEnd() + (result.Pass && result.OracleAgrees ? "" : Environment.NewLine + Explain(result)), result.Pass ? result.OracleAgrees ? "green" : "yellow" : "red");
    }

    /// <summary>Why a result failed or showed an oracle fault, with the command that reproduces it.</summary>
    public static string Explain(CaseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder(Headline(result));
        if (result.Error is { } error)
            text.Append("\n  ").Append(error);
        foreach (var t in result.Tensors.Where(t => !t.Pass))
        {
            var against = t.ConvRefVersusReference ?? t.VersusOracle;
            text.Append(CultureInfo.InvariantCulture, $"\n  ConvRef {t.Kind.Name()}: bound ratio {Ratio(against.BoundRatio)} at {against.OutOfBoundCount} element(s), e.g. {string.Join(", ", against.OutOfBound.Take(3).Select(i => TensorComparison.ElementName(t.Kind.Name(), ShapeOf(result.Config, t.Kind), i)))}");
        }
        if (!result.GradCheck.Pass && result.Error is null)
            text.Append(CultureInfo.InvariantCulture, $"\n  ConvRef gradcheck ({result.GradCheck.ModeName}): {result.GradCheck.Worst} error {result.GradCheck.MaxError:G3} > tolerance {result.GradCheck.Tolerance:G3}");
        foreach (var fault in result.OracleFaults)
        {
            text.Append("\n  oracle fault: ").Append(fault.Detail);
            foreach (var e in fault.Elements.Take(3))
                text.Append("\n    ").Append(e);
        }
        if (result.ShrunkId is { } shrunk && shrunk != result.Id)
            text.Append("\n  shrunk to ").Append(shrunk).Append("\n  repro (shrunk):   ").Append(RunReport.Repro(shrunk))
                .Append("\n  repro (original): ").Append(RunReport.Repro(result.Id));
        else
            text.Append("\n  repro: ").Append(RunReport.Repro(result.Id));
        return text.ToString();
    }

    private static string Headline(CaseResult r) =>
        (r.Pass ? "ORACLE FAULT " : "FAIL ") + r.Id + " [" + r.Implementation + "]" +
        (r.Pass ? ": TorchSharp is out of bound, ConvRef is verified" : ": ConvRef is not verified");

    private static int[] ShapeOf(CaseConfig c, TensorKind kind) => kind switch
    {
        TensorKind.Y => c.OutputShape,
        TensorKind.Dx => c.InputShape,
        TensorKind.Dw => c.WeightShape,
        _ => [c.Cout],
    };

    private static void WriteBlock(string text, string color)
    {
        if (Plain)
            Console.WriteLine(text);
        else
            AnsiConsole.MarkupLine($"[{color}]{Markup.Escape(text)}[/]");
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Ratio(double ratio) =>
        double.IsFinite(ratio) ? ratio.ToString("0.000e+0", CultureInfo.InvariantCulture) : "inf";
}

using System.Globalization;
using System.Text;
using ConvCompare.Cases;
using ConvCompare.Implementations;
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
    /// mode a line per failing result (ConvRef failure or oracle fault) as it happens and a progress line per tenth.
    /// </summary>
    public static T WithProgress<T>(string title, Func<Action<int, int, IReadOnlyList<CaseResult>>, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Plain)
        {
            int lastTenth = 0;
            return work((done, total, results) =>
            {
                foreach (var r in results.Where(r => !r.Pass))
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

    /// <summary>Writes the end-of-run summary: totals per implementation, the per-tensor table, failures with repro commands, oracle faults.</summary>
    public static void WriteSummary(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var s = report.Summary;
        string headline = string.Create(CultureInfo.InvariantCulture,
            $"{s.Cases} cases, {s.Total} results, {s.Failed} failing the run: {string.Join("; ", s.Implementations.Select(i => Tally(i, s.StrictOracle)))}; in {report.Seconds:0.0} s");
        if (Plain)
        {
            Console.WriteLine(headline);
            foreach (var row in s.Rows)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{row.Name,-9} {string.Join("  ", row.Counts.Select(Cell))}  arbitrated {row.Arbitrated,4}  worst ratio {Ratio(row.WorstRatio),9}  {row.WorstId}"));
        }
        else
        {
            var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(headline));
            var implementations = s.Implementations.Select(i => i.IsOracle ? i.Implementation + " (oracle) faults" : i.Implementation + " failed").ToList();
            foreach (var column in new[] { "tensor" }.Concat(implementations).Concat(["arbitrated", "worst ratio"]))
                table.AddColumn(new TableColumn(Markup.Escape(column)).NoWrap());
            foreach (var row in s.Rows)
                table.AddRow([row.Name, .. row.Counts.Select(c => c.Failed == 0 ? Markup.Escape(Count(c)) : $"[{(c.IsOracle ? "yellow" : "red")}]{Markup.Escape(Count(c))}[/]"),
                    Text(row.Arbitrated), Ratio(row.WorstRatio)]);
            AnsiConsole.Write(table);
            foreach (var row in s.Rows.Where(r => r.WorstId.Length > 0))
                Console.WriteLine($"worst {row.Name}: {row.WorstId}");
        }
        Console.WriteLine("coverage: " + string.Join(", ", s.Coverage.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Class} {c.Cases}"))));
        var threadChecked = s.Results.Where(r => r.Tensors.Any(t => t.Threads is not null)).ToList();
        if (threadChecked.Count > 0)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"threads: {threadChecked.Count} result(s) of real-layer size computed again on 1 thread, {threadChecked.Count(r => r.Tensors.Any(t => t.Threads is { Pass: false }))} not the same bit for bit"));
        Console.WriteLine("bound ratio = max |implementation - what it is judged against| / rounding bound; <= 1 is within rounding error (gradcheck: error / tolerance).");
        foreach (var r in s.Results.Where(r => !r.Pass && !r.IsOracle))
            WriteBlock(Explain(r), "red");
        foreach (var r in s.Results.Where(r => !r.Pass && r.IsOracle))
            WriteBlock(Explain(r), s.StrictOracle ? "red" : "yellow");
        ErrorInputReport.Write(report);
    }

    /// <summary>Every metric of one result, as <c>check</c> prints it.</summary>
    public static void WriteCase(CaseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var c = result.Config;
        var lines = new StringBuilder();
        lines.AppendLine(CultureInfo.InvariantCulture, $"case {result.Id} [{result.Implementation}{(result.IsOracle ? ", the oracle" : "")}]");
        if (c.Family is { } family)
            lines.AppendLine(FamilyLine(c, family));
        else
            lines.AppendLine(CultureInfo.InvariantCulture,
            $"  input {c.Shape.N}x{c.Shape.Cin}x{c.Shape.H}x{c.Shape.W}, weights {c.Shape.Cout}x{c.Shape.Cin / c.Geometry.Groups}x{c.Shape.KH}x{c.Shape.KW}, output {c.Shape.N}x{c.Shape.Cout}x{c.OutH}x{c.OutW}; stride {c.Geometry.StrideH}x{c.Geometry.StrideW}, padding t{c.Geometry.PadTop} b{c.Geometry.PadBottom} l{c.Geometry.PadLeft} r{c.Geometry.PadRight}, dilation {c.Geometry.DilationH}x{c.Geometry.DilationW}, groups {c.Geometry.Groups}, bias {(c.Bias ? "yes" : "no")}, activation {CaseId.ActivationToken(c.Activation)}, clip {(c.Clip is { } clip ? clip.ToString("R", CultureInfo.InvariantCulture) : "none")}, {(c.Dtype == CaseDtype.F32 ? "float32" : "float64")}");
        if (result.Error is { } error)
            lines.AppendLine("  threw: " + error);
        string other = result.IsOracle ? "ConvRef" : BuiltInImplementations.OracleName;
        foreach (var t in result.Tensors)
        {
            if (t.Agreement is { } v)
                lines.AppendLine(CultureInfo.InvariantCulture,
                    $"  {t.Kind.Name(),-2} vs {other}: max_abs {v.MaxAbs:G3}  max_rel {v.MaxRel:G3}  bound_ratio {Ratio(v.BoundRatio)}  assert_close {(v.AssertClose ? "pass" : "fail")}{(t.Arbitrated ? "" : "  -> " + PassText(t.Judged.Pass))}");
            if (t.VersusReference is { } r)
                lines.AppendLine(CultureInfo.InvariantCulture,
                    $"  {t.Kind.Name(),-2} vs the compensated reference: max_abs {r.MaxAbs:G3}  max_rel {r.MaxRel:G3}  bound_ratio {Ratio(r.BoundRatio)}  -> {PassText(t.Judged.Pass)}");
            if (t.Threads is { } threads)
                lines.AppendLine(CultureInfo.InvariantCulture,
                    $"  {t.Kind.Name(),-2} on 1 thread vs {threads.Threads}: {(threads.Pass ? "bitwise the same -> pass" : threads.Message(result.Implementation) + " -> FAIL")}");
        }
        if (result.GradCheck is { } g)
            lines.AppendLine(CultureInfo.InvariantCulture,
                $"  gradcheck ({g.ModeName}, {g.Checks} checks) of {g.Against}: worst {g.Worst} error {g.MaxError:G3}, tolerance {g.Tolerance:G3} -> {PassText(g.Pass)}");
        if (result.GradGradCheck is { } gg)
            lines.AppendLine(CultureInfo.InvariantCulture,
                $"  gradgradcheck ({gg.Checks} directions) of {gg.Against}'s double backward: worst {gg.Worst} error {gg.MaxError:G3}, tolerance {gg.Tolerance:G3} -> {PassText(gg.Pass)}");
        lines.AppendLine(CultureInfo.InvariantCulture, $"  {Who(result)}: {(result.Pass ? "pass" : result.IsOracle ? "ORACLE FAULT" : "FAIL")}; {result.Seconds:0.000} s");
        WriteBlock(lines.ToString().TrimEnd() + (result.Pass ? "" : Environment.NewLine + Explain(result)),
            result.Pass ? "green" : result.IsOracle ? "yellow" : "red");
    }

    /// <summary>Why a result failed, naming the implementation, with the command that reproduces it.</summary>
    public static string Explain(CaseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder(Headline(result));
        string who = Who(result);
        if (result.Error is { } error)
            text.Append(CultureInfo.InvariantCulture, $"\n  {who} threw {error}");
        foreach (var t in result.Tensors.Where(t => t.Threads is { Pass: false }))
            text.Append("\n  ").Append(t.Threads!.Message(result.Implementation));
        // Only the reference's verdict can fail a tensor's value: agreeing with the oracle passes.
        foreach (var t in result.Tensors.Where(t => !t.Judged.Pass))
        {
            var judged = t.Judged;
            text.Append(CultureInfo.InvariantCulture, $"\n  {who} {t.Kind.Name()}: bound ratio {Ratio(judged.BoundRatio)} against the compensated reference at {judged.OutOfBoundCount} element(s)");
            foreach (var e in t.Evidence.Take(3))
                text.Append("\n    ").Append(e);
        }
        if (result.GradCheck is { Pass: false } check)
            text.Append(CultureInfo.InvariantCulture, $"\n  {who} gradcheck ({check.ModeName}): {check.Worst} error {check.MaxError:G3} > tolerance {check.Tolerance:G3}");
        if (result.GradGradCheck is { Pass: false } secondOrder)
            text.Append(CultureInfo.InvariantCulture, $"\n  {who} gradgradcheck: {secondOrder.Worst} error {secondOrder.MaxError:G3} > tolerance {secondOrder.Tolerance:G3}");
        if (result.ShrunkId is { } shrunk && shrunk != result.Id)
            text.Append("\n  shrunk to ").Append(shrunk).Append("\n  repro (shrunk):   ").Append(RunReport.Repro(shrunk))
                .Append("\n  repro (original): ").Append(RunReport.Repro(result.Id));
        else
            text.Append("\n  repro: ").Append(RunReport.Repro(result.Id));
        return text.ToString();
    }

    private static string Headline(CaseResult r) => r.IsOracle
        ? "ORACLE FAULT " + r.Id + " [" + r.Implementation + "]: TorchSharp " + (r.Crashed ? "threw" : "is out of bound") + "; not held against ConvRef"
        : "FAIL " + r.Id + " [" + r.Implementation + "]: ConvRef " + r.Implementation + (r.Crashed ? " threw" : " is not verified");

    private static string Who(CaseResult r) => r.IsOracle ? "TorchSharp" : "ConvRef " + r.Implementation;

    private static string PassText(bool pass) => pass ? "pass" : "FAIL";

    private static string Tally(ImplementationCount i, bool strictOracle) => i.IsOracle
        ? string.Create(CultureInfo.InvariantCulture, $"{i.Implementation} (oracle) {i.Failed} fault(s), {i.Crashed} crashed, {(strictOracle ? "counted as failures" : "not held against ConvRef")}")
        : string.Create(CultureInfo.InvariantCulture, $"{i.Implementation} {i.Failed} failed, {i.Crashed} crashed");

    private static string Count(ImplementationCount c) =>
        string.Create(CultureInfo.InvariantCulture, $"{c.Failed}/{c.Compared} ({c.Crashed} crashed)");

    private static string Cell(ImplementationCount c) =>
        string.Create(CultureInfo.InvariantCulture, $"{c.Implementation} {(c.IsOracle ? "faults" : "failed")} {Count(c)}");

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

    /// <summary>A family case's shapes and hyperparameters over its own axes, with its operation, padding spelling and mode.</summary>
    private static string FamilyLine(CaseConfig c, CaseFamily family)
    {
        string Axes(Func<FamilyAxis, string> pick, string separator = "x") => string.Join(separator, c.Axes.Select(pick));
        string I(long v) => v.ToString(CultureInfo.InvariantCulture);
        return FormattableString.Invariant(
            $"  {family.Op.Name()}: input {string.Join("x", c.InputShape)}, weights {string.Join("x", c.WeightShape)}, output {string.Join("x", c.OutputShape)}; ") +
            FormattableString.Invariant(
            $"stride {Axes(a => I(a.Stride))}, padding before+after {Axes(a => I(a.PadBefore) + "+" + I(a.PadAfter), " ")} ({family.Padding.ToString().ToLowerInvariant()}, {family.Mode.Token()}), dilation {Axes(a => I(a.Dilation))}") +
            (family.Op.Transposed() ? ", output padding " + Axes(a => I(a.OutputPadding)) : "") +
            FormattableString.Invariant(
            $", groups {c.Geometry.Groups}, bias {(c.Bias ? "yes" : "no")}, activation {CaseId.ActivationToken(c.Activation)}, clip {(c.Clip is { } clip ? clip.ToString("R", CultureInfo.InvariantCulture) : "none")}, {(c.Dtype == CaseDtype.F32 ? "float32" : "float64")}");
    }
}

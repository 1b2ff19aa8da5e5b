using System.Globalization;
using ConvCompare.Cases;
using ConvCompare.Cli;
using ConvCompare.Golden.Verification;
using ConvCompare.Limits;
using Spectre.Console;

namespace ConvCompare.Kit;

/// <summary>
/// What a person reads after <c>judge</c>: one sentence per unusable output on stderr; per case a line
/// (plain) or a table row (terminal) of bound ratios; a block per failing case naming the tensors, their
/// worst elements and how to write that case alone; the oracle notes; a summary line.
/// </summary>
internal static class KitConsoleReport
{
    /// <summary>Writes the report of <paramref name="judgement"/>.</summary>
    public static void Write(KitJudgement judgement, TextWriter output, TextWriter error, bool plain)
    {
        ArgumentNullException.ThrowIfNull(judgement);
        foreach (var verdict in judgement.Cases.Where(c => c.Problem is not null))
            error.WriteLine("convcompare: " + verdict.Problem);
        foreach (var stray in judgement.Strays)
            error.WriteLine("convcompare: " + stray.Sentence);
        var judged = judgement.Cases.Where(c => c.Problem is null).ToList();
        if (plain || judged.Count == 0)
        {
            foreach (var verdict in judged)
                output.WriteLine($"{(verdict.Pass ? "PASS" : "FAIL"),-4}  {verdict.Id}  bound_ratio: {Ratios(verdict)}");
        }
        else
        {
            var table = new Table().Caption("cells: bound_ratio = max |output - reference| / rounding-error bound, pass <= 1");
            var kinds = judged.Any(v => v.Config.Order == 2) ? [.. TensorKinds.All, .. TensorKinds.SecondOrder] : TensorKinds.All;
            table.AddColumns(["case", "y", "dx/delta", "dw", "db", .. kinds.Skip(TensorKinds.All.Count).Select(k => k.Name()), "verdict"]);
            foreach (var verdict in judged)
                table.AddRow([Markup.Escape(verdict.Id),
                    .. kinds.Select(kind => verdict.Tensors.FirstOrDefault(t => t.Kind == kind) is { } t
                        ? (t.Pass ? Ratio(t.Judged.BoundRatio) : $"[red]{Ratio(t.Judged.BoundRatio)}[/]")
                        : "-"),
                    verdict.Pass ? "[green]pass[/]" : "[red]FAIL[/]"]);
            AnsiConsole.Write(table);
        }
        foreach (var verdict in judged.Where(v => v.Failed))
            output.WriteLine(Explain(verdict, judgement.Kit));
        foreach (var verdict in judged.Where(v => v.Torch is { Fault: true }))
            output.WriteLine(OracleNote(verdict));
        string oracle = judgement.Torch ? $", {judgement.OracleFaults} oracle faults (TorchSharp, not held against the implementation)" : "";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"judge: {judgement.Cases.Count} cases, {judgement.Passed} passed, {judgement.Failed} failed, {judgement.Unusable} unusable outputs, {judgement.Strays.Count} stray files{oracle}; in {judgement.Seconds:0.0} s"));
    }

    /// <summary>
    /// Why a case fails: each tensor out of bound with its worst elements, and the command that writes a
    /// kit of that case alone, to rerun the implementation on it.
    /// </summary>
    public static string Explain(KitCaseVerdict verdict, string kit)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var lines = new List<string>
        {
            $"FAIL {verdict.Id}: the implementation's {string.Join(", ", verdict.FailedTensors)} {(verdict.FailedTensors.Count() == 1 ? "is" : "are")} out of the rounding bound of the reference (the definition of {verdict.Config.Op.Name()}) in {UntrustedText.Escape(verdict.Output)}",
        };
        foreach (var tensor in verdict.Tensors.Where(t => !t.Pass))
        {
            var c = tensor.Judged;
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"  {KitFormat.OutputName(verdict.Config, tensor.Kind)}: bound_ratio {Ratio(c.BoundRatio)}, {c.OutOfBoundCount} element(s) out of bound, max_abs {c.MaxAbs:G3}"));
            lines.AddRange(tensor.Evidence.Select(e => "    " + e));
        }
        if (verdict.ShrunkId is { } shrunk)
            lines.Add("  shrunk: " + shrunk + " (the smallest case found on which the implementation still fails), alone: " + CommandText.Of("kit", kit.TrimEnd('/') + "-" + shrunk, "--case", shrunk));
        lines.Add("  this case alone, to rerun the implementation on it: " + Repro(verdict, kit));
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>The command that writes a kit of <paramref name="verdict"/>'s case alone, beside <paramref name="kit"/>.</summary>
    public static string Repro(KitCaseVerdict verdict, string kit)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(kit);
        return CommandText.Of("kit", kit.TrimEnd('/') + "-" + verdict.Id, "--case", verdict.Id);
    }

    /// <summary>The oracle note of a case: TorchSharp out of bound of the reference, or threw.</summary>
    public static string OracleNote(KitCaseVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var torch = verdict.Torch!;
        return torch.Error is { } error
            ? $"ORACLE NOTE {verdict.Id}: TorchSharp threw {error}; not held against the implementation"
            : $"ORACLE NOTE {verdict.Id}: TorchSharp is out of its rounding bound of the reference in " +
              string.Join(", ", torch.VersusReference.Where(c => !c.Pass).Select(c => $"{KitFormat.OutputName(verdict.Config, c.Kind)} (bound_ratio {Ratio(c.BoundRatio)})")) +
              "; not held against the implementation";
    }

    private static string Ratios(KitCaseVerdict verdict) =>
        string.Join("  ", verdict.Tensors.Select(t => $"{KitFormat.OutputName(verdict.Config, t.Kind)} {Ratio(t.Judged.BoundRatio)}"));

    private static string Ratio(double ratio) => GoldenVerdictText.Ratio(ratio);
}

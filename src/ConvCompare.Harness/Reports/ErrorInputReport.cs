using System.Globalization;
using System.Text.Json;
using System.Xml;
using ConvCompare.Runner;

namespace ConvCompare.Reports;

/// <summary>
/// The error-input tier's part of every report: a console section (per implementation, how many cases it
/// refused as it must; every failure with its verdict and repro), one JUnit testcase per case and
/// implementation (classname <c>convcompare.errors.&lt;impl&gt;</c>), and the <c>error_inputs</c> object of the JSON report.
/// </summary>
internal static class ErrorInputReport
{
    /// <summary>Per implementation (the oracle last): results, and how many did not refuse as they must.</summary>
    public static IReadOnlyList<ImplementationCount> Counts(IReadOnlyList<ErrorResult> results) =>
        [.. results.GroupBy(r => (r.Implementation, r.IsOracle)).OrderBy(g => g.Key.IsOracle)
            .Select(g => new ImplementationCount(g.Key.Implementation, g.Key.IsOracle, g.Count(), g.Count(r => !r.Pass), g.Count(r => r.Outcome == ErrorOutcome.Crashed)))];

    /// <summary>The console section; nothing when the run had no error inputs.</summary>
    public static void Write(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var results = report.ErrorInputs;
        if (results.Count == 0)
            return;
        int cases = results.Select(r => r.Id).Distinct().Count();
        string tally = string.Join("; ", Counts(results).Select(c => FormattableString.Invariant(
            $"{c.Implementation}{(c.IsOracle ? " (oracle)" : "")} refused {c.Compared - c.Failed}/{c.Compared}, {c.Crashed} crashed")));
        Console.WriteLine(FormattableString.Invariant(
            $"error inputs: {cases} invalid configurations ({results.Select(r => r.Case.Rule).Distinct().Count()} rules), each to be refused with an argument error naming the parameter: {tally}"));
        foreach (var r in results.Where(r => !r.Pass).OrderBy(r => r.IsOracle))
            Console.WriteLine(Explain(r, report.Summary.StrictOracle));
    }

    /// <summary>A failing result: headline, verdict, the case's shapes and its repro.</summary>
    public static string Explain(ErrorResult r, bool strictOracle)
    {
        ArgumentNullException.ThrowIfNull(r);
        string headline = r.IsOracle
            ? $"ORACLE FAULT {r.Id} [{r.Implementation}]" + (strictOracle ? "" : ": not held against ConvRef")
            : $"FAIL {r.Id} [{r.Implementation}]";
        return $"{headline}\n  {r.Verdict}\n  {r.Case.Describe()}\n  repro: {RunReport.Repro(r.Id)}";
    }

    /// <summary>The JUnit testcases, one per result.</summary>
    public static void WriteJUnit(XmlWriter xml, RunReport report)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(report);
        bool strict = report.Summary.StrictOracle;
        foreach (var r in report.ErrorInputs)
        {
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("classname", "convcompare.errors." + r.Implementation);
            xml.WriteAttributeString("name", r.Id);
            xml.WriteAttributeString("time", r.Seconds.ToString("0.###", CultureInfo.InvariantCulture));
            if (ErrorInputSweep.Fails(r, strict))
            {
                xml.WriteStartElement(r.Outcome == ErrorOutcome.Crashed ? "error" : "failure");
                xml.WriteAttributeString("message", r.Verdict);
                xml.WriteString(Explain(r, strict));
                xml.WriteEndElement();
            }
            else if (!r.Pass)
                xml.WriteElementString("system-out", Explain(r, strict));
            xml.WriteEndElement();
        }
    }

    /// <summary>JUnit's counts of the error inputs: (tests, failures, errors).</summary>
    public static (int Tests, int Failures, int Errors) JUnitCounts(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var failing = report.ErrorInputs.Where(r => ErrorInputSweep.Fails(r, report.Summary.StrictOracle)).ToList();
        return (report.ErrorInputs.Count, failing.Count(r => r.Outcome != ErrorOutcome.Crashed), failing.Count(r => r.Outcome == ErrorOutcome.Crashed));
    }

    /// <summary>The <c>error_inputs</c> object: the requested count, per-implementation counts, and one entry per result.</summary>
    public static void WriteJson(Utf8JsonWriter json, RunReport report)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(report);
        json.WriteStartObject("error_inputs");
        json.WriteNumber("requested_cases", report.RequestedErrorCases);
        json.WriteStartObject("implementations");
        foreach (var count in Counts(report.ErrorInputs))
        {
            json.WriteStartObject(count.Implementation);
            json.WriteString("role", count.IsOracle ? "oracle" : "convref");
            json.WriteNumber("results", count.Compared);
            json.WriteNumber("failed", count.Failed);
            json.WriteNumber("crashed", count.Crashed);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteStartArray("cases");
        foreach (var r in report.ErrorInputs)
        {
            json.WriteStartObject();
            json.WriteString("id", r.Id);
            json.WriteString("rule", r.Case.Rule.Token);
            json.WriteString("op", r.Case.Op.Token);
            json.WriteString("statement", r.Case.Rule.Statement);
            json.WriteString("expected_parameter", r.Case.Parameter);
            json.WriteString("impl", r.Implementation);
            json.WriteString("role", r.IsOracle ? "oracle" : "convref");
            json.WriteStartArray("attempts");
            foreach (var a in r.Attempts)
            {
                json.WriteStartObject();
                json.WriteString("pass", Token(a.Pass));
                json.WriteString("outcome", Token(a.Outcome));
                json.WriteString("parameter", a.Parameter);
                json.WriteString("message", a.Message);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteString("disagreement", r.Disagreement);
            json.WriteString("verdict", r.Verdict);
            json.WriteBoolean("pass", r.Pass);
            json.WriteNumber("seconds", Math.Round(r.Seconds, 6));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The token of a pass in reports: forward, backward, double_backward.</summary>
    public static string Token(Cases.ErrorPasses pass) => pass switch
    {
        Cases.ErrorPasses.Forward => "forward",
        Cases.ErrorPasses.Backward => "backward",
        _ => "double_backward",
    };

    /// <summary>The token of an outcome in reports: refused, wrong_parameter, crashed, accepted.</summary>
    public static string Token(ErrorOutcome outcome) => outcome switch
    {
        ErrorOutcome.Refused => "refused",
        ErrorOutcome.WrongParameter => "wrong_parameter",
        ErrorOutcome.Crashed => "crashed",
        _ => "accepted",
    };
}

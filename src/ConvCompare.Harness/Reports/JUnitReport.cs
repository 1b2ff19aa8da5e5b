using System.Globalization;
using System.Xml;
using ConvCompare.Runner;

namespace ConvCompare.Reports;

/// <summary>
/// JUnit XML (<c>--junit FILE</c>) so CI systems list every case natively: one testcase per case and
/// implementation (classname <c>convcompare.serial</c>, <c>convcompare.vectorized</c> or <c>convcompare.torch</c>,
/// name = the case id). A ConvRef implementation out of bound is a failure and one that threw an error;
/// the oracle's fault (out of bound or threw) is the same under --strict-oracle and otherwise a note in
/// system-out, so only the implementation that is wrong is ever marked.
/// </summary>
internal static class JUnitReport
{
    /// <summary>Writes <paramref name="report"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var summary = report.Summary;
        using var xml = XmlWriter.Create(path, new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) });
        xml.WriteStartDocument();
        xml.WriteStartElement("testsuites");
        xml.WriteStartElement("testsuite");
        xml.WriteAttributeString("name", "convcompare " + report.Command);
        var errorInputs = ErrorInputReport.JUnitCounts(report);
        xml.WriteAttributeString("tests", Text(summary.Total + errorInputs.Tests));
        xml.WriteAttributeString("failures", Text(summary.Results.Count(r => !r.Crashed && Sweep.Fails(r, summary.StrictOracle)) + errorInputs.Failures));
        xml.WriteAttributeString("errors", Text(summary.Results.Count(r => r.Crashed && Sweep.Fails(r, summary.StrictOracle)) + errorInputs.Errors));
        xml.WriteAttributeString("time", Text(report.Seconds));
        foreach (var r in summary.Results)
        {
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("classname", "convcompare." + r.Implementation);
            xml.WriteAttributeString("name", r.Id);
            xml.WriteAttributeString("time", Text(r.Seconds));
            if (Sweep.Fails(r, summary.StrictOracle))
            {
                xml.WriteStartElement(r.Crashed ? "error" : "failure");
                xml.WriteAttributeString("message", Message(r));
                xml.WriteString(ConsoleReport.Explain(r));
                xml.WriteEndElement();
            }
            else if (!r.Pass)
                xml.WriteElementString("system-out", ConsoleReport.Explain(r));
            xml.WriteEndElement();
        }
        ErrorInputReport.WriteJUnit(xml, report);
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static string Message(CaseResult r) => r.IsOracle
        ? (r.Crashed ? "TorchSharp (the oracle) threw: " + r.Error : "TorchSharp (the oracle) is out of its rounding bound on this case")
        : r.Crashed ? "ConvRef " + r.Implementation + " threw: " + r.Error
        : r.Tensors.Select(t => t.Threads).FirstOrDefault(t => t is { Pass: false }) is { } threads ? "ConvRef " + threads.Message(r.Implementation)
        : "ConvRef " + r.Implementation + " is out of its rounding bound";

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Xml;
using ConvCompare.Runner;

namespace ConvCompare.Reports;

/// <summary>
/// JUnit XML (<c>--junit FILE</c>) so CI systems list every case natively: one testcase per case and
/// implementation (classname <c>convcompare.serial</c> / <c>convcompare.vectorized</c>, name = the case id);
/// a ConvRef failure is a failure, a crash an error, an oracle fault a failure under --strict-oracle
/// and otherwise a note in system-out.
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
        xml.WriteAttributeString("tests", Text(summary.Total));
        xml.WriteAttributeString("failures", Text(summary.Results.Count(r => r.Error is null && Sweep.Fails(r, summary.StrictOracle))));
        xml.WriteAttributeString("errors", Text(summary.Results.Count(r => r.Error is not null)));
        xml.WriteAttributeString("time", Text(report.Seconds));
        foreach (var r in summary.Results)
        {
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("classname", "convcompare." + r.Implementation);
            xml.WriteAttributeString("name", r.Id);
            xml.WriteAttributeString("time", Text(r.Seconds));
            if (r.Error is { } error)
            {
                xml.WriteStartElement("error");
                xml.WriteAttributeString("message", error);
                xml.WriteString(ConsoleReport.Explain(r));
                xml.WriteEndElement();
            }
            else if (Sweep.Fails(r, summary.StrictOracle))
            {
                xml.WriteStartElement("failure");
                xml.WriteAttributeString("message", r.Pass ? "TorchSharp (the oracle) is wrong on this case" : "ConvRef is out of its rounding bound");
                xml.WriteString(ConsoleReport.Explain(r));
                xml.WriteEndElement();
            }
            else if (!r.OracleAgrees)
                xml.WriteElementString("system-out", ConsoleReport.Explain(r));
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Xml;

namespace ConvCompare.Kit;

/// <summary>
/// JUnit XML of <c>judge</c> (<c>--junit FILE</c>): one testcase per case (classname <c>convcompare.judge</c>,
/// name = the case id), a <c>failure</c> when an output is out of bound, an <c>error</c> when the output
/// file is unusable; one <c>error</c> testcase per stray file (classname <c>convcompare.judge.file</c>).
/// TorchSharp's faults, asked for with --torch, are a <c>system-out</c> note.
/// </summary>
internal static class KitJUnitReport
{
    /// <summary>Writes <paramref name="judgement"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, KitJudgement judgement)
    {
        ArgumentNullException.ThrowIfNull(judgement);
        using var xml = XmlWriter.Create(stream, new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) });
        xml.WriteStartDocument();
        xml.WriteStartElement("testsuites");
        xml.WriteStartElement("testsuite");
        xml.WriteAttributeString("name", "convcompare judge");
        xml.WriteAttributeString("tests", Text(judgement.Cases.Count + judgement.Strays.Count));
        xml.WriteAttributeString("failures", Text(judgement.Failed));
        xml.WriteAttributeString("errors", Text(judgement.Unusable + judgement.Strays.Count));
        xml.WriteAttributeString("time", judgement.Seconds.ToString("0.###", CultureInfo.InvariantCulture));
        foreach (var verdict in judgement.Cases)
        {
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("classname", "convcompare.judge");
            xml.WriteAttributeString("name", verdict.Id);
            if (verdict.Problem is { } problem)
            {
                xml.WriteStartElement("error");
                xml.WriteAttributeString("message", problem);
                xml.WriteEndElement();
            }
            else if (verdict.Failed)
            {
                xml.WriteStartElement("failure");
                xml.WriteAttributeString("message", $"out of the rounding bound of the reference in {string.Join(", ", verdict.FailedTensors)}");
                xml.WriteString(KitConsoleReport.Explain(verdict, judgement.Kit));
                xml.WriteEndElement();
            }
            if (verdict.Torch is { Fault: true })
                xml.WriteElementString("system-out", KitConsoleReport.OracleNote(verdict));
            xml.WriteEndElement();
        }
        foreach (var stray in judgement.Strays)
        {
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("classname", "convcompare.judge.file");
            xml.WriteAttributeString("name", stray.File);
            xml.WriteStartElement("error");
            xml.WriteAttributeString("message", stray.Sentence);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}

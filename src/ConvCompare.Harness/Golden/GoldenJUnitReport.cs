using System.Xml;
using ConvCompare.Golden.Verification;

namespace ConvCompare.Golden;

/// <summary>
/// The <c>golden --junit</c> report, so CI lists every file and implementation natively: per file one
/// testcase for the file itself (classname <c>convcompare.golden.file</c>, an <c>error</c> when it is
/// unusable or its expected values are at fault) and one per implementation (classname
/// <c>convcompare.golden.serial</c>, <c>.vectorized</c>, <c>.torch</c>; name = the file): a ConvRef
/// implementation out of bound is a <c>failure</c>, one that threw an <c>error</c>; TorchSharp's faults
/// are the same under --strict-oracle and otherwise a note in system-out. Only who is wrong is marked.
/// </summary>
internal static class GoldenJUnitReport
{
    /// <summary>Writes the report for <paramref name="verdicts"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IReadOnlyList<GoldenFileVerdict> verdicts, bool strictOracle)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        var cases = verdicts.SelectMany(v => Cases(v, strictOracle)).ToList();
        using var xml = XmlWriter.Create(stream, new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) });
        xml.WriteStartDocument();
        xml.WriteStartElement("testsuites");
        xml.WriteStartElement("testsuite");
        xml.WriteAttributeString("name", "convcompare golden");
        xml.WriteAttributeString("tests", Text(cases.Count));
        xml.WriteAttributeString("failures", Text(cases.Count(c => c.Element == "failure")));
        xml.WriteAttributeString("errors", Text(cases.Count(c => c.Element == "error")));
        foreach (var (classname, name, element, message, body) in cases)
        {
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("classname", "convcompare.golden." + classname);
            xml.WriteAttributeString("name", name);
            if (element is "failure" or "error")
            {
                xml.WriteStartElement(element);
                xml.WriteAttributeString("message", message);
                xml.WriteString(body);
                xml.WriteEndElement();
            }
            else if (element is "system-out")
                xml.WriteElementString("system-out", body);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    /// <summary>The file's testcases: (classname, name, failure/error/system-out or null, message, body).</summary>
    private static IEnumerable<(string Classname, string Name, string? Element, string Message, string Body)> Cases(GoldenFileVerdict verdict, bool strictOracle)
    {
        if (verdict.Error is { } unusable)
        {
            yield return ("file", verdict.File, "error", "the file is unusable", unusable);
            yield break;
        }
        yield return GoldenVerdictText.FileFault(verdict) is { } fileFault
            ? ("file", verdict.File, "error", "the expected values are out of bound of the reference", fileFault)
            : ("file", verdict.File, null, "", "");
        foreach (var result in verdict.Verdicts)
        {
            string? element = result.Pass ? null
                : result.IsOracle && !strictOracle ? "system-out"
                : result.Error is not null ? "error" : "failure";
            string message = result.Error ?? (result.IsOracle ? "TorchSharp (the oracle) is out of its rounding bound" : $"ConvRef {result.Implementation} is out of its rounding bound");
            yield return (result.Implementation, verdict.File, element, message, result.Pass ? "" : GoldenVerdictText.Disagreement(verdict, result));
        }
    }

    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

using System.Text.Json.Nodes;
using ConvCompare.Cases;
using ConvCompare.Kit;
using ConvCompare.Limits;
using ConvCompare.Tests.Harness;

namespace ConvCompare.Tests.Kit;

/// <summary>
/// With --torch, TorchSharp is a note and never a verdict: an oracle out of bound (or throwing) is
/// reported as an oracle fault while the implementation's verdict stays what the reference gives. The
/// oracle here is the test oracle (the reference rounded to the dtype) with errors planted, so nothing
/// depends on TorchSharp's own float32 results.
/// </summary>
public sealed class OracleNoteTests : IDisposable
{
    private readonly TestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    public static TheoryData<string> Oracles => new() { "agrees", "wrong dw", "throws" };

    [SkippableTheory]
    [MemberData(nameof(Oracles))]
    public void OracleNote_NeverChangesTheImplementationsVerdict(string oracle)
    {
        OutsideProgram.SkipUnlessAvailable();
        OutsideProgram.Fill(_kit.Folder);
        Runner.ILayerEngine torch = oracle switch
        {
            // A relative error cannot be planted in a tensor that holds infinities: the non-finite case keeps the oracle's values.
            "wrong dw" => new PlantedEngine(new ReferenceOracle(), TensorKind.Dw, 0, 1e-3, (c, _) => c.Values != ValueKind.NonFinite),
            "throws" => PlantedEngine.Throwing(new ReferenceOracle(), "planted"),
            _ => new ReferenceOracle(),
        };
        var cases = TestKit.Ids.Select(id => CaseId.TryParse(id, out var c, out _) ? c : throw new InvalidOperationException(id)).ToList();

        int faults = oracle switch
        {
            "wrong dw" => cases.Count(c => c.Values != ValueKind.NonFinite),
            "throws" => cases.Count,
            _ => 0,
        };

        var judgement = new KitJudge(_kit.Folder, Path.Combine(_kit.Folder, KitFormat.OutputsFolder), ResourceLimits.Default, torch).Judge(cases);

        Assert.All(judgement.Cases, c => Assert.True(c.Pass, c.Id));
        Assert.Equal(0, judgement.ExitCode);
        Assert.Equal(faults, judgement.OracleFaults);
        var output = new StringWriter();
        KitConsoleReport.Write(judgement, output, TextWriter.Null, plain: true);
        Assert.Equal(faults, output.ToString().Split('\n').Count(l => l.StartsWith("ORACLE NOTE ", StringComparison.Ordinal)));
        if (oracle == "wrong dw")
            Assert.Contains("TorchSharp is out of its rounding bound of the reference in dw (bound_ratio", output.ToString(), StringComparison.Ordinal);
        using var json = new MemoryStream();
        KitJsonReport.Write(json, judgement);
        var report = JsonNode.Parse(json.ToArray())!;
        ReportConvention.AssertFollowed(report.ToJsonString());
        Assert.Equal(faults, report["cases"]!.AsArray().Count(c => (bool)c!["torch"]!["fault"]!));
    }
}

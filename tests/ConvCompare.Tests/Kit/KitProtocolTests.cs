using System.Text.Json.Nodes;
using System.Xml.Linq;
using ConvCompare.Cli;
using ConvCompare.Tests.Cli;
using ConvCompare.Tests.Harness;

namespace ConvCompare.Tests.Kit;

/// <summary>
/// The kit's protocol end to end with an outside program (<see cref="OutsideProgram"/>, a Python script
/// that shares nothing with the harness but the file contract): a correct implementation passes in every
/// report, and a bug planted in it is blamed on it, on the tensor that is wrong, in every case it touches.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class KitProtocolTests : IDisposable
{
    private readonly TestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    [SkippableFact]
    public void CorrectOutsideImplementation_PassesEveryCaseInConsoleJsonAndJUnit()
    {
        OutsideProgram.SkipUnlessAvailable();
        OutsideProgram.Fill(_kit.Folder);

        var (code, stdout, stderr) = Judge();

        Assert.True(code == ExitCodes.Passed, stdout + stderr);
        Assert.Equal("", stderr);
        foreach (string id in TestKit.Ids)
            Assert.Contains($"PASS  {id}  bound_ratio: ", stdout, StringComparison.Ordinal);
        Assert.Contains($"judge: {TestKit.Ids.Count} cases, {TestKit.Ids.Count} passed, 0 failed, 0 unusable outputs, 0 stray files", stdout, StringComparison.Ordinal);
        var report = Report();
        Assert.All(Cases(report), c => Assert.Equal("pass", (string)c["status"]!));
        Assert.Equal(TestKit.Ids, Cases(report).Select(c => (string)c["id"]!));
        var junit = XDocument.Load(_kit.Beside("judge.xml"));
        Assert.Equal(TestKit.Ids.Count, junit.Descendants("testcase").Count());
        Assert.Empty(junit.Descendants("failure").Concat(junit.Descendants("error")));
    }

    [SkippableFact]
    public void OneWrongElementOfDw_IsBlamedOnDwInEveryCaseAndOnNothingElse()
    {
        OutsideProgram.SkipUnlessAvailable();
        OutsideProgram.Fill(_kit.Folder, bug: "dw");

        var (code, stdout, _) = Judge();

        Assert.Equal(ExitCodes.Failed, code);
        foreach (string id in TestKit.Ids)
            Assert.Contains($"FAIL {id}: the implementation's dw is out of the rounding bound of the reference", stdout, StringComparison.Ordinal);
        foreach (var c in Cases(Report()))
        {
            Assert.Equal(["dw"], Failing(c));
            Assert.Equal(1, (int)c["tensors"]!["dw"]!["out_of_bound"]!);
            Assert.StartsWith("dw[", (string)c["tensors"]!["dw"]!["evidence"]![0]!, StringComparison.Ordinal);
        }
        Assert.Equal(TestKit.Ids.Count, XDocument.Load(_kit.Beside("judge.xml")).Descendants("failure").Count());
    }

    [SkippableFact]
    public void BiasGradientMissingTheLastPosition_IsBlamedOnDbWhereTheLayerHasABias()
    {
        OutsideProgram.SkipUnlessAvailable();
        OutsideProgram.Fill(_kit.Folder, bug: "db");

        var (code, stdout, _) = Judge();

        Assert.Equal(ExitCodes.Failed, code);
        foreach (var c in Cases(Report()))
        {
            string id = (string)c["id"]!;
            if (id == TestKit.WithoutBias)
                Assert.Equal("pass", (string)c["status"]!);
            else
            {
                Assert.Equal(["db"], Failing(c));
                Assert.Contains($"FAIL {id}: the implementation's db is out", stdout, StringComparison.Ordinal);
            }
        }
    }

    [SkippableFact]
    public void ShrinkWithTheOutsideProgram_SuggestsASmallerCaseThatStillFailsTheSameTensor()
    {
        OutsideProgram.SkipUnlessAvailable();
        string kit = _kit.Beside("one");
        Assert.Equal(ExitCodes.Passed, ProgramRun.Invoke("kit", kit, "--case", TestKit.Spoiled).Code);
        OutsideProgram.Fill(kit, bug: "db");

        var (code, stdout, _) = ProgramRun.Invoke("judge", kit, "--shrink-with", OutsideProgram.ShellCommand("db"), "--json", _kit.Beside("judge.json"));

        Assert.Equal(ExitCodes.Failed, code);
        string shrunk = (string)Cases(Report()).Single()["shrunk_id"]!;
        Assert.Contains("  shrunk: " + shrunk, stdout, StringComparison.Ordinal);
        Assert.True(ConvCompare.Cases.CaseId.TryParse(shrunk, out var smaller, out _));
        Assert.True(ConvCompare.Cases.CaseId.TryParse(TestKit.Spoiled, out var original, out _));
        Assert.True(smaller.MultiplyAdds < original.MultiplyAdds, $"{shrunk} is not smaller than {TestKit.Spoiled}");
        Assert.True(smaller.Bias, "without a bias there is no db to be wrong");
        foreach (var (bug, expected) in new[] { ("db", ExitCodes.Failed), ((string?)null, ExitCodes.Passed) })
        {
            string again = _kit.Beside("shrunk-" + (bug ?? "correct"));
            Assert.Equal(ExitCodes.Passed, ProgramRun.Invoke("kit", again, "--case", shrunk).Code);
            OutsideProgram.Fill(again, bug);
            var judged = ProgramRun.Invoke("judge", again);
            Assert.Equal(expected, judged.Code);
            Directory.Delete(again, recursive: true);
        }
        Directory.Delete(kit, recursive: true);
    }

    private (int Code, string Stdout, string Stderr) Judge() =>
        ProgramRun.Invoke("judge", _kit.Folder, "--json", _kit.Beside("judge.json"), "--junit", _kit.Beside("judge.xml"));

    private JsonNode Report()
    {
        string text = File.ReadAllText(_kit.Beside("judge.json"));
        ReportConvention.AssertFollowed(text);
        return JsonNode.Parse(text)!;
    }

    private static IEnumerable<JsonNode> Cases(JsonNode report) => report["cases"]!.AsArray().Select(c => c!);

    private static List<string> Failing(JsonNode c) =>
        [.. c["tensors"]!.AsObject().Where(t => !(bool)t.Value!["pass"]!).Select(t => t.Key)];
}

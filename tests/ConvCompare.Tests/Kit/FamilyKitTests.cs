using System.Text.Json.Nodes;
using System.Xml.Linq;
using ConvCompare.Cases;
using ConvCompare.Cli;
using ConvCompare.Golden;
using ConvCompare.Golden.Safetensors;
using ConvCompare.Kit;
using ConvCompare.Tests.Cli;
using ConvCompare.Tests.Harness;

namespace ConvCompare.Tests.Kit;

/// <summary>
/// Kits of the convolution family (schema_version 2): every operation, padding mode and spelling, unbatched inputs
/// and output padding, each case's operation and geometry in the manifest and its input file; the outside program
/// (which reads the family off the definition, sharing nothing with the harness) passes, and bugs planted in it are
/// blamed on exactly the tensor they spoil, in the console, JSON and JUnit reports.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class FamilyKitTests : IDisposable
{
    /// <summary>Every operation and padding mode, same and valid, unbatched inputs, output padding, activations, and one case of the original grammar.</summary>
    private static readonly string[] Ids =
    [
        "conv1d-n3c3w11-o3k1-s3-p1,1-d1-g1-f64-nb-v137254",
        "conv3d-n3c2d1h5w3-o4k1x3x4-s3x3x3-p0,1,0,0,2,2-d4x2x2-g2-f32-nb-sigmoid-v105542",
        "conv_transpose1d-n2c1w1-o4k4-s1-p0,0-op0-d1-g1-f32-tanh-v730293",
        "conv_transpose2d-n2c1h4w5-o1k2x4-s1x3-p0,0,0,2-op0x1-d1x1-g1-f64-v357502",
        "conv_transpose3d-n1c2d5h4w2-o4k1x3x4-s3x2x1-p0,0,2,2,2,2-op2x0x0-d1x1x1-g2-ub-f32-relu-v453261",
        "conv2d-n1c3h2w6-o3k1x3-s2x1-p0,0,1,1-d1x1-g3-reflect-f64-v814692",
        "conv2d-n1c2h1w5-o4k1x1-s1x3-p1,1,2,2-d1x2-g2-replicate-f32-tanh-v295581",
        "conv1d-n1c4w3-o3k3-s1-psame-d3-g1-circular-ub-f32-v515020",
        "conv3d-n1c4d4h4w5-o2k2x1x3-s1x1x1-pvalid-d1x1x1-g1-reflect-ub-f32-v68450",
        "n2c1h3w4-o2k3x1-s2x3-p0,0,1,1-d1x1-g1-f64-v149887",
    ];

    /// <summary>The cases whose padding copies the input (reflect, replicate, circular with pads): the ones a border left unfolded spoils.</summary>
    private static readonly string[] CopiedBorder = [Ids[5], Ids[6], Ids[7]];

    private readonly string _directory = Directory.CreateTempSubdirectory("convcompare-family-kit-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Kit => Path.Combine(_directory, "kit");

    private string Beside(string name) => Path.Combine(_directory, name);

    private void WriteKit() =>
        KitWriter.Write(Kit, [.. Ids.Select(id => CaseId.TryParse(id, out var c, out string error) ? c : throw new InvalidOperationException(error))], new KitOrigin(null, null, "both"));

    [Fact]
    public void FamilyKit_IsSchemaVersion2_WithEachCasesOperationPaddingModeAndAxes()
    {
        WriteKit();

        string text = File.ReadAllText(Path.Combine(Kit, KitFormat.Manifest));
        ReportConvention.AssertFollowed(text, KitFormat.FamilyVersion);
        var cases = JsonNode.Parse(text)!["cases"]!.AsArray();
        Assert.Equal(Ids, cases.Select(c => (string)c!["id"]!));
        foreach (var entry in cases)
        {
            Assert.True(CaseId.TryParse((string)entry!["id"]!, out var config, out _));
            Assert.Equal(config.Op.Name(), (string)entry["op"]!);
            Assert.Equal(config.PaddingMode.Token(), (string)entry["padding_mode"]!);
            Assert.Equal(config.Family?.Batched ?? true, (bool)entry["batched"]!);
            var axes = entry["axes"]!.AsArray();
            Assert.Equal(config.Axes.Select(a => a.Output), axes.Select(a => (long)a!["output"]!));
            Assert.Equal(config.Axes.Select(a => a.PadBefore), axes.Select(a => (long)a!["pad_before"]!));
            Assert.All(axes, a => Assert.Equal(config.Op.Transposed(), a!.AsObject().ContainsKey("output_padding")));

            var input = SafetensorsFile.Read(Path.Combine(Kit, (string)entry["input"]!));
            Assert.Equal(config.Op.Name(), input.Metadata[GoldenFormat.Op]);
            Assert.Equal(config.Family is null ? null : config.PaddingMode.Token(), input.Metadata.GetValueOrDefault(GoldenFormat.PaddingMode));
            Assert.Equal(config.InputShape, input.Tensors[KitFormat.A].Shape);
            Assert.Equal(config.WeightShape, input.Tensors[KitFormat.W].Shape);
        }
    }

    [Fact]
    public void KitOfConv2dCasesAlone_StaysVersion1WithoutTheFamilyFields()
    {
        var (code, _, stderr) = ProgramRun.Invoke("kit", Kit, "--cases", "3", "--seed", "4");

        Assert.True(code == ExitCodes.Passed, stderr);
        string text = File.ReadAllText(Path.Combine(Kit, KitFormat.Manifest));
        ReportConvention.AssertFollowed(text, KitFormat.Version);
        Assert.All(JsonNode.Parse(text)!["cases"]!.AsArray(), c => Assert.False(c!.AsObject().ContainsKey("op")));
    }

    [Fact]
    public void KitCommandWithFamilyCases_WritesThemAfterTheConv2dCases_AndWithOpThatOperationAlone()
    {
        Assert.Equal(ExitCodes.Passed, ProgramRun.Invoke("kit", Kit, "--cases", "2", "--family", "6", "--seed", "4").Code);
        var generator = new CaseGenerator(4, new CaseGeneratorOptions { Tier = CaseTier.Edge, FamilyCases = 6 });
        Assert.Equal(generator.Sweep(2, Shard.All).Select(c => CaseId.Format(c.Case with { Clip = null })), Manifest(Kit)["cases"]!.AsArray().Select(c => (string)c!["id"]!));
        Assert.Equal(KitFormat.FamilyVersion, (int)Manifest(Kit)["schema_version"]!);

        string only = Beside("only");
        Assert.Equal(ExitCodes.Passed, ProgramRun.Invoke("kit", only, "--cases", "3", "--op", "conv_transpose3d").Code);
        Assert.All(Manifest(only)["cases"]!.AsArray(), c => Assert.Equal("conv_transpose3d", (string)c!["op"]!));
    }

    [Fact]
    public void Version1ManifestListingAFamilyCase_IsRefusedWithOneSentence()
    {
        WriteKit();
        string manifest = Path.Combine(Kit, KitFormat.Manifest);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"schema_version\": 2", "\"schema_version\": 1", StringComparison.Ordinal));

        var (code, _, stderr) = ProgramRun.Invoke("judge", Kit);

        Assert.Equal(ExitCodes.BadArguments, code);
        Assert.Contains($"case 0: the case id '{Ids[0]}' is a case of the convolution family (conv1d), which a kit of \"schema_version\": 1 cannot hold (version 2 can)", stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void CorrectOutsideImplementationOfTheFamily_PassesEveryCaseInConsoleJsonAndJUnit()
    {
        OutsideProgram.SkipUnlessAvailable();
        WriteKit();
        OutsideProgram.Fill(Kit);

        var (code, stdout, stderr) = Judge();

        Assert.True(code == ExitCodes.Passed, stdout + stderr);
        foreach (string id in Ids)
            Assert.Contains($"PASS  {id}  bound_ratio: ", stdout, StringComparison.Ordinal);
        Assert.All(Cases(), c => Assert.Equal("pass", (string)c["status"]!));
        var junit = XDocument.Load(Beside("judge.xml"));
        Assert.Equal(Ids.Length, junit.Descendants("testcase").Count());
        Assert.Empty(junit.Descendants("failure").Concat(junit.Descendants("error")));
    }

    [SkippableFact]
    public void BorderGradientNotFoldedBack_IsBlamedOnTheInputGradientOfTheCopiedBorderCasesAlone()
    {
        OutsideProgram.SkipUnlessAvailable();
        WriteKit();
        OutsideProgram.Fill(Kit, bug: "border");

        var (code, stdout, _) = Judge();

        Assert.Equal(ExitCodes.Failed, code);
        foreach (var c in Cases())
        {
            string id = (string)c["id"]!;
            Assert.True(CaseId.TryParse(id, out var config, out _));
            string input = KitFormat.OutputName(config, TensorKind.Dx);
            if (CopiedBorder.Contains(id))
            {
                Assert.Equal([input], Failing(c));
                Assert.Contains($"FAIL {id}: the implementation's {input} is out of the rounding bound of the reference (the definition of {config.Op.Name()})", stdout, StringComparison.Ordinal);
            }
            else
                Assert.Equal("pass", (string)c["status"]!);
        }
        var failures = XDocument.Load(Beside("judge.xml")).Descendants("failure").ToList();
        Assert.Equal(CopiedBorder.Length, failures.Count);
        Assert.All(failures, f => Assert.Contains(CopiedBorder, id => ((string)f.Parent!.Attribute("name")!).Contains(id, StringComparison.Ordinal)));
    }

    [SkippableFact]
    public void OneWrongElementOfDw_IsBlamedOnDwInEveryFamilyCase()
    {
        OutsideProgram.SkipUnlessAvailable();
        WriteKit();
        OutsideProgram.Fill(Kit, bug: "dw");

        var (code, _, _) = Judge();

        Assert.Equal(ExitCodes.Failed, code);
        foreach (var c in Cases())
        {
            Assert.Equal(["dw"], Failing(c));
            Assert.Equal(1, (int)c["tensors"]!["dw"]!["out_of_bound"]!);
        }
        Assert.Equal(Ids.Length, XDocument.Load(Beside("judge.xml")).Descendants("failure").Count());
    }

    [SkippableFact]
    public void MisShapedFamilyOutput_IsOneSentenceInTheOperationsWords_AndTheOtherCasesAreStillJudged()
    {
        OutsideProgram.SkipUnlessAvailable();
        WriteKit();
        OutsideProgram.Fill(Kit);
        string spoiled = Path.Combine(Kit, KitFormat.OutputPath(Ids[4]));
        var file = SafetensorsFile.Read(spoiled);
        var tensors = file.Tensors.Values.OrderBy(e => e.Begin)
            .Select(e => e.Name == "dw" ? new SafetensorsTensor("dw", e.DType, [.. e.Shape.Reverse()], file.ReadDoubles("dw")) : new SafetensorsTensor(e.Name, e.DType, e.Shape, file.ReadDoubles(e.Name)))
            .ToList();
        File.WriteAllBytes(spoiled, SafetensorsWriter.Serialize(tensors, new Dictionary<string, string>()));

        var (code, stdout, stderr) = ProgramRun.Invoke("judge", Kit);

        Assert.Equal(ExitCodes.BadArguments, code);
        Assert.Contains("but must be [2,2,1,3,4], the shape of w (C_in, C_out/groups, kernel...)", stderr, StringComparison.Ordinal);
        Assert.Contains($"judge: {Ids.Length} cases, {Ids.Length - 1} passed, 0 failed, 1 unusable output", stdout, StringComparison.Ordinal);
    }

    private (int Code, string Stdout, string Stderr) Judge() =>
        ProgramRun.Invoke("judge", Kit, "--json", Beside("judge.json"), "--junit", Beside("judge.xml"));

    private IEnumerable<JsonNode> Cases()
    {
        string text = File.ReadAllText(Beside("judge.json"));
        ReportConvention.AssertFollowed(text);
        return JsonNode.Parse(text)!["cases"]!.AsArray().Select(c => c!);
    }

    private static JsonNode Manifest(string kit) => JsonNode.Parse(File.ReadAllText(Path.Combine(kit, KitFormat.Manifest)))!;

    private static List<string> Failing(JsonNode c) =>
        [.. c["tensors"]!.AsObject().Where(t => !(bool)t.Value!["pass"]!).Select(t => t.Key)];
}

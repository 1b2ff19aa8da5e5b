using System.Text.Json.Nodes;
using ConvCompare.Cases;
using ConvCompare.Cli;
using ConvCompare.Golden.Safetensors;
using ConvCompare.Kit;
using ConvCompare.Tests.Cli;
using ConvCompare.Tests.Harness;

namespace ConvCompare.Tests.Kit;

/// <summary>
/// <c>kit</c> writes what the contract (docs/kit.md) promises: per case an input file holding the case's
/// inputs and configuration, a manifest naming the output file, tensors, shapes and dtype, the same bytes
/// for the same seed; and <c>judge</c> refuses a folder that is no kit with one sentence.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class KitCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("convcompare-kitcmd-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void InputFiles_HoldEachCasesInputsAndConfiguration_AndTheManifestNamesEveryOutput()
    {
        var (code, _, stderr) = ProgramRun.Invoke("kit", P("k"), "--seed", "9", "--cases", "12", "--tier", "mixed");

        Assert.True(code == ExitCodes.Passed, stderr);
        string text = File.ReadAllText(Path.Combine(P("k"), "manifest.json"));
        ReportConvention.AssertFollowed(text);
        var cases = JsonNode.Parse(text)!["cases"]!.AsArray();
        var generator = new CaseGenerator(9);
        Assert.Equal(12, cases.Count);
        for (int i = 0; i < cases.Count; i++)
        {
            var entry = cases[i]!;
            var config = generator.Generate(i) with { Clip = null };
            string id = CaseId.Format(config);
            Assert.Equal(id, (string)entry["id"]!);
            Assert.Equal($"outputs/{id}.safetensors", (string)entry["output"]!);
            bool activation = config.Activation != global::ConvRef.ActivationKind.Identity;
            var outputs = entry["output_tensors"]!.AsObject();
            Assert.Equal(config.Bias ? ["y", activation ? "delta" : "dx", "dw", "db"] : ["y", activation ? "delta" : "dx", "dw"], outputs.Select(o => o.Key));
            Assert.Equal(config.OutputShape, Shape(outputs["y"]!));
            Assert.Equal(config.InputShape, Shape(outputs[activation ? "delta" : "dx"]!));
            Assert.Equal(config.WeightShape, Shape(outputs["dw"]!));
            Assert.Equal(config.Dtype == CaseDtype.F32 ? "F32" : "F64", (string)entry["stored_dtype"]!);

            var file = SafetensorsFile.Read(Path.Combine(P("k"), (string)entry["input"]!));
            var inputs = CaseInputs.Create(config);
            Assert.Equal(inputs.Input.Data, file.ReadDoubles("a"));
            Assert.Equal(inputs.Weights.Data, file.ReadDoubles("w"));
            Assert.Equal(inputs.Upstream.Data, file.ReadDoubles("dy"));
            Assert.Equal(config.Bias, file.Tensors.ContainsKey("b"));
            Assert.Equal(activation, file.Tensors.ContainsKey("z"));
            Assert.Equal(id, file.Metadata["case_id"]);
            Assert.Equal(CaseId.ActivationToken(config.Activation), file.Metadata["activation"]);
            Assert.Equal(string.Join(",", outputs.Select(o => o.Key)), file.Metadata["outputs"]);
            Assert.Equal($"{config.Geometry.StrideH},{config.Geometry.StrideW}", file.Metadata["stride"]);
        }
        Assert.Contains(cases, c => (string)c!["activation"]! != "none");
        Assert.Contains(cases, c => (string)c!["activation"]! == "none");
        Assert.Contains(cases, c => (string)c!["dtype"]! == "float32");
        Assert.Contains(cases, c => (string)c!["dtype"]! == "float64");
    }

    [Fact]
    public void SameSeed_WritesTheSameKitByteForByte()
    {
        Assert.Equal(ExitCodes.Passed, ProgramRun.Invoke("kit", P("one"), "--seed", "3", "--cases", "4").Code);
        Assert.Equal(ExitCodes.Passed, ProgramRun.Invoke("kit", P("two"), "--seed", "3", "--cases", "4").Code);

        var one = Files(P("one"));
        Assert.Equal(5, one.Count);
        Assert.Equal(one.Keys, Files(P("two")).Keys);
        foreach (var (name, bytes) in one)
            Assert.Equal(bytes, Files(P("two"))[name]);
    }

    [Fact]
    public void NamedCase_WritesAKitOfThatCaseAlone()
    {
        const string Id = "n2c2h5w4-o2k3x2-s2x1-p1,0,1,1-d1x1-g1-f32-relu-v11";
        var (code, stdout, _) = ProgramRun.Invoke("kit", P("one"), "--case", Id);

        Assert.Equal(ExitCodes.Passed, code);
        Assert.Equal([$"{Id}.safetensors"], Directory.GetFiles(Path.Combine(P("one"), "inputs")).Select(Path.GetFileName));
        Assert.Contains(CommandText.Of("judge", P("one")), stdout, StringComparison.Ordinal);
    }

    public static TheoryData<string[], string> Refusals => new()
    {
        { ["kit", "{dir}/full", "--cases", "2"], "is not empty; give a new or empty folder" },
        { ["kit", "{dir}/k", "--case", "n1c1h3w3-o1k2x2-s1x1-p0,0,0,0-d1x1-g1-f64-clip0.5-v1"], "clips dJ/dw, which a kit does not ask of an implementation" },
        { ["kit", "{dir}/k", "--case", "n1c1h3w3"], "case id 'n1c1h3w3' does not match" },
        { ["kit", "{dir}/k", "--cases", "0"], "--cases 0 must be between 1 and 100000" },
        { ["judge", "{dir}/nothing"], "is not a folder" },
        { ["judge", "{dir}/full"], "manifest.json: the kit's manifest cannot be read (it does not exist" },
        { ["judge", "{dir}/version"], "the kit's manifest must have \"schema_version\": 1 or 2, the versions of the kit contract this judge knows (it has 3)" },
        { ["judge", "{dir}/traversal"], "case 0: case id '../../etc/passwd' does not match" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void WrongArgumentsOrAFolderThatIsNoKit_AreOneSentenceAndExitCode2(string[] args, string sentence)
    {
        Directory.CreateDirectory(P("full"));
        File.WriteAllText(Path.Combine(P("full"), "notes.txt"), "not a kit");
        Directory.CreateDirectory(P("version"));
        File.WriteAllText(Path.Combine(P("version"), "manifest.json"), "{\"schema_version\": 3, \"cases\": []}");
        Directory.CreateDirectory(P("traversal"));
        File.WriteAllText(Path.Combine(P("traversal"), "manifest.json"), "{\"schema_version\": 1, \"cases\": [{\"id\": \"../../etc/passwd\"}]}");

        var (code, stdout, stderr) = ProgramRun.Invoke([.. args.Select(a => a.Replace("{dir}", _directory, StringComparison.Ordinal))]);

        Assert.Equal(ExitCodes.BadArguments, code);
        Assert.Contains(sentence, Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(P("k")) && Directory.EnumerateFileSystemEntries(P("k")).Any(), "a refused kit writes nothing");
    }

    private string P(string name) => Path.Combine(_directory, name);

    private static int[] Shape(JsonNode node) => [.. node.AsArray().Select(d => (int)d!)];

    private static Dictionary<string, byte[]> Files(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes);
}

using System.Text.Json.Nodes;
using ConvCompare.Cases;
using ConvCompare.Cli;
using ConvCompare.Golden.Safetensors;
using ConvCompare.Kit;
using ConvCompare.Tests.Cli;
using ConvCompare.Tests.Harness;

namespace ConvCompare.Tests.Kit;

/// <summary>
/// <c>kit --order 2 --family N</c> asks the family's cases for the double backward too: their input files hold ggx, ggw,
/// ggb in the operation's layout, the manifest lists d2x, d2w, d2dy, and judge holds them to the family's double backward
/// (<see cref="ConvCompare.Oracles.FamilySums.DoubleBackward"/>) under their bounds. Outputs come from
/// <see cref="ReferenceOracle"/> with errors planted, or from the outside program, which reads the double backward
/// off the definition; nothing depends on TorchSharp.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class FamilySecondOrderKitTests : IDisposable
{
    private readonly string _folder = Path.Combine(Directory.CreateTempSubdirectory("convcompare-family-kit2-").FullName, "kit");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_folder)!, recursive: true);

    [Fact]
    public void FamilyKitOfOrderTwo_IsVersion2_AndItsFamilyCasesAskForTheDoubleBackwardInTheirOperationsShapes()
    {
        var cases = WriteKit();

        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(_folder, KitFormat.Manifest)))!;
        Assert.Equal(KitFormat.FamilyVersion, (int)manifest["schema_version"]!);
        Assert.Contains(cases, c => c.Family is not null && c.Op.Transposed());
        foreach (var (config, entry) in cases.Zip(manifest["cases"]!.AsArray()))
        {
            Assert.Equal(2, config.Order);
            var outputs = entry!["output_tensors"]!.AsObject();
            Assert.Equal(config.InputShape, outputs["d2x"]!.AsArray().Select(d => (int)d!));
            Assert.Equal(config.WeightShape, outputs["d2w"]!.AsArray().Select(d => (int)d!));
            Assert.Equal(config.OutputShape, outputs["d2dy"]!.AsArray().Select(d => (int)d!));
            var file = SafetensorsFile.Read(Path.Combine(_folder, KitFormat.InputPath(CaseId.Format(config))), long.MaxValue);
            var gg = CaseInputs.Create(config).SecondOrder!;
            Assert.Equal(config.InputShape, file.Tensors["ggx"].Shape);
            Assert.Equal(gg.Weights.Data, file.ReadDoubles("ggw"));
            Assert.Equal(config.Bias, file.Tensors.ContainsKey("ggb"));
        }
    }

    [Theory]
    [InlineData("d2w")]
    [InlineData("d2dy")]
    public void OneWrongElementOfAFamilySecondOrderTensor_IsBlamedOnThatTensorInEveryCaseAndOnNothingElse(string spoiled)
    {
        var cases = WriteKit();
        Fill(cases, plantIn: null);
        var (code, stdout, stderr) = Judge();
        Assert.True(code == ExitCodes.Passed, stdout + stderr);

        Fill(cases, plantIn: spoiled);
        (code, stdout, _) = Judge();

        Assert.Equal(ExitCodes.Failed, code);
        foreach (var config in cases)
            Assert.Contains($"FAIL {CaseId.Format(config)}: the implementation's {spoiled} is out of the rounding bound of the reference (the definition of {config.Op.Name()})", stdout, StringComparison.Ordinal);
        foreach (var c in Report()["cases"]!.AsArray())
            Assert.Equal([spoiled], c!["tensors"]!.AsObject().Where(t => !(bool)t.Value!["pass"]!).Select(t => t.Key));
    }

    [SkippableFact]
    public void OutsideImplementationOfTheFamilysDoubleBackward_PassesAndItsPlantedD2wErrorIsBlamedOnD2w()
    {
        OutsideProgram.SkipUnlessAvailable();
        var cases = WriteKit();
        OutsideProgram.Fill(_folder);

        var (code, stdout, stderr) = Judge();

        Assert.True(code == ExitCodes.Passed, stdout + stderr);
        Assert.Contains($"judge: {cases.Count} cases, {cases.Count} passed, 0 failed", stdout, StringComparison.Ordinal);

        OutsideProgram.Fill(_folder, bug: "d2w");

        (code, _, _) = Judge();

        Assert.Equal(ExitCodes.Failed, code);
        foreach (var c in Report()["cases"]!.AsArray())
            Assert.Equal(["d2w"], c!["tensors"]!.AsObject().Where(t => !(bool)t.Value!["pass"]!).Select(t => t.Key));
    }

    [Fact]
    public void MisShapedD2dyOfAFamilyCase_IsOneSentenceGivingTheShapeOfDy()
    {
        var cases = WriteKit();
        var config = cases.First(c => c.Family is not null);
        Fill(cases, plantIn: null);
        string path = Path.Combine(_folder, KitFormat.OutputPath(CaseId.Format(config)));
        var file = SafetensorsFile.Read(path, long.MaxValue);
        var tensors = file.Tensors.Values.OrderBy(e => e.Begin)
            .Select(e => new SafetensorsTensor(e.Name, e.DType, e.Name == "d2dy" ? [.. e.Shape, 1] : e.Shape, file.ReadDoubles(e.Name))).ToList();
        File.WriteAllBytes(path, SafetensorsWriter.Serialize(tensors, new Dictionary<string, string>()));

        var (code, _, stderr) = Judge();

        Assert.Equal(ExitCodes.BadArguments, code);
        Assert.Equal($"convcompare: {path}: the output 'd2dy' has shape {SafetensorsEntry.Format([.. config.OutputShape, 1])} but must be {SafetensorsEntry.Format(config.OutputShape)}, the shape of dy, as dL/d(dy)",
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    /// <summary>Writes a kit of one conv2d case and six family cases, all of order 2, through the command line; returns its cases.</summary>
    private List<CaseConfig> WriteKit()
    {
        var (code, stdout, stderr) = ProgramRun.Invoke("kit", _folder, "--order", "2", "--cases", "1", "--family", "6", "--seed", "7");
        Assert.True(code == ExitCodes.Passed, stdout + stderr);
        var cases = KitManifest.Read(_folder, long.MaxValue, out string problem);
        Assert.True(cases is not null, problem);
        Assert.True(cases.Count(c => c.Family is not null) >= 4, string.Join(", ", cases.Select(CaseId.Format)));
        return [.. cases];
    }

    /// <summary>Writes every case's outputs as the definition rounded to the case's dtype; with <paramref name="plantIn"/>, one element of that tensor moved far out of any rounding bound.</summary>
    private void Fill(List<CaseConfig> cases, string? plantIn)
    {
        var oracle = new ReferenceOracle();
        foreach (var config in cases)
        {
            var computed = oracle.Compute(config, CaseInputs.Create(config), config.Dtype);
            var tensors = new List<SafetensorsTensor>();
            foreach (var (kind, name, shape) in KitFormat.Outputs(config))
            {
                double[] values = (double[])computed[kind]!.Data.Clone();
                if (name == plantIn)
                    values[values.Length / 2] += 1 + Math.Abs(values[values.Length / 2]);
                tensors.Add(new SafetensorsTensor(name, KitFormat.StoredDType(config.Dtype), shape, values));
            }
            File.WriteAllBytes(Path.Combine(_folder, KitFormat.OutputPath(CaseId.Format(config))), SafetensorsWriter.Serialize(tensors, new Dictionary<string, string>()));
        }
    }

    private (int Code, string Stdout, string Stderr) Judge() =>
        ProgramRun.Invoke("judge", _folder, "--json", Beside("judge.json"));

    private string Beside(string name) => _folder + "-" + name;

    private JsonNode Report() => JsonNode.Parse(File.ReadAllText(Beside("judge.json")))!;
}

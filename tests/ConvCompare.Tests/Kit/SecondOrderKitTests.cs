using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ConvCompare.Cases;
using ConvCompare.Cli;
using ConvCompare.Golden.Safetensors;
using ConvCompare.Kit;
using ConvCompare.Tests.Cli;
using ConvCompare.Tests.Harness;

namespace ConvCompare.Tests.Kit;

/// <summary>
/// A kit written with <c>--order 2</c> asks for the double backward: its input files hold ggx, ggw, ggb,
/// its manifest lists d2x, d2w, d2dy, and judge holds them to <see cref="ConvCompare.Oracles.DoubleBackwardReference"/>
/// under their rounding bounds. The outputs come from <see cref="ReferenceOracle"/> (the definition rounded
/// to the case's dtype), so nothing here depends on TorchSharp; errors are planted in them.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class SecondOrderKitTests : IDisposable
{
    private readonly string _folder = Path.Combine(Directory.CreateTempSubdirectory("convcompare-kit2-").FullName, "kit");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_folder)!, recursive: true);

    [Fact]
    public void OrderTwoKit_HoldsTheUpstreamGradientsAndListsTheSecondOrderOutputsWithTheirShapes()
    {
        var cases = WriteKit();

        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(_folder, KitFormat.Manifest)))!;
        Assert.Equal(KitFormat.Version, (int)manifest["schema_version"]!);
        foreach (var (config, entry) in cases.Zip(manifest["cases"]!.AsArray()))
        {
            Assert.Equal(2, config.Order);
            Assert.Contains("-order2", CaseId.Format(config), StringComparison.Ordinal);
            var outputs = entry!["output_tensors"]!.AsObject();
            Assert.Equal(config.InputShape, outputs["d2x"]!.AsArray().Select(d => (int)d!));
            Assert.Equal(config.WeightShape, outputs["d2w"]!.AsArray().Select(d => (int)d!));
            Assert.Equal(config.OutputShape, outputs["d2dy"]!.AsArray().Select(d => (int)d!));
            var inputs = entry["input_tensors"]!.AsObject();
            Assert.Equal(config.Bias, inputs.ContainsKey("ggb"));

            var file = SafetensorsFile.Read(Path.Combine(_folder, KitFormat.InputPath(CaseId.Format(config))), long.MaxValue);
            var gg = CaseInputs.Create(config).SecondOrder!;
            Assert.Equal(gg.Input.Data, file.ReadDoubles("ggx"));
            Assert.Equal(gg.Weights.Data, file.ReadDoubles("ggw"));
            if (config.Bias)
                Assert.Equal(gg.Bias!.Data, file.ReadDoubles("ggb"));
        }
    }

    [Fact]
    public void OutputsRoundedFromTheDefinition_PassEverySecondOrderTensorInConsoleJsonAndJUnit()
    {
        var cases = WriteKit();
        Fill(cases);

        var (code, stdout, stderr) = Judge();

        Assert.True(code == ExitCodes.Passed, stdout + stderr);
        Assert.Equal("", stderr);
        foreach (var config in cases)
            Assert.Matches($"PASS  {Regex.Escape(CaseId.Format(config))}  bound_ratio: .*  d2x [^ ]+  d2w [^ ]+  d2dy [^ ]+", stdout);
        foreach (var c in Report()["cases"]!.AsArray())
        {
            Assert.Equal("pass", (string)c!["status"]!);
            foreach (string name in new[] { "d2x", "d2w", "d2dy" })
                Assert.True((bool)c["tensors"]![name]!["pass"]!, name);
        }
        var junit = XDocument.Load(Beside("judge.xml"));
        Assert.Equal(cases.Count, junit.Descendants("testcase").Count());
        Assert.Empty(junit.Descendants("failure"));
    }

    [SkippableFact]
    public void OutsideImplementationOfTheDoubleBackwardFromTheDefinition_PassesAndItsPlantedD2wErrorIsBlamedOnD2w()
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

    [Theory]
    [InlineData("d2x")]
    [InlineData("d2w")]
    [InlineData("d2dy")]
    public void OneWrongElementOfASecondOrderTensor_IsBlamedOnThatTensorInEveryCaseAndOnNothingElse(string spoiled)
    {
        var cases = WriteKit();
        Fill(cases, plantIn: spoiled);

        var (code, stdout, _) = Judge();

        Assert.Equal(ExitCodes.Failed, code);
        foreach (var config in cases)
            Assert.Contains($"FAIL {CaseId.Format(config)}: the implementation's {spoiled} is out of the rounding bound of the reference", stdout, StringComparison.Ordinal);
        foreach (var c in Report()["cases"]!.AsArray())
        {
            var failing = c!["tensors"]!.AsObject().Where(t => !(bool)t.Value!["pass"]!).Select(t => t.Key);
            Assert.Equal([spoiled], failing);
            Assert.Equal(1, (int)c["tensors"]![spoiled]!["out_of_bound"]!);
            Assert.StartsWith(spoiled + "[", (string)c["tensors"]![spoiled]!["evidence"]![0]!, StringComparison.Ordinal);
        }
        Assert.Equal(cases.Count, XDocument.Load(Beside("judge.xml")).Descendants("failure").Count());
    }

    [Fact]
    public void MissingD2dy_IsOneSentenceNamingTheFileAndTheRule_AndEveryOtherCaseIsStillJudged()
    {
        var cases = WriteKit();
        Fill(cases, omitFromFirst: "d2dy");
        string first = CaseId.Format(cases[0]);
        string names = string.Join(", ", KitFormat.Outputs(cases[0]).Select(o => o.Name));

        var (code, stdout, stderr) = Judge();

        Assert.Equal(ExitCodes.BadArguments, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"convcompare: {Path.Combine(_folder, KitFormat.OutputPath(first))}: the output 'd2dy' is missing; this case's outputs are {names}", line);
        Assert.EndsWith("d2x, d2w, d2dy", names, StringComparison.Ordinal);
        foreach (var config in cases.Skip(1))
            Assert.Contains($"PASS  {CaseId.Format(config)}  ", stdout, StringComparison.Ordinal);
        Assert.Contains($"judge: {cases.Count} cases, {cases.Count - 1} passed, 0 failed, 1 unusable outputs", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void MisShapedD2w_IsOneSentenceGivingTheShapeRequired()
    {
        var cases = WriteKit();
        Fill(cases, transposeInFirst: "d2w");
        var config = cases[0];
        int[] wrong = [.. config.WeightShape.Reverse()];

        var (code, _, stderr) = Judge();

        Assert.Equal(ExitCodes.BadArguments, code);
        Assert.Equal($"convcompare: {Path.Combine(_folder, KitFormat.OutputPath(CaseId.Format(config)))}: the output 'd2w' has shape {SafetensorsEntry.Format(wrong)} but must be {SafetensorsEntry.Format(config.WeightShape)}, the shape of w (C_out, C_in/groups, kH, kW), as dL/dw",
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("3")]
    public void OrderOtherThanOneOrTwo_IsRefusedWithExitTwo(string order)
    {
        var (code, _, stderr) = ProgramRun.Invoke("kit", _folder, "--order", order);

        Assert.Equal(ExitCodes.BadArguments, code);
        Assert.Equal($"convcompare: --order {order} must be 1 (first order) or 2 (also the double backward)", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.False(Directory.Exists(_folder));
    }

    /// <summary>Writes a kit of four order-2 cases of both dtypes through the command line; returns its cases.</summary>
    private List<CaseConfig> WriteKit()
    {
        var (code, stdout, stderr) = ProgramRun.Invoke("kit", _folder, "--order", "2", "--cases", "4", "--seed", "7");
        Assert.True(code == ExitCodes.Passed, stdout + stderr);
        var cases = KitManifest.Read(_folder, long.MaxValue, out string problem);
        Assert.True(cases is not null, problem);
        Assert.Contains(cases, c => c.Dtype == CaseDtype.F32);
        return [.. cases];
    }

    /// <summary>
    /// Writes every case's outputs as the definition rounded to the case's dtype; with <paramref name="plantIn"/>, one
    /// element of that tensor moved far out of any rounding bound; with <paramref name="omitFromFirst"/>, that tensor left
    /// out of the first case's file; with <paramref name="transposeInFirst"/>, that tensor written with its shape reversed there.
    /// </summary>
    private void Fill(List<CaseConfig> cases, string? plantIn = null, string? omitFromFirst = null, string? transposeInFirst = null)
    {
        var oracle = new ReferenceOracle();
        foreach (var config in cases)
        {
            var computed = oracle.Compute(config, CaseInputs.Create(config), config.Dtype);
            var tensors = new List<SafetensorsTensor>();
            foreach (var (kind, name, shape) in KitFormat.Outputs(config))
            {
                if (name == omitFromFirst && config == cases[0])
                    continue;
                double[] values = (double[])computed[kind]!.Data.Clone();
                if (name == plantIn)
                    values[values.Length / 2] += 1 + Math.Abs(values[values.Length / 2]);
                tensors.Add(new SafetensorsTensor(name, KitFormat.StoredDType(config.Dtype),
                    name == transposeInFirst && config == cases[0] ? [.. shape.Reverse()] : shape, values));
            }
            File.WriteAllBytes(Path.Combine(_folder, KitFormat.OutputPath(CaseId.Format(config))), SafetensorsWriter.Serialize(tensors, new Dictionary<string, string>()));
        }
    }

    private (int Code, string Stdout, string Stderr) Judge() =>
        ProgramRun.Invoke("judge", _folder, "--json", Beside("judge.json"), "--junit", Beside("judge.xml"));

    private string Beside(string name) => _folder + "-" + name;

    private JsonNode Report()
    {
        string text = File.ReadAllText(Beside("judge.json"));
        ReportConvention.AssertFollowed(text);
        return JsonNode.Parse(text)!;
    }
}

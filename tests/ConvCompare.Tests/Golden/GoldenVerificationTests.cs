using System.Text.Json;
using System.Xml.Linq;
using ConvCompare.Implementations;
using ConvCompare.Cases;
using ConvCompare.Cli;
using ConvCompare.Runner;
using ConvCompare.Golden;
using ConvCompare.Golden.Safetensors;
using ConvCompare.Golden.Verification;
using TorchSharp;
using static ConvCompare.Tests.Golden.GoldenTestFiles;

namespace ConvCompare.Tests.Golden;

public sealed class GoldenVerificationTests : IDisposable
{
    private static readonly GoldenEngines All = GoldenVerifier.Engines(ImplementationRegistry.CreateDefault().Implementations, torch: true);

    private static readonly GoldenEngines ConvRefOnly = GoldenVerifier.Engines(ImplementationRegistry.CreateDefault().Implementations, torch: false);

    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("convcompare-golden-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("seed_eq1_single_channel")]
    [InlineData("pad_asymmetric")]
    [InlineData("f32_resnet_block")]
    public void SharedSample_AgreesWithBothConvRefImplementationsAndTorchSharp(string name)
    {
        using var scope = torch.NewDisposeScope();
        var verdict = GoldenVerifier.Verify(Sample(name), All);

        Assert.Null(verdict.Error);
        Assert.True(verdict.Pass);
        Assert.False(verdict.OracleFault);
        Assert.Equal(["serial", "vectorized", "torch"], verdict.Verdicts.Select(v => v.Implementation));
        foreach (var result in verdict.Verdicts)
            Assert.All(result.Tensors, t => Assert.True(t.Pass, $"{result.Implementation} {t.Kind.Name()} bound_ratio {t.BoundRatio}"));
    }

    [Fact]
    public void SampleDirectory_PassesOnTheCommandLineWithExitCodeZero()
    {
        var (exit, output, error) = RunCommand(new GoldenCommand.GoldenRequest(GoldenTestFiles.Directory));
        Assert.Equal(ExitCodes.Passed, exit);
        Assert.Equal("", error);
        Assert.Contains("golden: 3 files, 3 passed, 0 failed", output);
    }

    [Fact]
    public void Float64DwValueChangedByOnePartInAMillion_IsAFileFaultNamingDw_NotAnImplementationFailure()
    {
        // Serial, vectorized and TorchSharp (float64, which does not go through oneDNN) agree with each
        // other and with the reference; only the file's dw differs, so the file is blamed, and nothing else.
        using var scope = torch.NewDisposeScope();
        string path = WriteEdited("pad_asymmetric", "pad_asymmetric_dw_edited", g => g.Dw.Data[7] *= 1 + 1e-6);
        string json = Path.Combine(_directory, "report.json");
        string junit = Path.Combine(_directory, "report.xml");

        var (exit, output, error) = RunCommand(new GoldenCommand.GoldenRequest(path, Torch: true, JsonPath: json, JUnitPath: junit));

        Assert.Equal(ExitCodes.BadArguments, exit);
        Assert.StartsWith($"FILE FAULT {path}: the expected values are out of bound of every implementation and of the reference in dw (1 element(s), worst dw[0,0,2,1];",
            Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Contains("FILE-FAULT", output, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", output, StringComparison.Ordinal);
        Assert.DoesNotContain("ORACLE", output, StringComparison.Ordinal);
        Assert.Contains("1 failed (0 unusable, 1 file faults), 0 oracle faults", output);
        var verdict = GoldenVerifier.Verify(path, All);
        Assert.True(verdict.FileFault);
        Assert.Equal([TensorKind.Dw], verdict.FileFaults.Select(t => t.Kind));
        Assert.Equal([7], verdict.FileFaults.Single().OutOfBound);
        Assert.All(verdict.Verdicts, v =>
        {
            Assert.True(v.Pass, v.Implementation);
            Assert.False(v.Tensors.Single(t => t.Kind == TensorKind.Dw).Pass);
            Assert.True(v.JudgedByReference(TensorKind.Dw));
        });
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        var file = report.RootElement.GetProperty("files")[0];
        Assert.True(file.GetProperty("file_fault").GetBoolean());
        Assert.False(file.GetProperty("reference").GetProperty("dw").GetProperty("pass").GetBoolean());
        Assert.Equal("agree", file.GetProperty("oracle").GetString());
        Assert.Equal(1, report.RootElement.GetProperty("summary").GetProperty("file_faults").GetInt32());
        foreach (var result in file.GetProperty("results").EnumerateObject())
        {
            Assert.True(result.Value.GetProperty("pass").GetBoolean(), result.Name);
            Assert.True(result.Value.GetProperty("tensors").GetProperty("dw").GetProperty("versus_reference").GetProperty("pass").GetBoolean(), result.Name);
        }
        var testcases = XDocument.Load(junit).Root!.Element("testsuite")!.Elements("testcase").ToList();
        Assert.Equal(["file", "serial", "vectorized", "torch"], testcases.Select(t => t.Attribute("classname")!.Value["convcompare.golden.".Length..]));
        Assert.StartsWith("FILE FAULT ", testcases[0].Element("error")!.Value, StringComparison.Ordinal);
        Assert.All(testcases.Skip(1), t => Assert.False(t.HasElements, t.Attribute("classname")!.Value));
    }

    [Fact]
    public void FileFaultWhereAnImplementationIsAlsoWrong_BlamesTheFileAndThatImplementation_NotTheOthers()
    {
        string path = WriteEdited("pad_asymmetric", "pad_asymmetric_dw_edited", g => g.Dw.Data[7] *= 1 + 1e-6);
        var wrongSerial = new Harness.PlantedEngine(new ConvRefEngine(global::ConvRef.Conv2dAlgorithm.Serial), TensorKind.Dw, 2, 1e-3);
        var engines = new GoldenEngines([wrongSerial, new ConvRefEngine(global::ConvRef.Conv2dAlgorithm.Vectorized)], new Harness.ReferenceOracle());
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exit = GoldenCommand.Run(new GoldenCommand.GoldenRequest(path, Torch: true), output, error, plain: true, engines);

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.StartsWith($"FILE FAULT {path}: the expected values are out of bound of the reference in dw (1 element(s), worst dw[0,0,2,1];", error.ToString(), StringComparison.Ordinal);
        Assert.Contains($"FAIL {path}: serial disagrees beyond the rounding-error bound in dw (1 element(s), worst dw[0,0,0,2]; ", output.ToString(), StringComparison.Ordinal);
        Assert.Contains(") with the reference;", output.ToString(), StringComparison.Ordinal);
        var verdict = GoldenVerifier.Verify(path, engines);
        Assert.Equal([false, true, true], verdict.Verdicts.Select(v => v.Pass));
        Assert.False(verdict.OracleFault);
    }

    [Fact]
    public void Float32DxValueChangedByOnePartInAThousand_IsAFileFaultNamingDx()
    {
        // Float32 storage alone moves a value by up to 6e-8 relative, and the summation bound for
        // K = 144 terms is larger still, so the planted error for a float32 file must be larger
        // than 1e-6 to lie outside what rounding can explain.
        var golden = GoldenCaseReader.Read(Sample("f32_resnet_block"));
        int largest = Array.IndexOf(golden.Dx.Data, golden.Dx.Data.MaxBy(Math.Abs));
        golden.Dx.Data[largest] = (float)(golden.Dx.Data[largest] * (1 + 1e-3));

        var verdict = GoldenVerifier.Verify("edited", golden, GoldenVerifier.Engines([new ConvRefImplementation(global::ConvRef.Conv2dAlgorithm.Vectorized)], torch: false));

        Assert.Equal([TensorKind.Dx], verdict.FileFaults.Select(t => t.Kind));
        Assert.Equal([largest], verdict.FileFaults.Single().OutOfBound);
        Assert.True(verdict.Verdicts.Single().Pass);
        Assert.Equal(ExitCodes.BadArguments, GoldenCommand.ExitCode([verdict], strictOracle: true));
    }

    [Fact]
    public void PerturbedTorchSharpResult_IsAnOracleFaultThatFailsOnlyWithStrictOracle()
    {
        var engines = ConvRefOnly with { Oracle = new PerturbedOracle() };

        var verdict = GoldenVerifier.Verify(Sample("pad_asymmetric"), engines);

        Assert.True(verdict.Pass);
        Assert.False(verdict.FileFault);
        Assert.True(verdict.OracleFault);
        Assert.Equal(["dx"], verdict.Oracle!.FailedTensors);
        Assert.Equal(ExitCodes.Passed, GoldenCommand.ExitCode([verdict], strictOracle: false));
        Assert.Equal(ExitCodes.Failed, GoldenCommand.ExitCode([verdict], strictOracle: true));
    }

    [Fact]
    public void UnusableFileAmongGoodOnes_IsReportedAndTheOthersAreStillChecked()
    {
        File.Copy(Sample("pad_asymmetric"), Path.Combine(_directory, "a_good.safetensors"));
        File.WriteAllBytes(Path.Combine(_directory, "b_truncated.safetensors"), File.ReadAllBytes(Sample("pad_asymmetric"))[..100]);
        File.Copy(Sample("seed_eq1_single_channel"), Path.Combine(_directory, "c_good.safetensors"));
        string json = Path.Combine(_directory, "report.json");

        var (exit, output, error) = RunCommand(new GoldenCommand.GoldenRequest(_directory, JsonPath: json));

        Assert.Equal(ExitCodes.BadArguments, exit);
        Assert.Equal(Path.Combine(_directory, "b_truncated.safetensors") + ": the header length 712 is larger than the 92 bytes that follow it; the file is truncated or corrupt",
            error.Trim());
        Assert.Contains("golden: 3 files, 2 passed, 1 failed (1 unusable, 0 file faults)", output);
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        var files = report.RootElement.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal([true, false, true], files.Select(f => f.GetProperty("pass").GetBoolean()));
        Assert.Equal(JsonValueKind.String, files[1].GetProperty("error").ValueKind);
    }

    [Fact]
    public void JsonReport_HoldsEveryMetricPerFileImplementationAndTensor()
    {
        using var scope = torch.NewDisposeScope();
        string json = Path.Combine(_directory, "report.json");
        var (exit, _, _) = RunCommand(new GoldenCommand.GoldenRequest(Sample("pad_asymmetric"), Torch: true, JsonPath: json));

        Assert.Equal(ExitCodes.Passed, exit);
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        var file = report.RootElement.GetProperty("files")[0];
        Assert.True(file.GetProperty("pass").GetBoolean());
        Assert.Equal("agree", file.GetProperty("oracle").GetString());
        var results = file.GetProperty("results");
        foreach (string implementation in new[] { "serial", "vectorized", "torch" })
        {
            var result = results.GetProperty(implementation);
            Assert.True(result.GetProperty("pass").GetBoolean());
            foreach (string tensor in new[] { "y", "dx", "dw", "db" })
            {
                var metrics = result.GetProperty("tensors").GetProperty(tensor);
                foreach (string metric in new[] { "max_abs", "max_rel", "bound_ratio" })
                    Assert.InRange(metrics.GetProperty(metric).GetDouble(), 0, 1);
                Assert.True(metrics.GetProperty("pass").GetBoolean());
            }
        }
    }

    [Fact]
    public void SharedSamples_MatchTheirManifest()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(GoldenTestFiles.Directory, "manifest.json")));
        var entries = manifest.RootElement.EnumerateArray().ToList();
        Assert.Equal(SampleNames.Order(StringComparer.Ordinal), entries.Select(e => e.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        foreach (var entry in entries)
        {
            var file = SafetensorsFile.Read(Sample(entry.GetProperty("name").GetString()!));
            foreach (string key in GoldenFormat.RequiredMetadata)
                Assert.Equal(entry.GetProperty(key).GetString(), file.Metadata[key]);
            Assert.Equal(entry.GetProperty("y_shape").EnumerateArray().Select(d => d.GetInt32()), file.Tensors[GoldenFormat.Y].Shape);
        }
    }

    [Fact]
    public void DirectoryWithoutGoldenFiles_ChecksNothingAndSaysSo()
    {
        var (exit, _, error) = RunCommand(new GoldenCommand.GoldenRequest(_directory));
        Assert.Equal(ExitCodes.NothingChecked, exit);
        Assert.Contains("nothing was checked: the directory", error);
        Assert.Contains("contains no *.safetensors files", error);
    }

    [Fact]
    public void JsonReportInAMissingDirectory_IsBadInputBeforeAnythingRuns()
    {
        string json = Path.Combine(_directory, "no-such-dir", "r.json");
        var (exit, output, error) = RunCommand(new GoldenCommand.GoldenRequest(GoldenTestFiles.Directory, JsonPath: json));
        Assert.Equal(ExitCodes.BadArguments, exit);
        Assert.Equal("", output);
        Assert.Contains("does not exist", error);
    }

    [Fact]
    public void MissingPath_IsBadInput()
    {
        var (exit, _, error) = RunCommand(new GoldenCommand.GoldenRequest(Path.Combine(_directory, "nothing-here")));
        Assert.Equal(ExitCodes.BadArguments, exit);
        Assert.EndsWith("is neither a file nor a directory.", error.Trim(), StringComparison.Ordinal);
    }

    private string WriteEdited(string sample, string name, Action<GoldenCase> edit)
    {
        var golden = GoldenCaseReader.Read(Sample(sample));
        edit(golden);
        string path = Path.Combine(_directory, name + GoldenFormat.Extension);
        GoldenCaseWriter.Write(golden, path);
        return path;
    }

    private static (int Exit, string Output, string Error) RunCommand(GoldenCommand.GoldenRequest request)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = GoldenCommand.Run(request, output, error, plain: true);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>An oracle that is wrong in one element of dx by 1e-3.</summary>
    private sealed class PerturbedOracle : ILayerEngine
    {
        private readonly ConvRefEngine _inner = new(global::ConvRef.Conv2dAlgorithm.Serial);

        public string Name => "torch";

        public CaseOutputs Compute(CaseConfig config, CaseInputs inputs, CaseDtype dtype)
        {
            var outputs = _inner.Compute(config, inputs, dtype);
            outputs.InputGradient.Data[0] += 1e-3;
            return outputs;
        }
    }
}

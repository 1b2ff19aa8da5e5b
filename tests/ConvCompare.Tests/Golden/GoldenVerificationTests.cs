using System.Text.Json;
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
    private static readonly IReadOnlyList<ILayerEngine> All = GoldenVerifier.Engines(ImplementationChoice.Both, torch: true);

    private static readonly IReadOnlyList<ILayerEngine> ConvRefOnly = GoldenVerifier.Engines(ImplementationChoice.Both, torch: false);

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
    public void Float64DwValueChangedByOnePartInAMillion_FailsNamingDw()
    {
        var golden = GoldenCaseReader.Read(Sample("pad_asymmetric"));
        golden.Dw.Data[7] *= 1 + 1e-6;
        string path = Path.Combine(_directory, "pad_asymmetric_dw_edited.safetensors");
        GoldenCaseWriter.Write(golden, path);

        var (exit, output, _) = RunCommand(new GoldenCommand.GoldenRequest(path));

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Contains("FAIL dw", output);
        Assert.Contains("worst dw[0,0,2,1]", output);
        var verdict = GoldenVerifier.Verify(path, ConvRefOnly);
        Assert.False(verdict.Pass);
        Assert.All(verdict.Verdicts, v =>
        {
            Assert.Equal(["dw"], v.FailedTensors);
            Assert.Equal([7], v.Tensors.Single(t => t.Kind == TensorKind.Dw).OutOfBound);
        });
    }

    [Fact]
    public void Float32DxValueChangedByOnePartInAThousand_FailsNamingDx()
    {
        // Float32 storage alone moves a value by up to 6e-8 relative, and the summation bound for
        // K = 144 terms is larger still, so the planted error for a float32 file must be larger
        // than 1e-6 to lie outside what rounding can explain.
        var golden = GoldenCaseReader.Read(Sample("f32_resnet_block"));
        int largest = Array.IndexOf(golden.Dx.Data, golden.Dx.Data.MaxBy(Math.Abs));
        golden.Dx.Data[largest] = (float)(golden.Dx.Data[largest] * (1 + 1e-3));

        var verdict = GoldenVerifier.Verify("edited", golden, GoldenVerifier.Engines(ImplementationChoice.Vectorized, torch: false));

        Assert.Equal(["dx"], verdict.Verdicts.Single().FailedTensors);
    }

    [Fact]
    public void PerturbedTorchSharpResult_IsAnOracleFaultThatFailsOnlyWithStrictOracle()
    {
        var engines = new List<ILayerEngine>(ConvRefOnly) { new PerturbedOracle() };

        var verdict = GoldenVerifier.Verify(Sample("pad_asymmetric"), engines);

        Assert.True(verdict.Pass);
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
        Assert.Contains("golden: 3 files, 2 passed, 1 failed (1 unusable)", output);
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
            outputs.Dx.Data[0] += 1e-3;
            return outputs;
        }

        public global::ConvRef.Tensor<double> Forward(CaseConfig config, global::ConvRef.Tensor<double> input,
            global::ConvRef.Tensor<double> weights, global::ConvRef.Tensor<double>? bias) => _inner.Forward(config, input, weights, bias);
    }
}

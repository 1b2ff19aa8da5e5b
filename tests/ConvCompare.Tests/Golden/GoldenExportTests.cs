using ConvCompare.Implementations;
using ConvCompare.Cases;
using ConvCompare.Cli;
using ConvCompare.Golden;
using ConvCompare.Golden.Safetensors;
using ConvCompare.Golden.Verification;
using ConvCompare.Runner;
using TorchSharp;

namespace ConvCompare.Tests.Golden;

public sealed class GoldenExportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("convcompare-export-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ExportedCases_AllPassTheGoldenCommand()
    {
        using var scope = torch.NewDisposeScope();
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(ExitCodes.Passed, ExportCommand.Run(16, 11, _directory, "both", output, error));
        var files = Directory.GetFiles(_directory, "*.safetensors");
        Assert.Equal(16, files.Length);

        var engines = GoldenVerifier.Engines(ImplementationRegistry.CreateDefault().Implementations, torch: false);
        var verdicts = files.Select(f => GoldenVerifier.Verify(f, engines)).ToList();

        Assert.All(verdicts, v => Assert.True(v.Pass, v.Error ?? string.Join("; ", v.Verdicts.Select(r => r.Implementation + " " + string.Join(",", r.FailedTensors)))));
        Assert.Contains(verdicts, v => v.Case!.Dtype == CaseDtype.F32);
        Assert.Contains(verdicts, v => v.Case!.Dtype == CaseDtype.F64);
        Assert.Contains(verdicts, v => v.Case!.HasBias);
    }

    [Fact]
    public void ExportedFile_HoldsTheGeneratedInputsBitForBitAndSaysWhereItsValuesCameFrom()
    {
        using var scope = torch.NewDisposeScope();
        using var output = new StringWriter();
        Assert.Equal(ExitCodes.Passed, ExportCommand.Run(3, 5, _directory, "f32", output, TextWriter.Null));

        foreach (string path in Directory.GetFiles(_directory, "*.safetensors"))
        {
            var file = SafetensorsFile.Read(path);
            var golden = GoldenCaseReader.FromFile(file);
            Assert.True(CaseId.TryParse(file.Metadata[GoldenExporter.CaseIdKey], out var config, out _));
            Assert.Equal(Path.GetFileNameWithoutExtension(path), CaseId.Format(config));
            var inputs = CaseInputs.Create(config);
            Assert.Equal(inputs.Input.Data, golden.X.Data);
            Assert.Equal(inputs.Weights.Data, golden.W.Data);
            Assert.Equal(inputs.Upstream.Data, golden.Dy.Data);
            Assert.Equal(CaseDtype.F32, golden.Dtype);
            Assert.StartsWith("TorchSharp ", golden.Source, StringComparison.Ordinal);
            Assert.Contains("autograd in float64", golden.Source, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ExportWithFamilyCases_WritesEveryOperationInVersionTwo_AndTheyPassTheGoldenCommand()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal(ExitCodes.Passed, ExportCommand.Run(2, 11, _directory, "f64", TextWriter.Null, TextWriter.Null, family: 6));
        var files = Directory.GetFiles(_directory, "*.safetensors");
        Assert.Equal(8, files.Length);

        var engines = GoldenVerifier.Engines(ImplementationRegistry.CreateDefault().Implementations, torch: false);
        var verdicts = files.Select(f => GoldenVerifier.Verify(f, engines)).ToList();

        Assert.All(verdicts, v => Assert.True(v.Pass, v.File + ": " + (v.Error ?? string.Join("; ", v.Verdicts.Select(r => r.Implementation + " " + string.Join(",", r.FailedTensors))))));
        Assert.Equal(CaseOps.All.ToHashSet(), verdicts.Select(v => v.Case!.Config.Op).ToHashSet());
        Assert.All(files.Where(f => !Path.GetFileName(f).StartsWith('n')), f => Assert.True(SafetensorsFile.Read(f).Metadata.ContainsKey(GoldenFormat.PaddingMode), f));
    }

    [Fact]
    public void ExportOfOneOperation_WritesItsCasesAlone()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal(ExitCodes.Passed, ExportCommand.Run(4, 3, _directory, "f64", TextWriter.Null, TextWriter.Null, op: "conv_transpose1d"));

        var files = Directory.GetFiles(_directory, "*.safetensors");
        Assert.Equal(4, files.Length);
        Assert.All(files, f => Assert.Equal("conv_transpose1d", SafetensorsFile.Read(f).Metadata[GoldenFormat.Op]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100_001)]
    public void CaseCountOutOfRange_IsBadInput(int cases)
    {
        using var error = new StringWriter();
        Assert.Equal(ExitCodes.BadArguments, ExportCommand.Run(cases, 1, _directory, "both", TextWriter.Null, error));
        Assert.StartsWith("export: --cases must be between 1 and 100000", error.ToString(), StringComparison.Ordinal);
    }
}

using ConvCompare.Cases;
using ConvCompare.Cli;
using ConvCompare.Golden;
using ConvCompare.Golden.Safetensors;
using ConvCompare.Golden.Verification;
using ConvCompare.Runner;
using ConvCompare.Tests.Cli;
using ConvCompare.Tests.Harness;
using global::ConvRef;
using static ConvCompare.Tests.Golden.GoldenTestFiles;

namespace ConvCompare.Tests.Golden;

/// <summary>
/// Golden files of the convolution family carry the second-order entries (ggx, ggw, ggb, d2x, d2w, d2dy) as conv2d's
/// do: exported, read back byte for byte, verified against the family's double backward, planted errors blamed on the
/// implementation or the file that holds them, malformed entries refused with one sentence naming the file and the rule.
/// Expected values come from <see cref="ReferenceOracle"/>, so nothing depends on TorchSharp.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class FamilySecondOrderGoldenTests : IDisposable
{
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("convcompare-golden-family-order2-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_directory, recursive: true);

    private IReadOnlyList<string> Export(string op, int count = 3) =>
        GoldenExporter.Export(new CaseGenerator(5, new CaseGeneratorOptions { Order = 2, Op = CaseOps.Parse(op), MaxMultiplyAdds = 20_000 }), count, _directory, new ReferenceOracle());

    private static GoldenEngines Engines(ILayerEngine? serial = null) =>
        new([serial ?? new ConvRefEngine(Conv2dAlgorithm.Serial), new ConvRefEngine(Conv2dAlgorithm.Vectorized)], null);

    /// <summary>An exported file of <paramref name="op"/> whose three expected second-order tensors each hold a value other than zero, so scaling one changes it.</summary>
    private string FileWithNonZeroSecondOrder(string op) =>
        Export(op, 6).First(f => GoldenCaseReader.Read(f).SecondOrderExpected is { } d2 &&
                                 new[] { d2.Input, d2.Weights, d2.Delta }.All(t => t.Data.Any(v => v != 0)));

    [Theory]
    [InlineData("conv1d")]
    [InlineData("conv2d")]
    [InlineData("conv3d")]
    [InlineData("conv_transpose1d")]
    [InlineData("conv_transpose2d")]
    [InlineData("conv_transpose3d")]
    public void FamilySecondOrderFile_ReadsBackByteForByte_AndPassesEverySecondOrderTensor(string op)
    {
        foreach (string file in Export(op))
        {
            var golden = GoldenCaseReader.Read(file);
            Assert.Equal(op, golden.Config.Op.Name());
            Assert.Equal(2, golden.Config.Order);
            Assert.NotNull(golden.Gg);
            Assert.Equal(File.ReadAllBytes(file),
                GoldenCaseWriter.Serialize(golden, new Dictionary<string, string> { [GoldenExporter.CaseIdKey] = golden.Name }));
            var verdict = GoldenVerifier.Verify(file, Engines());
            Assert.True(verdict.Pass, verdict.Error ?? string.Join("; ", verdict.Verdicts.Select(r => r.Implementation + " " + string.Join(",", r.FailedTensors))));
            Assert.All(verdict.Verdicts, v => Assert.Equal(TensorKinds.Of(golden.Config), v.Tensors.Select(t => t.Kind)));
            Assert.Contains(TensorKind.D2dy, TensorKinds.Of(golden.Config));
        }
    }

    [Fact]
    public void FamilyCasesOfASweepOfOrderTwo_AreExportedWithTheirSecondOrderEntries_AndFirstOrderOnesWithout()
    {
        var secondOrder = GoldenExporter.Export(new CaseGenerator(7, new CaseGeneratorOptions { Order = 2, FamilyCases = 4, MaxMultiplyAdds = 20_000 }),
            1, Path.Combine(_directory, "order2"), new ReferenceOracle());
        var firstOrder = GoldenExporter.Export(new CaseGenerator(7, new CaseGeneratorOptions { Order = 1, FamilyCases = 4, MaxMultiplyAdds = 20_000 }),
            1, Path.Combine(_directory, "order1"), new ReferenceOracle());

        Assert.All(secondOrder.Skip(1).Select(f => GoldenCaseReader.Read(f)), g => Assert.NotNull(g.Gg));
        Assert.Contains(secondOrder.Skip(1), f => GoldenCaseReader.Read(f).Family is not null);
        Assert.All(firstOrder.Select(f => GoldenCaseReader.Read(f)), g => Assert.Null(g.Gg));
        Assert.All(firstOrder.Skip(1), f => Assert.DoesNotContain(GoldenFormat.GgX, SafetensorsFile.Read(f).Tensors.Keys));
    }

    [Theory]
    [InlineData("conv3d", "d2x")]
    [InlineData("conv1d", "d2w")]
    [InlineData("conv_transpose2d", "d2w")]
    [InlineData("conv2d", "d2dy")]
    [InlineData("conv_transpose1d", "d2dy")]
    public void PlantedFamilySecondOrderError_IsBlamedOnTheImplementation_AndAWrongFileEntryOnTheFile(string op, string tensor)
    {
        string file = FileWithNonZeroSecondOrder(op);
        var kind = TensorKinds.SecondOrder.Single(k => k.Name() == tensor);

        var planted = GoldenVerifier.Verify(file, Engines(new PlantedEngine(new ConvRefEngine(Conv2dAlgorithm.Serial), kind, 0, 1e-3)));
        Assert.Equal([tensor], planted.Verdicts.Single(v => v.Implementation == "serial").FailedTensors);
        Assert.Empty(planted.Verdicts.Single(v => v.Implementation == "vectorized").FailedTensors);
        Assert.Empty(planted.FileFaults);

        var golden = GoldenCaseReader.Read(file);
        var expected = golden.Expected[kind]!;
        var wrong = golden.Expected.With(kind, new Tensor<double>([.. expected.Shape], Array.ConvertAll(expected.Data, v => v * (1 + 1e-3)))).SecondOrder!;
        string edited = Path.Combine(_directory, "edited.safetensors");
        GoldenCaseWriter.Write(golden with { SecondOrderExpected = wrong }, edited);
        var fileFault = GoldenVerifier.Verify(edited, Engines());
        Assert.Equal([tensor], fileFault.FileFaults.Select(t => t.Kind.Name()));
        Assert.All(fileFault.Verdicts, v => Assert.Empty(v.FailedTensors));
    }

    [Fact]
    public void FamilyFileWithAMisShapedD2w_IsRefusedGivingTheShapeOfW()
    {
        string file = Export("conv3d")[0];
        var read = SafetensorsFile.Read(file);
        var tensors = Tensors(read);
        var w = read.Tensors[GoldenFormat.W];
        Replace(tensors, GoldenFormat.D2w, [.. w.Shape.Reverse()], w.DType);

        Assert.Contains($"the tensor 'd2w' has shape {SafetensorsEntry.Format([.. w.Shape.Reverse()])} but w is {w.ShapeText}, so it must be {w.ShapeText}",
            ReadError(SafetensorsWriter.Serialize(tensors, read.Metadata.ToDictionary())));
    }

    [Fact]
    public void FamilyFileWhoseD2xHasConv2dsRank_IsRefusedNamingTheRankOfX()
    {
        string file = Export("conv1d")[0];
        var read = SafetensorsFile.Read(file);
        var tensors = Tensors(read);
        var x = read.Tensors[GoldenFormat.X];
        Replace(tensors, GoldenFormat.D2x, [.. x.Shape, 1], x.DType);

        Assert.Contains($"the tensor 'd2x' has shape {SafetensorsEntry.Format([.. x.Shape, 1])}; it must have {x.Shape.Count} dimensions",
            ReadError(SafetensorsWriter.Serialize(tensors, read.Metadata.ToDictionary())));
    }

    [Fact]
    public void TransposedFamilyFileWithGgbOfTheWrongLength_IsRefusedGivingItsCout()
    {
        string file = Export("conv_transpose2d", 6).First(f => GoldenCaseReader.Read(f).HasBias);
        var golden = GoldenCaseReader.Read(file);
        var read = SafetensorsFile.Read(file);
        var tensors = Tensors(read);
        int cOut = golden.Config.Shape.Cout;
        Replace(tensors, GoldenFormat.GgB, [cOut + 1], read.Tensors[GoldenFormat.GgB].DType);

        Assert.Contains($"the tensor 'ggb' has shape [{cOut + 1}] but conv_transpose2d has C_out = {cOut} here, so it must be [{cOut}]",
            ReadError(SafetensorsWriter.Serialize(tensors, read.Metadata.ToDictionary())));
    }

    [Fact]
    public void GoldenCommand_OnAFamilyFileMissingD2dy_PrintsOneSentenceNamingFileAndRule_AndExitsWith2()
    {
        var files = Export("conv3d");
        string bad = files[0];
        var read = SafetensorsFile.Read(bad);
        var tensors = Tensors(read).Where(t => t.Name != GoldenFormat.D2dy).ToList();
        File.WriteAllBytes(bad, SafetensorsWriter.Serialize(tensors, read.Metadata.ToDictionary()));

        var (code, stdout, stderr) = ProgramRun.Invoke("golden", _directory);

        Assert.Equal(ExitCodes.BadArguments, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(bad + ": the file has the second-order tensor 'ggx' but not 'd2dy'; second-order entries come together", line, StringComparison.Ordinal);
        Assert.Contains($"golden: {files.Count} files, {files.Count - 1} passed, 1 failed (1 unusable, 0 file faults)", stdout, StringComparison.Ordinal);
    }

    private static List<SafetensorsTensor> Tensors(SafetensorsFile read) =>
        [.. read.Tensors.Values.OrderBy(e => e.Begin).Select(e => new SafetensorsTensor(e.Name, e.DType, e.Shape, read.ReadDoubles(e.Name)))];
}

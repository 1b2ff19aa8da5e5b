using ConvCompare.Cases;
using ConvCompare.Golden;
using ConvCompare.Golden.Safetensors;
using ConvCompare.Golden.Verification;
using ConvCompare.Runner;
using ConvCompare.Tests.Harness;
using global::ConvRef;
using static ConvCompare.Tests.Golden.GoldenTestFiles;

namespace ConvCompare.Tests.Golden;

/// <summary>
/// Golden files carry second order as optional entries (ggx, ggw, ggb, d2x, d2w, d2dy): exported, read back and
/// verified like the first-order tensors, refused when incomplete; files without them read as first-order cases.
/// Expected values come from <see cref="ReferenceOracle"/>, so nothing depends on TorchSharp.
/// </summary>
public sealed class SecondOrderGoldenTests : IDisposable
{
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("convcompare-golden-second-order-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_directory, recursive: true);

    private IReadOnlyList<string> Export() =>
        GoldenExporter.Export(new CaseGenerator(5, new CaseGeneratorOptions { Order = 2, MaxMultiplyAdds = 20_000 }), 4, _directory, new ReferenceOracle());

    private static GoldenEngines Engines(ILayerEngine? serial = null) =>
        new([serial ?? new ConvRefEngine(Conv2dAlgorithm.Serial), new ConvRefEngine(Conv2dAlgorithm.Vectorized)], null);

    [Fact]
    public void ExportedSecondOrderCases_CarryTheEntries_AndPassVerificationOfEverySecondOrderTensor()
    {
        var files = Export();

        foreach (string file in files)
        {
            var golden = GoldenCaseReader.Read(file);
            Assert.NotNull(golden.Gg);
            Assert.Equal(2, golden.Config.Order);
            Assert.EndsWith("-order2", Path.GetFileNameWithoutExtension(file)[..Path.GetFileNameWithoutExtension(file).LastIndexOf("-v", StringComparison.Ordinal)], StringComparison.Ordinal);
            var verdict = GoldenVerifier.Verify(file, Engines());
            Assert.True(verdict.Pass, verdict.Error ?? string.Join("; ", verdict.Verdicts.Select(r => r.Implementation + " " + string.Join(",", r.FailedTensors))));
            Assert.All(verdict.Verdicts, v => Assert.Equal(TensorKinds.Of(golden.Config), v.Tensors.Select(t => t.Kind)));
        }
    }

    [Theory]
    [InlineData("d2x")]
    [InlineData("d2w")]
    [InlineData("d2dy")]
    public void PlantedSecondOrderError_IsBlamedOnTheImplementation_AndAWrongFileEntryOnTheFile(string tensor)
    {
        string file = Export()[0];
        var kind = TensorKinds.SecondOrder.Single(k => k.Name() == tensor);

        var planted = GoldenVerifier.Verify(file, Engines(new PlantedEngine(new ConvRefEngine(Conv2dAlgorithm.Serial), kind, 0, 1e-3)));
        Assert.Equal([tensor], planted.Verdicts.Single(v => v.Implementation == "serial").FailedTensors);
        Assert.Empty(planted.Verdicts.Single(v => v.Implementation == "vectorized").FailedTensors);
        Assert.Empty(planted.FileFaults);

        var golden = GoldenCaseReader.Read(file);
        var wrong = golden.Expected.With(kind, Scaled(golden.Expected[kind]!, 1 + 1e-3)).SecondOrder!;
        string edited = Path.Combine(_directory, "edited.safetensors");
        GoldenCaseWriter.Write(golden with { SecondOrderExpected = wrong }, edited);
        var fileFault = GoldenVerifier.Verify(edited, Engines());
        Assert.Equal([tensor], fileFault.FileFaults.Select(t => t.Kind.Name()));
        Assert.All(fileFault.Verdicts, v => Assert.Empty(v.FailedTensors));
    }

    [Fact]
    public void FileWithSomeSecondOrderEntriesOnly_IsRefusedNamingTheMissingOne()
    {
        string file = Export()[0];
        var golden = GoldenCaseReader.Read(file);
        string partial = Path.Combine(_directory, "partial.safetensors");
        var read = SafetensorsFile.Parse(GoldenCaseWriter.Serialize(golden), "partial.safetensors");
        var tensors = read.Tensors.Keys.Where(k => k != GoldenFormat.D2w)
            .Select(k => new SafetensorsTensor(k, read.Tensors[k].DType, read.Tensors[k].Shape, read.ReadDoubles(k))).ToList();
        File.WriteAllBytes(partial, SafetensorsWriter.Serialize(tensors, read.Metadata.ToDictionary()));

        var error = Assert.Throws<GoldenFileException>(() => GoldenCaseReader.Read(partial));

        Assert.Contains("but not 'd2w'; second-order entries come together", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExistingGoldenFiles_HaveNoSecondOrderEntries_AndAreFirstOrderCases()
    {
        foreach (string name in SampleNames)
        {
            var golden = GoldenCaseReader.Read(Sample(name));
            Assert.Null(golden.Gg);
            Assert.Null(golden.SecondOrderExpected);
            Assert.Equal(1, golden.Config.Order);
            Assert.True(GoldenVerifier.Verify(Sample(name), Engines()).Pass);
        }
    }

    private static Tensor<double> Scaled(Tensor<double> t, double factor) => new([.. t.Shape], Array.ConvertAll(t.Data, v => v * factor));
}

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
/// Version 2 of the golden format: cases of the convolution family (every operation and padding mode, same/valid,
/// unbatched, output padding, 1-D and 3-D) are exported with <c>op</c>, <c>padding_mode</c> and per-axis
/// hyperparameters, read back as the very case written, and verified; planted errors are blamed on the
/// implementation or the file that holds them; bad family metadata is refused with one sentence.
/// Expected values come from <see cref="ReferenceOracle"/>, so nothing depends on TorchSharp.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class FamilyGoldenTests : IDisposable
{
    /// <summary>24 family cases: every operation with every padding mode in turn (the transposed ones pad with zeros).</summary>
    private const int FamilyCases = 24;

    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("convcompare-golden-family-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_directory, recursive: true);

    private static CaseGenerator Generator() => new(7, new CaseGeneratorOptions { FamilyCases = FamilyCases, MaxMultiplyAdds = 20_000 });

    private IReadOnlyList<string> Export() => GoldenExporter.Export(Generator(), 1, _directory, new ReferenceOracle());

    private static GoldenEngines Engines(ILayerEngine? serial = null) =>
        new([serial ?? new ConvRefEngine(Conv2dAlgorithm.Serial), new ConvRefEngine(Conv2dAlgorithm.Vectorized)], null);

    private string FamilyFile(Func<CaseConfig, bool> which) =>
        Export().First(f => which(GoldenCaseReader.Read(f).Config));

    [Fact]
    public void ExportedFamilyCases_ReadBackAsTheCaseWritten_WithOpAndPaddingModeInTheMetadata()
    {
        var generated = Generator().Sweep(1, Shard.All).Skip(1).Select(c => c.Case).ToList();
        var files = Export();

        Assert.Equal(1 + FamilyCases, files.Count);
        Assert.Equal(CaseOps.All.ToHashSet(), generated.Select(c => c.Op).ToHashSet());
        Assert.Equal(CaseOps.Modes.ToHashSet(), generated.Select(c => c.PaddingMode).ToHashSet());
        Assert.Contains(generated, c => c.Family is { Batched: false });
        Assert.Contains(generated, c => c.Family is { Padding: CasePadding.Same });
        Assert.Contains(generated, c => c.Axes.Any(a => a.OutputPadding > 0));
        foreach (var (config, file) in generated.Zip(files.Skip(1)))
        {
            var written = config with { Activation = ActivationKind.Identity, Clip = null, ValueSeed = 0 };
            var read = GoldenCaseReader.Read(file);
            Assert.Equal(written, read.Config);
            Assert.Equal(CaseId.Format(config with { Activation = ActivationKind.Identity, Clip = null }), Path.GetFileNameWithoutExtension(file));
            var metadata = SafetensorsFile.Read(file).Metadata;
            Assert.Equal(config.Op.Name(), metadata[GoldenFormat.Op]);
            // A draw that came out batched, zero-padded conv2d with integer padding is the original grammar's case: version 1's metadata.
            Assert.Equal(config.Family is null ? null : config.PaddingMode.Token(), metadata.GetValueOrDefault(GoldenFormat.PaddingMode));
            Assert.Equal(config.Op.Transposed(), metadata.ContainsKey(GoldenFormat.OutputPadding));
            Assert.Equal(config.Op.Rank(), metadata[GoldenFormat.Stride].Split(',').Length);
        }
    }

    [Fact]
    public void ExportedFamilyCase_WrittenBackByTheWriter_KeepsEveryByte()
    {
        foreach (string file in Export().Skip(1))
        {
            var read = GoldenCaseReader.Read(file);
            byte[] again = GoldenCaseWriter.Serialize(read, new Dictionary<string, string> { [GoldenExporter.CaseIdKey] = read.Name });
            Assert.Equal(File.ReadAllBytes(file), again);
        }
    }

    [Fact]
    public void ExportedFamilyCases_PassVerificationOfEveryTensor()
    {
        foreach (string file in Export())
        {
            var verdict = GoldenVerifier.Verify(file, Engines());
            Assert.True(verdict.Pass, file + ": " + (verdict.Error ?? string.Join("; ", verdict.Verdicts.Select(r => r.Implementation + " " + string.Join(",", r.FailedTensors)))));
            Assert.All(verdict.Verdicts, v => Assert.Equal([TensorKind.Y, TensorKind.Dx, TensorKind.Dw, .. verdict.Case!.HasBias ? [TensorKind.Db] : Array.Empty<TensorKind>()],
                v.Tensors.Select(t => t.Kind)));
        }
    }

    [Theory]
    [InlineData("y")]
    [InlineData("dx")]
    [InlineData("dw")]
    public void PlantedErrorInAFamilyCase_IsBlamedOnTheImplementation_AndAWrongFileValueOnTheFile(string tensor)
    {
        var kind = TensorKinds.All.Single(k => k.Name() == tensor);
        string file = FamilyFile(c => c.PaddingMode == CasePaddingMode.Reflect);

        var planted = GoldenVerifier.Verify(file, Engines(new PlantedEngine(new ConvRefEngine(Conv2dAlgorithm.Serial), kind, 0, 1e-3)));
        Assert.Equal([kind.Name()], planted.Verdicts.Single(v => v.Implementation == "serial").FailedTensors);
        Assert.Empty(planted.Verdicts.Single(v => v.Implementation == "vectorized").FailedTensors);
        Assert.Empty(planted.FileFaults);

        var golden = GoldenCaseReader.Read(file);
        var expected = golden.Expected[kind]!;
        var wrong = new Tensor<double>([.. expected.Shape], Array.ConvertAll(expected.Data, v => v * (1 + 1e-3) + 1e-3));
        string edited = Path.Combine(_directory, "edited.safetensors");
        GoldenCaseWriter.Write(kind switch
        {
            TensorKind.Y => golden with { Y = wrong },
            TensorKind.Dx => golden with { Dx = wrong },
            _ => golden with { Dw = wrong },
        }, edited);
        var fileFault = GoldenVerifier.Verify(edited, Engines());
        Assert.Equal([kind], fileFault.FileFaults.Select(t => t.Kind));
        Assert.All(fileFault.Verdicts, v => Assert.Empty(v.FailedTensors));
    }

    [Fact]
    public void FileOfTheFamily_WithTheOpChangedToConv2d_ReadsAsAnotherLayerAndIsRefusedOrFaulted()
    {
        string file = FamilyFile(c => c.Op == CaseOp.ConvTranspose2d);
        byte[] bytes = Edited(file, m => m[GoldenFormat.Op] = "conv2d");

        Assert.Contains("the metadata has 'output_padding', which applies to transposed convolutions only, not to conv2d", ReadError(bytes));
    }

    public static TheoryData<string, string, string?, string> BadFamilyMetadata => new()
    {
        { "conv_transpose", GoldenFormat.PaddingMode, "mirror", "the metadata 'padding_mode' is \"mirror\"; it must be \"zeros\", \"reflect\", \"replicate\" or \"circular\"" },
        { "conv_transpose", GoldenFormat.PaddingMode, "reflect", "pads with zeros only, as PyTorch's does" },
        { "conv_transpose", GoldenFormat.OutputPadding, null, "the metadata key 'output_padding' is missing; a file of conv_transpose" },
        { "conv_transpose", GoldenFormat.Padding, "same", "takes its padding as integers, as PyTorch's does" },
        { "conv_transpose", GoldenFormat.OutputPadding, "x", "the metadata 'output_padding' is \"x\"; it must be" },
        { "conv1d", GoldenFormat.Stride, "1,1", "the metadata 'stride' is \"1,1\"; it must be a positive integer \"sW\"" },
        { "conv1d", GoldenFormat.Padding, "1,1,1,1", "it must be 2 non-negative integers \"Wbefore,Wafter\", or \"same\" or \"valid\"" },
        { "conv1d", GoldenFormat.OutputPadding, "0", "the metadata has 'output_padding', which applies to transposed convolutions only, not to conv1d" },
        { "conv3d", GoldenFormat.Dilation, "1,1", "the metadata 'dilation' is \"1,1\"; it must be 3 positive integers \"dD,dH,dW\"" },
        { "conv3d", GoldenFormat.Op, "conv2d", "the metadata 'stride' is" },
        { "conv3d", GoldenFormat.Op, "conv9d", "the metadata 'op' is \"conv9d\"; it must be one of conv1d, conv2d, conv3d" },
        { "reflect", GoldenFormat.Padding, "60,60", "describe no valid" },
    };

    [Theory]
    [MemberData(nameof(BadFamilyMetadata))]
    public void BadFamilyMetadata_IsRefusedWithOneSentenceNamingTheRule(string which, string key, string? value, string expected)
    {
        string file = FamilyFile(c => which switch
        {
            "conv_transpose" => c.Op.Transposed(),
            "reflect" => c.PaddingMode == CasePaddingMode.Reflect && c.Op.Rank() == 1,
            _ => c.Op.Name() == which && c.Family!.Padding == CasePadding.Explicit,
        });

        string error = ReadError(Edited(file, m =>
        {
            if (value is null)
                m.Remove(key);
            else
                m[key] = value;
        }));

        Assert.Contains(expected, error);
    }

    [Fact]
    public void GoldenCommand_OnAFamilyFileWithBadMetadata_PrintsTheSentenceAndExitsWith2_AndStillChecksTheOthers()
    {
        var files = Export();
        string bad = files.First(f => GoldenCaseReader.Read(f).Config.Op.Transposed());
        File.WriteAllBytes(bad, Edited(bad, m => m[GoldenFormat.PaddingMode] = "mirror"));

        string json = Path.Combine(System.IO.Directory.GetParent(_directory)!.FullName, Path.GetFileName(_directory) + ".json");
        var (code, stdout, stderr) = ProgramRun.Invoke("golden", _directory, "--json", json);

        Assert.Equal(ExitCodes.BadArguments, code);
        Assert.Contains(bad + ": the metadata 'padding_mode' is \"mirror\"; it must be", stderr, StringComparison.Ordinal);
        Assert.Contains($"golden: {files.Count} files, {files.Count - 1} passed, 1 failed (1 unusable, 0 file faults)", stdout, StringComparison.Ordinal);
        var entries = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(json))!["files"]!.AsArray();
        File.Delete(json);
        foreach (var entry in entries)
        {
            string file = (string)entry!["file"]!;
            if (file == bad)
                Assert.Null(entry["op"]);
            else
            {
                var config = GoldenCaseReader.Read(file).Config;
                Assert.Equal(config.Op.Name(), (string)entry["op"]!);
                Assert.Equal(config.PaddingMode.Token(), (string)entry["padding_mode"]!);
            }
        }
    }

    [Fact]
    public void FamilyFileWithAMisShapedOutput_IsRefusedNamingTheShapeTheOperationGives()
    {
        string file = FamilyFile(c => c.Op == CaseOp.Conv3d);
        var read = SafetensorsFile.Read(file);
        var tensors = Tensors(read);
        int[] y = [.. read.Tensors[GoldenFormat.Y].Shape];
        y[^1] += 1;
        Replace(tensors, GoldenFormat.Y, y, read.Tensors[GoldenFormat.Y].DType);

        string error = ReadError(SafetensorsWriter.Serialize(tensors, read.Metadata.ToDictionary()));

        Assert.Contains("the tensor 'y' has shape", error);
        Assert.Contains("conv3d of x", error);
    }

    [Fact]
    public void FamilyFileWhoseInputHasTheWrongRank_IsRefusedNamingBothLayouts()
    {
        string file = FamilyFile(c => c.Op == CaseOp.Conv1d);
        var read = SafetensorsFile.Read(file);
        var tensors = Tensors(read);
        Replace(tensors, GoldenFormat.X, [1, 1, 1, .. read.Tensors[GoldenFormat.X].Shape.Skip(read.Tensors[GoldenFormat.X].Shape.Count - 1)], read.Tensors[GoldenFormat.X].DType);

        Assert.Contains("; conv1d takes x as [N, C_in, W] or, unbatched, [C_in, W]", ReadError(SafetensorsWriter.Serialize(tensors, read.Metadata.ToDictionary())));
    }

    [Fact]
    public void FamilyFileWithOneSecondOrderEntryAlone_IsRefusedNamingTheMissingOne()
    {
        string file = FamilyFile(c => c.Op == CaseOp.Conv1d);
        var read = SafetensorsFile.Read(file);
        var tensors = Tensors(read);
        Replace(tensors, GoldenFormat.GgX, [.. read.Tensors[GoldenFormat.X].Shape], read.Tensors[GoldenFormat.X].DType);

        Assert.Contains("the file has the second-order tensor 'ggx' but not 'ggw'; second-order entries come together",
            ReadError(SafetensorsWriter.Serialize(tensors, read.Metadata.ToDictionary())));
    }

    [Fact]
    public void ConvolutionPaddedFarBeyondItsInput_IsRefusedBeforeAnythingIsAllocated()
    {
        string file = FamilyFile(c => c.Op == CaseOp.Conv3d && c.PaddingMode == CasePaddingMode.Zeros);
        var read = SafetensorsFile.Read(file);
        var tensors = Tensors(read);
        var metadata = read.Metadata.ToDictionary();
        metadata[GoldenFormat.Padding] = "30000,30000,30000,30000,30000,30000";
        metadata[GoldenFormat.Stride] = "65536,65536,65536";
        // A stride longer than the padded input leaves one output position per axis, so y and dy stay tiny.
        int[] output = [.. read.Tensors[GoldenFormat.Y].Shape];
        for (int i = output.Length - 3; i < output.Length; i++)
            output[i] = 1;
        Replace(tensors, GoldenFormat.Y, output, read.Tensors[GoldenFormat.Y].DType);
        Replace(tensors, GoldenFormat.Dy, output, read.Tensors[GoldenFormat.Dy].DType);

        Assert.Contains("the padding makes a padded input of", ReadError(SafetensorsWriter.Serialize(tensors, metadata)));
    }

    [Theory]
    [InlineData("conv_transpose3d", 3UL)]
    [InlineData("conv1d", 4UL)]
    public void RandomlyCorruptedFamilyFile_ReadsOrFailsWithOneClearLine(string op, ulong seed) =>
        GoldenFileMutationTests.AssertEveryMutantReadsOrFailsWithOneLine(
            File.ReadAllBytes(FamilyFile(c => c.Op.Name() == op && c.PaddingMode == (c.Op.Transposed() ? CasePaddingMode.Zeros : CasePaddingMode.Reflect))), seed);

    [Fact]
    public void Conv2dFileWithPaddingModeZeros_IsTheSameCaseAsWithoutIt()
    {
        var plain = GoldenCaseReader.FromFile(SafetensorsFile.Parse(EditedSmallCase(), "plain.safetensors"));
        var marked = GoldenCaseReader.FromFile(SafetensorsFile.Parse(EditedSmallCase(editMetadata: m => m[GoldenFormat.PaddingMode] = "zeros"), "marked.safetensors"));

        Assert.Null(marked.Family);
        Assert.Equal(plain.Config, marked.Config);
    }

    [Fact]
    public void Conv2dFileWithACopyingPaddingMode_IsAFamilyCaseThatVerifiesOnlyWithItsOwnBorder()
    {
        string file = FamilyFile(c => c.Op == CaseOp.Conv2d && c.PaddingMode != CasePaddingMode.Zeros && c.Axes.Any(a => a.PadBefore + a.PadAfter > 0));
        Assert.True(GoldenVerifier.Verify(file, Engines()).Pass);

        // The same bytes read as zero padding (what a reader of version 1 sees): the border differs, so the file is at fault.
        string asZeros = Path.Combine(_directory, "as-zeros.safetensors");
        File.WriteAllBytes(asZeros, Edited(file, m => m[GoldenFormat.PaddingMode] = "zeros"));
        var verdict = GoldenVerifier.Verify(asZeros, Engines());
        Assert.NotEmpty(verdict.FileFaults);
        Assert.All(verdict.Verdicts, v => Assert.Empty(v.FailedTensors));
    }

    private static byte[] Edited(string file, Action<Dictionary<string, string>> edit)
    {
        var read = SafetensorsFile.Read(file);
        var metadata = read.Metadata.ToDictionary();
        edit(metadata);
        return SafetensorsWriter.Serialize(Tensors(read), metadata);
    }

    private static List<SafetensorsTensor> Tensors(SafetensorsFile read) =>
        [.. read.Tensors.Values.OrderBy(e => e.Begin).Select(e => new SafetensorsTensor(e.Name, e.DType, e.Shape, read.ReadDoubles(e.Name)))];
}

using System.Diagnostics;
using System.Text;
using ConvCompare.Cli;
using ConvCompare.Golden;
using ConvCompare.Golden.Safetensors;
using ConvCompare.Limits;
using static ConvCompare.Tests.Golden.GoldenTestFiles;
using static ConvCompare.Tests.Limits.Hostile;

namespace ConvCompare.Tests.Limits;

/// <summary>
/// Golden files built to hurt: pipes and devices named *.safetensors, a tiny file whose padding asks
/// for minutes of work, non-finite inputs, empty directories. Each gives one sentence and its exit
/// code, quickly, and never a hang or a stack trace.
/// </summary>
public sealed class HostileGoldenFileTests : IDisposable
{
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("convcompare-hostile-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_directory, recursive: true);

    [Fact]
    public void NamedPipe_IsRefusedAsNotARegularFileWithoutWaitingForAWriter()
    {
        string pipe = MakeFifo("waits-forever.safetensors");
        var outcome = Golden(new GoldenCommand.GoldenRequest(pipe));
        AssertOneSentence(ExitCodes.BadArguments, outcome, "waits-forever.safetensors", "is not a regular file");
    }

    [Fact]
    public void NamedPipeInADirectory_IsRefusedAndTheOtherFilesAreStillChecked()
    {
        MakeFifo("a-pipe.safetensors");
        File.Copy(Sample("seed_eq1_single_channel"), Path.Combine(_directory, "good.safetensors"));
        var outcome = Golden(new GoldenCommand.GoldenRequest(_directory));
        AssertOneSentence(ExitCodes.BadArguments, outcome, "a-pipe.safetensors", "is not a regular file");
        Assert.Contains("golden: 2 files, 1 passed", outcome.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void EndlessDevice_IsRefusedWithoutReadingIt()
        => AssertOneSentence(ExitCodes.BadArguments, Golden(new GoldenCommand.GoldenRequest("/dev/zero")), "/dev/zero", "is not a regular file");

    [Fact]
    public void FileLargerThanTheMemoryLimitAllows_IsRefusedBeforeReading()
    {
        var request = new GoldenCommand.GoldenRequest(Sample("seed_eq1_single_channel")) { Limits = ResourceLimits.Default with { MaxMemory = 300 } };
        AssertOneSentence(ExitCodes.BadArguments, Golden(request), "bytes, more than the 100 bytes", "--max-memory");
    }

    [Fact]
    public void TinyFileWhosePaddingAndDilationAskForMinutes_IsRefusedUpFront()
    {
        // 1x1 input, 2x2 kernel, padding 2000 on every side, dilation 4000: the padded input is 4001 x 4001,
        // the dilated kernel covers it once, and the serial algorithm's full convolution of Eq 5/8 is
        // 4001^4 multiply-adds; the reader's own rules accept it.
        string file = Path.Combine(_directory, "tiny.safetensors");
        File.WriteAllBytes(file, SafetensorsWriter.Serialize(
        [
            new("x", SafetensorsDType.F64, [1, 1, 1, 1], [1.0]),
            new("w", SafetensorsDType.F64, [1, 1, 2, 2], [1.0, 2.0, 3.0, 4.0]),
            new("dy", SafetensorsDType.F64, [1, 1, 1, 1], [1.0]),
            new("y", SafetensorsDType.F64, [1, 1, 1, 1], [0.0]),
            new("dx", SafetensorsDType.F64, [1, 1, 1, 1], [0.0]),
            new("dw", SafetensorsDType.F64, [1, 1, 2, 2], [0.0, 0.0, 0.0, 0.0]),
        ], Metadata(padding: "2000,2000,2000,2000", dilation: "4000,4000")));
        Assert.True(new FileInfo(file).Length < 2000);
        AssertOneSentence(ExitCodes.BadArguments, Golden(new GoldenCommand.GoldenRequest(file)), "tiny.safetensors", "multiply-adds", "--max-work");
    }

    [Fact]
    public void TwelveMegabyteFileWithAHalfSizeKernel_IsRefusedUpFront()
    {
        // x 1024x1024 and w 512x512 in float32: 513 x 513 outputs of 512 x 512 taps each, and a full
        // convolution of 1024 x 1024 x 512 x 512 for dJ/da, in every algorithm and the bound.
        string file = Path.Combine(_directory, "big-kernel.safetensors");
        File.WriteAllBytes(file, SafetensorsWriter.Serialize(
        [
            Zeros("x", 1, 1, 1024, 1024), Zeros("w", 1, 1, 512, 512), Zeros("dy", 1, 1, 513, 513),
            Zeros("y", 1, 1, 513, 513), Zeros("dx", 1, 1, 1024, 1024), Zeros("dw", 1, 1, 512, 512),
        ], Metadata(padding: "0,0,0,0", dilation: "1,1", dtype: "float32")));
        var outcome = Golden(new GoldenCommand.GoldenRequest(file, Impl: "vectorized"));
        AssertOneSentence(ExitCodes.BadArguments, outcome, "big-kernel.safetensors", "with --impl vectorized", "--max-work");
    }

    [Theory]
    [InlineData(double.NaN, "x[0,0,0,0] is NaN")]
    [InlineData(double.PositiveInfinity, "x[0,0,0,0] is +Inf")]
    public void NonFiniteInput_IsABadFileNamingTheElement(double value, string expected)
    {
        string file = Path.Combine(_directory, "nan.safetensors");
        File.WriteAllBytes(file, EditedSmallCase(tensors => tensors.Single(t => t.Name == "x").Values[0] = value));
        AssertOneSentence(ExitCodes.BadArguments, Golden(new GoldenCommand.GoldenRequest(file)), "nan.safetensors", expected, "'nonfinite'");
    }

    [Fact]
    public void NonFiniteUpstreamGradient_IsNamedToo()
    {
        byte[] bytes = EditedSmallCase(tensors => tensors.Single(t => t.Name == "dy").Values[3] = double.NegativeInfinity);
        Assert.Contains("dy[0,0,1,1] is -Inf", ReadError(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void NonFiniteInputInAFileThatDeclaresIt_IsRead()
    {
        byte[] bytes = EditedSmallCase(tensors => tensors.Single(t => t.Name == "x").Values[0] = double.NaN,
            metadata => metadata[GoldenFormat.NonFinite] = "true");
        var golden = GoldenCaseReader.FromFile(SafetensorsFile.Parse(bytes, "declared.safetensors"));
        Assert.True(double.IsNaN(golden.X.Data[0]));
    }

    [Fact]
    public void NonFiniteDeclarationThatIsNotABoolean_IsABadFile()
        => Assert.Contains("the metadata 'nonfinite' is \"yes\"", ReadError(EditedSmallCase(editMetadata: m => m[GoldenFormat.NonFinite] = "yes")), StringComparison.Ordinal);

    [Fact]
    public void EmptyDirectory_ChecksNothingAndExits4()
    {
        var outcome = Golden(new GoldenCommand.GoldenRequest(_directory));
        AssertOneSentence(ExitCodes.NothingChecked, outcome, "nothing was checked");
        Assert.Equal("", outcome.Stdout);
    }

    [Fact]
    public void SeveralPaths_AreAllChecked()
    {
        var outcome = Golden(new GoldenCommand.GoldenRequest([Sample("pad_asymmetric"), Sample("seed_eq1_single_channel")]));
        Assert.Equal(ExitCodes.Passed, outcome.Code);
        Assert.Contains("golden: 2 files, 2 passed", outcome.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralPathsOnTheCommandLine_ParseAsTheShellExpandsAGlob()
    {
        var parse = CommandLine.Root().Parse(["golden", Sample("pad_asymmetric"), Sample("seed_eq1_single_channel"), "--impl", "serial"]);
        Assert.Empty(parse.Errors);
    }

    private (int Code, string Stdout, string Stderr) Golden(GoldenCommand.GoldenRequest request)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = Within(() => GoldenCommand.Run(request, output, error, plain: true));
        return (code, output.ToString(), error.ToString());
    }

    private string MakeFifo(string name)
    {
        string path = Path.Combine(_directory, name);
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    private static Dictionary<string, string> Metadata(string padding, string dilation, string dtype = "float64") => new(StringComparer.Ordinal)
    {
        [GoldenFormat.Op] = GoldenFormat.Conv2dOp, [GoldenFormat.Stride] = "1,1", [GoldenFormat.Padding] = padding,
        [GoldenFormat.Dilation] = dilation, [GoldenFormat.Groups] = "1", [GoldenFormat.Bias] = "false",
        [GoldenFormat.DType] = dtype, [GoldenFormat.Source] = "a hostile test",
    };

    private static SafetensorsTensor Zeros(string name, params int[] shape) =>
        new(name, SafetensorsDType.F32, shape, new double[shape.Aggregate(1, (p, d) => p * d)]);
}

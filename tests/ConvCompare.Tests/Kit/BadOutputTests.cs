using ConvCompare.Cli;
using ConvCompare.Golden.Safetensors;
using ConvCompare.Tests.Cli;
using ConvCompare.Tests.Harness;

namespace ConvCompare.Tests.Kit;

/// <summary>
/// An output file that breaks the kit's contract (missing, misnamed, of the wrong shape or dtype,
/// corrupt, not a regular file) is one sentence on stderr naming the file and the rule, exit 2, and
/// every other case of the kit is still judged (and passes, its outputs being a correct implementation's).
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class BadOutputTests : IDisposable
{
    private readonly TestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    public static TheoryData<string, string> Spoilings => new()
    {
        { "missing", "the output file is missing; the implementation must write y, delta, dw, db of case " + TestKit.Spoiled + " there" },
        { "misnamed", "the tensor 'dx' is not an output of this case (with the activation relu, the input gradient is delta^(l-1) = dJ/da .* g'(z), named 'delta'); its outputs are y, delta, dw, db" },
        { "absent tensor", "the output 'db' is missing; this case's outputs are y, delta, dw, db" },
        { "wrong shape", "the output 'dw' has shape [2,3,2,2] but must be [2,2,3,2], the shape of w (C_out, C_in/groups, kH, kW)" },
        { "wrong dtype", "the output 'y' is F64, but the case is float32, so every output must be F32" },
        { "corrupt", "the file is truncated or corrupt" },
        { "not a regular file", "is not a regular file (a named pipe, a device or a socket), so it is not read" },
    };

    [SkippableTheory]
    [MemberData(nameof(Spoilings))]
    public void SpoiledOutputFile_IsOneSentenceNamingTheFileAndTheRule_AndEveryOtherCaseIsStillJudged(string spoiling, string rule)
    {
        OutsideProgram.SkipUnlessAvailable();
        OutsideProgram.Fill(_kit.Folder);
        Spoil(_kit.Output(TestKit.Spoiled), spoiling);

        var (code, stdout, stderr) = ProgramRun.Invoke("judge", _kit.Folder);

        Assert.Equal(ExitCodes.BadArguments, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("convcompare: " + _kit.Output(TestKit.Spoiled) + ": ", line, StringComparison.Ordinal);
        Assert.Contains(rule, line, StringComparison.Ordinal);
        foreach (string id in TestKit.Ids.Where(id => id != TestKit.Spoiled))
            Assert.Contains($"PASS  {id}  ", stdout, StringComparison.Ordinal);
        Assert.Contains($"judge: {TestKit.Ids.Count} cases, {TestKit.Ids.Count - 1} passed, 0 failed, 1 unusable outputs, 0 stray files", stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void OutputLargerThanTheMemoryLimitAllows_IsRefusedByItsSizeBeforeItIsRead()
    {
        OutsideProgram.SkipUnlessAvailable();
        OutsideProgram.Fill(_kit.Folder);
        using (var stream = new FileStream(_kit.Output(TestKit.Spoiled), FileMode.Append))
            stream.SetLength(4L << 20);

        var (code, stdout, stderr) = ProgramRun.Invoke("judge", _kit.Folder, "--max-memory", "3M");

        Assert.Equal(ExitCodes.BadArguments, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"convcompare: {_kit.Output(TestKit.Spoiled)}: the file is 4194304 bytes, more than the 1048576 bytes a file may have under the memory limit (raise it with --max-memory)", line);
        Assert.Contains($"judge: {TestKit.Ids.Count} cases, {TestKit.Ids.Count - 1} passed", stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void OutputUnderAnotherName_IsMissingForItsCaseAndAStrayFile()
    {
        OutsideProgram.SkipUnlessAvailable();
        OutsideProgram.Fill(_kit.Folder);
        string stray = _kit.Output(TestKit.Spoiled).Replace(".safetensors", ".st", StringComparison.Ordinal);
        File.Move(_kit.Output(TestKit.Spoiled), stray);

        var (code, _, stderr) = ProgramRun.Invoke("judge", _kit.Folder);

        Assert.Equal(ExitCodes.BadArguments, code);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"convcompare: {_kit.Output(TestKit.Spoiled)}: the output file is missing", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"convcompare: {stray}: no case of the kit has this output file", lines[1], StringComparison.Ordinal);
    }

    [SkippableFact]
    public void WrongValuesAndABadFile_ExitOne_TheVerifiedFailureOutranksTheBadFile()
    {
        OutsideProgram.SkipUnlessAvailable();
        OutsideProgram.Fill(_kit.Folder, bug: "dw");
        Spoil(_kit.Output(TestKit.Spoiled), "missing");

        var (code, stdout, stderr) = ProgramRun.Invoke("judge", _kit.Folder);

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"judge: {TestKit.Ids.Count} cases, 0 passed, {TestKit.Ids.Count - 1} failed, 1 unusable outputs", stdout, StringComparison.Ordinal);
    }

    /// <summary>Breaks the output file at <paramref name="path"/> (the relu case, float32, with bias) the way <paramref name="spoiling"/> says.</summary>
    private static void Spoil(string path, string spoiling)
    {
        var file = SafetensorsFile.Read(path);
        var tensors = file.Tensors.Values.OrderBy(t => t.Begin)
            .Select(t => new SafetensorsTensor(t.Name, t.DType, t.Shape, file.ReadDoubles(t.Name))).ToList();
        switch (spoiling)
        {
            case "missing":
                File.Delete(path);
                return;
            case "misnamed":
                tensors = [.. tensors.Select(t => t.Name == "delta" ? t with { Name = "dx" } : t)];
                break;
            case "absent tensor":
                tensors.RemoveAll(t => t.Name == "db");
                break;
            case "wrong shape":
                tensors = [.. tensors.Select(t => t.Name == "dw" ? t with { Shape = [.. t.Shape.Reverse()] } : t)];
                break;
            case "wrong dtype":
                tensors = [.. tensors.Select(t => t.Name == "y" ? t with { DType = SafetensorsDType.F64 } : t)];
                break;
            case "corrupt":
                File.WriteAllBytes(path, File.ReadAllBytes(path)[..^40]);
                return;
            case "not a regular file":
                File.Delete(path);
                File.CreateSymbolicLink(path, "/dev/zero");
                return;
        }
        File.WriteAllBytes(path, SafetensorsWriter.Serialize(tensors, new Dictionary<string, string>()));
    }
}

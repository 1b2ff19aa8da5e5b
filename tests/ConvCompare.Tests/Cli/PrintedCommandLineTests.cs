using ConvCompare.Cli;
using ConvCompare.Golden;
using ConvCompare.Reports;
using ConvCompare.Tests.Docs;
using ConvCompare.Tests.Golden;

namespace ConvCompare.Tests.Cli;

/// <summary>
/// Command lines the program prints for a user to paste run as printed on a fresh clone: the README's
/// spelling, arguments quoted so a shell gives them back unchanged, accepted by the real parser.
/// </summary>
public sealed class PrintedCommandLineTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("convcompare printed ").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void GoldenReproLine_RunsTheFaultyFileAgain()
    {
        var golden = GoldenCaseReader.Read(GoldenTestFiles.Sample("pad_asymmetric"));
        golden.Dw!.Data[7] *= 1 + 1e-6;
        string path = Path.Combine(_directory, "it's edited.safetensors");
        GoldenCaseWriter.Write(golden, path);
        var error = new StringWriter();

        Assert.Equal(ExitCodes.BadArguments, GoldenCommand.Run(new GoldenCommand.GoldenRequest(path, Impl: "serial"), TextWriter.Null, error, plain: true));

        string repro = Printed(error.ToString(), "repro: ").Split("repro: ")[1];
        Assert.Equal(["golden", path], Parsed(repro));
    }

    [Fact]
    public void ExportsNextStep_ChecksTheExportedDirectory()
    {
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Passed, ExportCommand.Run(1, 3, _directory, "f64", output, TextWriter.Null));

        string line = Printed(output.ToString(), "check them with: ");
        Assert.Equal(["golden", _directory], Parsed(line.Split("check them with: ")[1]));
    }

    [Fact]
    public void RunsReproAndSnapshotsAcceptHint_UseTheSameSpelling()
    {
        const string Id = "n1c1h4w4-o1k2x2-s1x1-p0,0,0,0-d1x1-g1-f64-v1";
        Assert.Equal(["check", Id], Parsed(RunReport.Repro(Id)));
        Assert.Equal(["snapshots", "accept"], Parsed(CommandText.Of("snapshots", "accept")));
    }

    private static string Printed(string output, string marker) =>
        Assert.Single(output.Split('\n'), line => line.Contains(marker, StringComparison.Ordinal)).TrimEnd('\r');

    /// <summary>The arguments a shell passes to the program for <paramref name="line"/>, after checking the spelling and the parse.</summary>
    private static IReadOnlyList<string> Parsed(string line)
    {
        Assert.StartsWith(CommandText.Program + " ", line, StringComparison.Ordinal);
        Assert.False(ProgramInvocation.UsesABareProgramName(line));
        var arguments = Assert.IsAssignableFrom<IReadOnlyList<string>>(ProgramInvocation.Arguments(line));
        Assert.Empty(CommandLine.Root().Parse([.. arguments]).Errors);
        return arguments;
    }
}

using ConvCompare.Cli;
using ConvCompare.Tests.Golden;
using ConvCompare.Tests.Harness;

namespace ConvCompare.Tests.Cli;

/// <summary>
/// Every command that writes a file, with each class of bad output (a directory, a directory that
/// allows no new files, two outputs on one file, an output on an input) and the other bad values found
/// by hand: refused before any work with one sentence and exit 2, no stack trace, nothing written or replaced.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class HostileOutputTests : IDisposable
{
    /// <summary>A directory no process may create files in, not even root (sysfs).</summary>
    private const string Unwritable = "/sys";

    private const string Case = "n1c1h4w4-o1k2x2-s1x1-p0,0,0,0-d1x1-g1-f64-v1";

    private readonly string _directory = Directory.CreateTempSubdirectory("convcompare-hostile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("run --json {dir}", "--json")]
    [InlineData("run --junit {unwritable}/r.xml", "--junit")]
    [InlineData("run --json {dir}/r --junit {dir}/r", "--junit")]
    [InlineData("check {case} --json {dir}", "--json")]
    [InlineData("check {case} --json {unwritable}/c.json", "--json")]
    [InlineData("golden {golden} --json {golden}", "--json")]
    [InlineData("golden {dir} --json {golden}", "--json")]
    [InlineData("golden {golden} --json {unwritable}/g.json", "--json")]
    [InlineData("export --cases 1 --out {unwritable}/exported", "--out")]
    [InlineData("export --cases 1 --out {golden}", "--out")]
    [InlineData("explain --html {dir}", "--html")]
    [InlineData("explain --html {dir}/x --markdown {dir}/x", "--markdown")]
    [InlineData("explain --markdown {unwritable}/e.md", "--markdown")]
    [InlineData("train --json {dir}", "--json")]
    [InlineData("train --json {dir}/t --plot {dir}/t", "--plot")]
    [InlineData("train --plot {unwritable}/p.svg", "--plot")]
    [InlineData("train --lr 1,5", "--lr")]
    [InlineData("train --momentum 0,5", "--momentum")]
    [InlineData("train --clip 1,000", "--clip")]
    [InlineData("bench --json {dir}", "--json")]
    [InlineData("bench --json {unwritable}/b.json", "--json")]
    [InlineData("bench --shapes S1,S1", "--shapes")]
    [InlineData("explain --html ", "--html")]
    [InlineData("golden {golden} --json ", "--json")]
    public void BadOutputOrValue_IsRefusedBeforeAnyWork_WithOneSentenceAndExitCode2(string line, string option)
    {
        string golden = Path.Combine(_directory, "case.safetensors");
        File.Copy(GoldenTestFiles.Sample("pad_asymmetric"), golden);
        byte[] before = File.ReadAllBytes(golden);
        string[] args = line.Replace("{dir}", _directory, StringComparison.Ordinal).Replace("{unwritable}", Unwritable, StringComparison.Ordinal)
            .Replace("{golden}", golden, StringComparison.Ordinal).Replace("{case}", Case, StringComparison.Ordinal).Split(' ');

        var (code, stdout, stderr) = ProgramRun.Invoke(args);

        Assert.Equal(ExitCodes.BadArguments, code);
        string message = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(option, message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
        Assert.Equal([golden], Directory.GetFileSystemEntries(_directory));
        Assert.Equal(before, File.ReadAllBytes(golden));
    }

    [Theory]
    [InlineData("status")]
    [InlineData("accept")]
    public void Snapshots_OutsideTheRepository_IsOneSentenceAndExitCode2(string subcommand)
    {
        string previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = _directory;
        try
        {
            var (code, stdout, stderr) = ProgramRun.Invoke("snapshots", subcommand);

            Assert.Equal(ExitCodes.BadArguments, code);
            Assert.Contains("ConvCompare.sln", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
            Assert.Equal("", stdout);
            Assert.Empty(Directory.GetFileSystemEntries(_directory));
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }
}

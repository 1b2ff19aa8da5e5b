using ConvCompare.Cli;

namespace ConvCompare.Tests.Cli;

/// <summary>
/// An output that passed its check before the work and still cannot be written after it (here the
/// path became a directory meanwhile): one sentence, nothing left behind, and exit 5, unless the
/// verdict already printed is a verified failure, which stays 1.
/// </summary>
public sealed class LateWriteFailureTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("convcompare-late-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(ExitCodes.Passed, ExitCodes.CouldNotFinish)]
    [InlineData(ExitCodes.Failed, ExitCodes.Failed)]
    public void ReportThatCannotBeWrittenAfterTheWork_IsOneSentence_AndExit5UnlessTheVerdictFailed(int verdict, int expected)
    {
        string path = Path.Combine(_directory, "r.json");
        Assert.Null(ReportPaths.Problem(path, "--json"));
        Directory.CreateDirectory(path);
        var error = new StringWriter();

        string? problem = ReportPaths.WriteOrSay("the JSON report " + path, path, temporary => File.WriteAllText(temporary, "{}"));
        int code = ReportPaths.Finish(verdict, problem, error);

        Assert.Equal(expected, code);
        string line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("convcompare: could not finish: cannot write the JSON report " + path, line, StringComparison.Ordinal);
        Assert.Equal([path], Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public void ReportWrittenAfterTheWork_KeepsTheVerdictsCode()
    {
        string path = Path.Combine(_directory, "r.json");
        var error = new StringWriter();

        int code = ReportPaths.Finish(ExitCodes.Passed, ReportPaths.WriteOrSay("r", path, temporary => File.WriteAllText(temporary, "{}")), error);

        Assert.Equal(ExitCodes.Passed, code);
        Assert.Equal("", error.ToString());
        Assert.Equal("{}", File.ReadAllText(path));
    }
}

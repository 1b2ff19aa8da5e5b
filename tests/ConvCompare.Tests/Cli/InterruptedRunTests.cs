using System.Diagnostics;
using ConvCompare.Files;

namespace ConvCompare.Tests.Cli;

/// <summary>
/// A real <c>run --json</c> process stopped by SIGINT mid-sweep, as Ctrl-C would: it ends at once with
/// the signal's code, the previous report is still there, whole, and nothing is left beside it.
/// </summary>
public sealed class InterruptedRunTests : IDisposable
{
    private const int SigInt = 2;

    private readonly string _directory = Directory.CreateTempSubdirectory("convcompare-interrupted-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task SigintDuringTheSweep_EndsTheRun_AndKeepsThePreviousReportWhole()
    {
        string report = Path.Combine(_directory, "big.json");
        const string Previous = "{ \"the previous\": \"report\" }\n";
        File.WriteAllText(report, Previous);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "convcompare.dll"), "run", "--json", report })
            start.ArgumentList.Add(arg);
        start.Environment["CI"] = "true";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();

        // The header line is printed once the arguments and the report path are checked and the sweep starts.
        string? line;
        do
            line = await process.StandardOutput.ReadLineAsync();
        while (line is not null && !line.StartsWith("convcompare run:", StringComparison.Ordinal));
        Assert.NotNull(line);
        Assert.True(Interruption.Interrupt(process.Id));
        bool ended = process.WaitForExit(TimeSpan.FromSeconds(30));
        if (!ended)
            process.Kill(entireProcessTree: true);

        Assert.True(ended, "the run went on after SIGINT");
        Assert.Equal(128 + SigInt, process.ExitCode);
        Assert.DoesNotContain("   at ", await stderr, StringComparison.Ordinal);
        Assert.Equal(Previous, File.ReadAllText(report));
        Assert.Equal([report], Directory.GetFileSystemEntries(_directory));
    }
}

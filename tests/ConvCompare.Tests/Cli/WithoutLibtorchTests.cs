using System.Diagnostics;
using ConvCompare.Cli;

namespace ConvCompare.Tests.Cli;

/// <summary>
/// Every command that needs libtorch, run as a real process on a copy of the program without
/// libtorch's native libraries: one sentence and exit code 3, whichever command it is (explain once
/// gave a stack trace and 1). TorchSharp's fallback would copy the natives from the NuGet cache into
/// a <c>cpu/</c> folder beside it; a file of that name stops that, so the copy stays small.
/// </summary>
public sealed class WithoutLibtorchTests : IClassFixture<WithoutLibtorchTests.ProgramWithoutLibtorch>
{
    private readonly ProgramWithoutLibtorch _program;

    public WithoutLibtorchTests(ProgramWithoutLibtorch program) => _program = program;

    [Theory]
    [InlineData("explain")]
    [InlineData("run --cases 5")]
    [InlineData("check n1c1h4w4-o1k2x2-s1x1-p0,0,0,0-d1x1-g1-f64-v1")]
    [InlineData("train --steps 2")]
    [InlineData("bench --quick")]
    [InlineData("export --cases 1 --out {out}")]
    [InlineData("golden {golden} --torch")]
    public void CommandThatNeedsLibtorch_WithoutIt_IsOneSentenceAndExitCode3(string line)
    {
        string[] args = line.Replace("{out}", Path.Combine(_program.Folder, "exported"), StringComparison.Ordinal)
            .Replace("{golden}", Golden.GoldenTestFiles.Sample("pad_asymmetric"), StringComparison.Ordinal).Split(' ');

        var (code, stdout, stderr) = _program.Run(args);

        Assert.Equal(ExitCodes.TorchUnavailable, code);
        string message = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("TorchSharp could not load libtorch", message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    /// <summary>The program's managed assemblies copied to a temporary folder, without native libraries.</summary>
    public sealed class ProgramWithoutLibtorch : IDisposable
    {
        public ProgramWithoutLibtorch()
        {
            foreach (string file in Directory.EnumerateFiles(AppContext.BaseDirectory)
                         .Where(f => f.EndsWith(".dll", StringComparison.Ordinal) || Path.GetFileName(f).StartsWith("convcompare.", StringComparison.Ordinal)))
                File.Copy(file, Path.Combine(Folder, Path.GetFileName(file)));
            File.WriteAllText(Path.Combine(Folder, "cpu"), "not a folder: keeps TorchSharp from copying libtorch here");
        }

        public string Folder { get; } = Directory.CreateTempSubdirectory("convcompare-no-libtorch-").FullName;

        /// <summary>Runs <c>dotnet convcompare.dll args</c> there, with a minute's limit.</summary>
        public (int Code, string Stdout, string Stderr) Run(string[] args)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Folder };
            start.ArgumentList.Add(Path.Combine(Folder, "convcompare.dll"));
            foreach (string arg in args)
                start.ArgumentList.Add(arg);
            start.Environment["CI"] = "true";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"convcompare {string.Join(' ', args)} did not end within a minute");
            }
            return (process.ExitCode, stdout.Result, stderr.Result);
        }

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }
}

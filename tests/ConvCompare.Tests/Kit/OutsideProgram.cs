using System.ComponentModel;
using System.Diagnostics;
using ConvCompare.Snapshots;

namespace ConvCompare.Tests.Kit;

/// <summary>
/// The outside implementation the kit's tests run: <c>conv2d_definition.py</c> beside this file, a
/// Python 3 script on the standard library alone that shares nothing with the harness but the kit's
/// file contract, run as its own process.
/// </summary>
internal static class OutsideProgram
{
    private static readonly string Script = Path.Combine(
        Path.GetDirectoryName(SnapshotFolder.Locate(AppContext.BaseDirectory))!, "tests", "ConvCompare.Tests", "Kit", "conv2d_definition.py");

    private static readonly Lazy<string?> Unavailable = new(Probe);

    /// <summary>Skips the calling test, saying why, when python3 cannot be started on this machine.</summary>
    public static void SkipUnlessAvailable() => Skip.If(Unavailable.Value is not null, Unavailable.Value);

    /// <summary>Runs the script on <paramref name="kit"/> (with <c>--bug</c> <paramref name="bug"/> when given) and asserts that it finished.</summary>
    public static void Fill(string kit, string? bug = null)
    {
        var (code, stderr) = Python([Script, kit, .. bug is null ? Array.Empty<string>() : ["--bug", bug]]);
        Assert.True(code == 0, $"the outside program failed with exit code {code}: {stderr}");
    }

    /// <summary>The shell command that runs the script (with <c>--bug</c> <paramref name="bug"/> when given) on the kit <c>judge --shrink-with</c> writes.</summary>
    public static string ShellCommand(string? bug) => $"python3 '{Script}' {{kit}}" + (bug is null ? "" : " --bug " + bug);

    private static string? Probe()
    {
        try
        {
            var (code, stderr) = Python(["--version"]);
            return code == 0 ? null : $"python3 --version exited with {code} ({stderr.Trim()}), so the kit's external-process tests cannot run";
        }
        catch (Win32Exception ex)
        {
            return $"python3 is not installed on this machine ({ex.Message}), so the kit's external-process tests cannot run";
        }
    }

    private static (int Code, string Stderr) Python(string[] arguments)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "python3 did not finish within two minutes");
        }
        return (process.ExitCode, stderr.Result);
    }
}

using System.Diagnostics;

namespace ConvCompare.Bench;

/// <summary>
/// Repeats the whole measurement in a child process whose environment lets libtorch run at its
/// best: glibc malloc tunables (libtorch takes fresh memory per call, and first touch of a page is
/// very expensive on virtual machines, see docs/platform.md, so its as-is timings are dominated by page faults) and
/// passive OpenMP waiting (libtorch's spinning worker threads otherwise steal the cores ConvRef runs
/// on between interleaved calls). Both must be in the environment before the process starts, hence
/// a child; ConvRef and TorchSharp are still interleaved inside it.
/// </summary>
internal static class TunedChild
{
    public const string GlibcTunables =
        "glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=17179869184";

    /// <summary>True inside the child (or whenever the user set the tunables already): then no further child is started.</summary>
    public static bool IsActive => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("GLIBC_TUNABLES"));

    /// <summary>Runs <c>bench</c> with the same options under the tuned environment, or explains in <paramref name="problem"/> why it could not.</summary>
    public static IReadOnlyList<BenchMeasurement> Measure(BenchOptions options, out string? problem)
    {
        string json = Path.Combine(Path.GetTempPath(), $"convcompare-bench-{Environment.ProcessId}.json");
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
            start.ArgumentList.Add(typeof(TunedChild).Assembly.Location);
        foreach (string arg in new[]
                 {
                     "bench", "--impl", string.Join(",", options.Impls), "--shapes", string.Join(",", options.Shapes.Select(s => s.Name)),
                     "--dtype", options.Dtypes.Count == 2 ? "both" : options.Dtypes[0],
                     "--repeat", options.Repeat.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json", json,
                 })
            start.ArgumentList.Add(arg);
        if (options.Scaling)
            start.ArgumentList.Add("--scaling");
        start.Environment["GLIBC_TUNABLES"] = GlibcTunables;
        start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        start.Environment["CI"] = "true";
        try
        {
            using var running = InterruptibleChild.Start(start, json);
            var child = running.Process;
            child.StandardOutput.ReadToEnd();
            child.WaitForExit();
            if (child.ExitCode != 0 || !File.Exists(json))
            {
                problem = $"the tuned child process exited with code {child.ExitCode}";
                return [];
            }
            problem = null;
            return BenchReport.Read(json).Measurements;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or System.Text.Json.JsonException or InvalidDataException or InvalidOperationException)
        {
            problem = "the tuned child process could not run: " + ex.Message;
            return [];
        }
    }
}

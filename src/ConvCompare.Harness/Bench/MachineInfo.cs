using System.Numerics;
using System.Runtime.Intrinsics;

namespace ConvCompare.Bench;

/// <summary>What the timings were measured on.</summary>
internal sealed record MachineInfo(string Cpu, int LogicalCores, string Simd, int TorchThreads, string Runtime)
{
    public static MachineInfo Detect(int torchThreads) => new(
        CpuModel(),
        Environment.ProcessorCount,
        Vector512.IsHardwareAccelerated ? "AVX-512 (512-bit)"
            : Vector256.IsHardwareAccelerated ? "AVX2 (256-bit)"
            : Vector128.IsHardwareAccelerated ? "128-bit" : "none",
        torchThreads,
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription + $", Vector<T> {Vector<byte>.Count * 8} bits");

    private static string CpuModel()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (File.Exists(cpuinfo))
        {
            string? line = File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null)
                return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }
}

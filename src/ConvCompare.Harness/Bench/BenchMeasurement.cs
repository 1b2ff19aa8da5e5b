using System.Text.Json.Serialization;

namespace ConvCompare.Bench;

/// <summary>
/// The timings of one implementation on one shape, dtype and pass. <see cref="Variant"/> tells how
/// TorchSharp ran: <c>as-is</c> or with the glibc malloc tunables that avoid page faults on fresh memory.
/// </summary>
internal sealed record BenchMeasurement(
    string Shape, string Dtype, string Impl, string Variant, BenchPass Pass,
    double MedianMs, double MinMs, double MaxMs, double Gflops, int Repetitions)
{
    /// <summary>Threads both implementations were allowed: ConvRef's <c>Conv2dLimits.MaxThreads</c>, TorchSharp's <c>torch.set_num_threads</c>.</summary>
    public int Threads { get; init; }

    /// <summary>GFLOP/s as a percentage of the measured FMA peak for the same dtype and thread count (<see cref="FmaPeak"/>); null when not calibrated.</summary>
    public double? PercentOfPeak { get; init; }

    /// <summary>This measurement's median over TorchSharp's best median for the same shape, dtype and pass; null when TorchSharp was not measured.</summary>
    public double? RatioToTorch { get; init; }

    /// <summary>Bytes the managed heap grew by during the first (cold) call: an upper bound on the implementation's extra memory, pools included.</summary>
    public long? FirstCallAllocatedBytes { get; init; }

    /// <summary>Bytes of inputs, outputs and gradients of the pass, the yardstick for <see cref="FirstCallAllocatedBytes"/>.</summary>
    public long? TensorBytes { get; init; }

    [JsonIgnore]
    public string PassName => Pass == BenchPass.Fwd ? "fwd" : "fwdbwd";
}

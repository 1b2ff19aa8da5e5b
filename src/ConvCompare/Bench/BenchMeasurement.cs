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
    /// <summary>This measurement's median over TorchSharp's best median for the same shape, dtype and pass; null when TorchSharp was not measured.</summary>
    public double? RatioToTorch { get; init; }

    /// <summary>Bytes the managed heap grew by during the first (cold) call: an upper bound on the implementation's extra memory, pools included.</summary>
    public long? FirstCallAllocatedBytes { get; init; }

    /// <summary>Bytes of inputs, outputs and gradients of the pass, the yardstick for <see cref="FirstCallAllocatedBytes"/>.</summary>
    public long? TensorBytes { get; init; }

    [JsonIgnore]
    public string PassName => Pass == BenchPass.Fwd ? "fwd" : "fwdbwd";
}

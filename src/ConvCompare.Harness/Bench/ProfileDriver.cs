using System.Numerics;
using ConvCompare.Implementations;
using ConvRef;

namespace ConvCompare.Bench;

/// <summary>
/// The driver a profiler runs (<c>bench --profile</c>): ConvRef's fast algorithm (<see cref="BuiltInImplementations.Fast"/>) alone on one shape
/// and dtype, with no TorchSharp, calibration or child process, so that everything the process does
/// besides starting up is the layer. <see cref="WarmUpCalls"/> untimed calls first (they compile the
/// kernels and fill the buffer pool), then the counted calls. An instruction counter reads one call as
/// the difference between runs with different call counts divided by the difference of the counts,
/// which cancels start-up, compilation and warm-up.
/// </summary>
internal static class ProfileDriver
{
    /// <summary>Calls before the counted ones.</summary>
    public const int WarmUpCalls = 3;

    /// <summary>The passes a profile can drive: the backward pass alone, unlike the bench's timed passes.</summary>
    public static readonly IReadOnlyList<string> Passes = ["fwd", "bwd", "fwdbwd"];

    /// <summary>Runs <paramref name="calls"/> counted calls of <paramref name="pass"/> after the warm-up; returns the counted calls' wall time in ms.</summary>
    public static double Run(BenchShape shape, string dtype, string pass, int calls, int threads) =>
        dtype == "f32" ? Run<float>(shape, pass, calls, threads) : Run<double>(shape, pass, calls, threads);

    private static double Run<T>(BenchShape shape, string pass, int calls, int threads) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var inputs = BenchInputs.For(shape, 1);
        var input = inputs.Input.Cast<T>();
        var weights = inputs.Weights.Cast<T>();
        var bias = inputs.Bias.Cast<T>();
        var delta = inputs.Delta.Cast<T>();
        var output = Tensor<T>.Zeros([.. delta.Shape]);
        var gradients = new Conv2dGradients<T>(Tensor<T>.Zeros([.. input.Shape]), Tensor<T>.Zeros([.. weights.Shape]), Tensor<T>.Zeros([.. bias.Shape]));
        var limits = new Conv2dLimits { MaxThreads = threads };
        var algorithm = BuiltInImplementations.Fast.Algorithm;
        void Call()
        {
            if (pass != "bwd")
                Conv2d.ForwardInto(input, weights, bias, shape.Spec, output, algorithm, limits);
            if (pass != "fwd")
                Conv2d.BackwardInto(input, weights, delta, shape.Spec, gradients, algorithm: algorithm, limits: limits);
        }
        for (int i = 0; i < WarmUpCalls; i++)
            Call();
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
            Call();
        return System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}

using ConvCompare.Cases;
using ConvRef;

namespace ConvCompare.Training;

/// <summary>
/// The network both sides build: conv(1->8, 3x3, pad 1) -> ReLU -> maxpool 2 -> conv(8->16, 3x3, stride 2)
/// -> ReLU -> flatten -> dense(144 -> 8) -> softmax cross-entropy, on 1 x 16 x 16 images.
/// Shapes: 1x16x16 -> 8x16x16 -> 8x8x8 -> 16x3x3 -> 144 -> 8.
/// </summary>
internal static class SmallCnn
{
    public const int Conv1Channels = 8;
    public const int Conv2Channels = 16;
    public const int Kernel = 3;
    public const int PooledSize = ShapeDataset.ImageSize / 2;
    public const int Conv2OutSize = (PooledSize - Kernel) / 2 + 1;
    public const int Features = Conv2Channels * Conv2OutSize * Conv2OutSize;

    public static Conv2dSpec Conv1Spec { get; } = new() { PadTop = 1, PadBottom = 1, PadLeft = 1, PadRight = 1 };

    public static Conv2dSpec Conv2Spec { get; } = new() { StrideH = 2, StrideW = 2 };

    /// <summary>The parameters in the order both sides keep them (PyTorch's <c>parameters()</c> order).</summary>
    public static IReadOnlyList<(string Name, int[] Shape)> Parameters { get; } =
    [
        ("conv1.weight", [Conv1Channels, 1, Kernel, Kernel]),
        ("conv1.bias", [Conv1Channels]),
        ("conv2.weight", [Conv2Channels, Conv1Channels, Kernel, Kernel]),
        ("conv2.bias", [Conv2Channels]),
        ("dense.weight", [ShapeDataset.ClassCount, Features]),
        ("dense.bias", [ShapeDataset.ClassCount]),
    ];

    /// <summary>
    /// PyTorch's default initialisation drawn from SplitMix64: weights and biases uniform in
    /// [-1/sqrt(fan_in), 1/sqrt(fan_in)] (what kaiming_uniform_ with a = sqrt(5) gives), fan_in = C_in * kH * kW or In.
    /// </summary>
    public static double[][] InitialParameters(ulong seed)
    {
        var random = new SplitMix64(seed ^ 0x5EED_1A17_CAFE_F00DUL);
        var values = new double[Parameters.Count][];
        for (int k = 0; k < Parameters.Count; k += 2)
        {
            int[] weightShape = Parameters[k].Shape;
            int fanIn = weightShape.Skip(1).Aggregate(1, (a, b) => a * b);
            double bound = 1 / Math.Sqrt(fanIn);
            values[k] = Draw(ref random, weightShape.Aggregate(1, (a, b) => a * b), bound);
            values[k + 1] = Draw(ref random, weightShape[0], bound);
        }
        return values;
    }

    private static double[] Draw(ref SplitMix64 random, int count, double bound)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++)
            values[i] = random.Uniform(-bound, bound);
        return values;
    }
}

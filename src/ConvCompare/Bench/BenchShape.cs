namespace ConvCompare.Bench;

/// <summary>
/// One benchmark shape: a square-kernel convolution N x C_in x H x W -> C_out with the given kernel,
/// stride and symmetric padding (the reference shapes S1 to S4).
/// </summary>
internal sealed record BenchShape(string Name, int N, int InChannels, int Size, int OutChannels, int Kernel, int Stride, int Padding, string Description)
{
    public static IReadOnlyList<BenchShape> All { get; } =
    [
        new("S1", 1, 3, 32, 16, 3, 1, 1, "tiny; overhead-bound"),
        new("S2", 32, 3, 32, 16, 3, 1, 1, "first layer of a CIFAR network"),
        new("S3", 8, 64, 56, 64, 3, 1, 1, "ResNet block"),
        new("S4", 16, 32, 32, 64, 3, 2, 1, "downsampling"),
    ];

    public int OutSize => (Size + 2 * Padding - Kernel) / Stride + 1;

    /// <summary>Floating-point operations of the forward pass: one multiply and one add per tap and output element.</summary>
    public double ForwardFlops => 2.0 * N * OutChannels * OutSize * OutSize * InChannels * Kernel * Kernel;

    /// <summary>Forward plus backward: dJ/da and dJ/dw each cost as much as the forward pass (dJ/db is negligible).</summary>
    public double ForwardBackwardFlops => 3.0 * ForwardFlops;

    /// <summary>Bytes of the inputs, outputs and gradients of one forward + backward pass in the given element size.</summary>
    public long TensorBytes(int elementSize)
    {
        long input = (long)N * InChannels * Size * Size;
        long weights = (long)OutChannels * InChannels * Kernel * Kernel;
        long output = (long)N * OutChannels * OutSize * OutSize;
        return 2 * (input + weights + OutChannels + output) * elementSize;
    }
}

using ConvRef;

namespace ConvCompare.Bench;

/// <summary>
/// One benchmark shape: a square-kernel convolution N x C_in x H x W -> C_out with the given kernel,
/// stride, symmetric padding and groups (G = C_in = C_out is depthwise): the reference shapes S1 to S4
/// and the layers of the networks in <see cref="NetworkLayers"/>.
/// </summary>
internal sealed record BenchShape(string Name, int N, int InChannels, int Height, int Width, int OutChannels, int Kernel, int Stride, int Padding, int Groups = 1)
{
    /// <summary>The reference shapes, one of each kind of cost.</summary>
    public static IReadOnlyList<BenchShape> All { get; } =
    [
        new("S1", 1, 3, 32, 32, 16, 3, 1, 1) { Description = "tiny; overhead-bound" },
        new("S2", 32, 3, 32, 32, 16, 3, 1, 1) { Description = "first layer of a CIFAR network" },
        new("S3", 8, 64, 56, 56, 64, 3, 1, 1) { Description = "ResNet block" },
        new("S4", 16, 32, 32, 32, 64, 3, 2, 1) { Description = "downsampling" },
    ];

    /// <summary>What the shape stands for.</summary>
    public string Description { get; init; } = "";

    /// <summary>The network the layer belongs to, or null for a reference shape.</summary>
    public string? Network { get; init; }

    /// <summary>How many layers of its network have exactly this shape: the weight of its time in the network's total.</summary>
    public int Occurrences { get; init; } = 1;

    public int OutHeight => (Height + 2 * Padding - Kernel) / Stride + 1;

    public int OutWidth => (Width + 2 * Padding - Kernel) / Stride + 1;

    /// <summary>The stride, symmetric padding and groups as ConvRef takes them.</summary>
    public Conv2dSpec Spec => new()
    {
        StrideH = Stride, StrideW = Stride,
        PadTop = Padding, PadBottom = Padding, PadLeft = Padding, PadRight = Padding,
        Groups = Groups,
    };

    /// <summary>
    /// Multiply-adds of the forward pass (Eq 1): one per output element and tap of its group,
    /// N · C_out · OutH · OutW · (C_in / G) · k². Taps that fall on padding count too, as the
    /// conventional count does.
    /// </summary>
    public double ForwardMultiplyAdds => (double)N * OutChannels * OutHeight * OutWidth * (InChannels / Groups) * Kernel * Kernel;

    /// <summary>Floating-point operations of the forward pass: a multiply and an add per multiply-add.</summary>
    public double ForwardFlops => 2.0 * ForwardMultiplyAdds;

    /// <summary>
    /// Floating-point operations of the backward pass: dJ/da (Eq 5) and dJ/dw (Eq 3) each take one
    /// multiply-add per forward multiply-add; dJ/db (Eq 9), one add per output element, is not counted.
    /// </summary>
    public double BackwardFlops => 2.0 * ForwardFlops;

    /// <summary>Forward plus backward.</summary>
    public double ForwardBackwardFlops => ForwardFlops + BackwardFlops;

    /// <summary>The floating-point operations one timed call of <paramref name="pass"/> performs.</summary>
    public double Flops(BenchPass pass) => pass == BenchPass.Fwd ? ForwardFlops : ForwardBackwardFlops;

    /// <summary>Bytes of the inputs, outputs and gradients of one forward + backward pass in the given element size.</summary>
    public long TensorBytes(int elementSize)
    {
        long input = (long)N * InChannels * Height * Width;
        long weights = (long)OutChannels * (InChannels / Groups) * Kernel * Kernel;
        long output = (long)N * OutChannels * OutHeight * OutWidth;
        return 2 * (input + weights + OutChannels + output) * elementSize;
    }
}

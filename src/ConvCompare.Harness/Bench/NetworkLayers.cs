namespace ConvCompare.Bench;

/// <summary>
/// The distinct convolution layers of two published networks at batch 8 on 224 x 224 images, each
/// with the number of layers of that exact shape in the network, so that a network's total (the
/// convolutions of one training step) weights each layer's time by it. Columns of the tables:
/// name, N, C_in, H, W, C_out, kernel, stride, padding, groups, occurrences.
/// </summary>
internal static class NetworkLayers
{
    public const int Batch = 8;

    /// <summary>
    /// ResNet-18 (He et al., "Deep Residual Learning for Image Recognition", 2015, Table 1, 18-layer
    /// column): a 7x7 stride-2 stem, then four stages of two basic blocks (two 3x3 convolutions each).
    /// The first block of stages 2 to 4 halves H and W with a stride-2 3x3 convolution and a stride-2
    /// 1x1 projection on its shortcut (option B); the other three 3x3 convolutions of the stage keep
    /// the shape. 20 convolutions in 11 distinct shapes, 1.81 G multiply-adds per image. The fully
    /// connected classifier is not a convolution.
    /// </summary>
    public static IReadOnlyList<BenchShape> ResNet18 { get; } = Network("resnet18", "r18",
    [
        // name       N      C_in  H    W    C_out k  s  p  g  occurrences
        ("conv1",     Batch, 3,    224, 224, 64,   7, 2, 3, 1, 1),
        ("l1",        Batch, 64,   56,  56,  64,   3, 1, 1, 1, 4),
        ("l2.s2",     Batch, 64,   56,  56,  128,  3, 2, 1, 1, 1),
        ("l2",        Batch, 128,  28,  28,  128,  3, 1, 1, 1, 3),
        ("l2.down",   Batch, 64,   56,  56,  128,  1, 2, 0, 1, 1),
        ("l3.s2",     Batch, 128,  28,  28,  256,  3, 2, 1, 1, 1),
        ("l3",        Batch, 256,  14,  14,  256,  3, 1, 1, 1, 3),
        ("l3.down",   Batch, 128,  28,  28,  256,  1, 2, 0, 1, 1),
        ("l4.s2",     Batch, 256,  14,  14,  512,  3, 2, 1, 1, 1),
        ("l4",        Batch, 512,  7,   7,   512,  3, 1, 1, 1, 3),
        ("l4.down",   Batch, 256,  14,  14,  512,  1, 2, 0, 1, 1),
    ]);

    /// <summary>
    /// MobileNetV2 at width 1.0 (Sandler et al., "MobileNetV2: Inverted Residuals and Linear
    /// Bottlenecks", 2018, Table 2): a 3x3 stride-2 stem, 17 inverted-residual blocks and a 1x1
    /// convolution to 1280 channels. A block with expansion t expands with a 1x1 convolution to t·C_in
    /// channels (omitted when t = 1), filters with a depthwise 3x3 (groups = channels) that carries the
    /// stage's stride in the stage's first block, and projects with a 1x1 convolution to the stage's
    /// channel count. Table 2's rows (t, c, n, s): (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2),
    /// (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1). 52 convolutions in 30 distinct
    /// shapes, 0.30 G multiply-adds per image. The classifier on the pooled features is not a convolution.
    /// </summary>
    public static IReadOnlyList<BenchShape> MobileNetV2 { get; } = Network("mobilenetv2", "mv2",
    [
        // name          N      C_in  H    W    C_out k  s  p  g    occurrences
        ("stem",         Batch, 3,    224, 224, 32,   3, 2, 1, 1,   1),
        ("dw32",         Batch, 32,   112, 112, 32,   3, 1, 1, 32,  1),
        ("pw32-16",      Batch, 32,   112, 112, 16,   1, 1, 0, 1,   1),
        ("pw16-96",      Batch, 16,   112, 112, 96,   1, 1, 0, 1,   1),
        ("dw96.s2",      Batch, 96,   112, 112, 96,   3, 2, 1, 96,  1),
        ("pw96-24",      Batch, 96,   56,  56,  24,   1, 1, 0, 1,   1),
        ("pw24-144",     Batch, 24,   56,  56,  144,  1, 1, 0, 1,   2),
        ("dw144",        Batch, 144,  56,  56,  144,  3, 1, 1, 144, 1),
        ("pw144-24",     Batch, 144,  56,  56,  24,   1, 1, 0, 1,   1),
        ("dw144.s2",     Batch, 144,  56,  56,  144,  3, 2, 1, 144, 1),
        ("pw144-32",     Batch, 144,  28,  28,  32,   1, 1, 0, 1,   1),
        ("pw32-192",     Batch, 32,   28,  28,  192,  1, 1, 0, 1,   3),
        ("dw192",        Batch, 192,  28,  28,  192,  3, 1, 1, 192, 2),
        ("pw192-32",     Batch, 192,  28,  28,  32,   1, 1, 0, 1,   2),
        ("dw192.s2",     Batch, 192,  28,  28,  192,  3, 2, 1, 192, 1),
        ("pw192-64",     Batch, 192,  14,  14,  64,   1, 1, 0, 1,   1),
        ("pw64-384",     Batch, 64,   14,  14,  384,  1, 1, 0, 1,   4),
        ("dw384",        Batch, 384,  14,  14,  384,  3, 1, 1, 384, 4),
        ("pw384-64",     Batch, 384,  14,  14,  64,   1, 1, 0, 1,   3),
        ("pw384-96",     Batch, 384,  14,  14,  96,   1, 1, 0, 1,   1),
        ("pw96-576",     Batch, 96,   14,  14,  576,  1, 1, 0, 1,   3),
        ("dw576",        Batch, 576,  14,  14,  576,  3, 1, 1, 576, 2),
        ("pw576-96",     Batch, 576,  14,  14,  96,   1, 1, 0, 1,   2),
        ("dw576.s2",     Batch, 576,  14,  14,  576,  3, 2, 1, 576, 1),
        ("pw576-160",    Batch, 576,  7,   7,   160,  1, 1, 0, 1,   1),
        ("pw160-960",    Batch, 160,  7,   7,   960,  1, 1, 0, 1,   3),
        ("dw960",        Batch, 960,  7,   7,   960,  3, 1, 1, 960, 3),
        ("pw960-160",    Batch, 960,  7,   7,   160,  1, 1, 0, 1,   2),
        ("pw960-320",    Batch, 960,  7,   7,   320,  1, 1, 0, 1,   1),
        ("pw320-1280",   Batch, 320,  7,   7,   1280, 1, 1, 0, 1,   1),
    ]);

    /// <summary>Both networks, in the order the bench reports them.</summary>
    public static IReadOnlyList<IReadOnlyList<BenchShape>> Networks { get; } = [ResNet18, MobileNetV2];

    private static BenchShape[] Network(string network, string prefix,
        (string Name, int N, int InChannels, int H, int W, int OutChannels, int Kernel, int Stride, int Padding, int Groups, int Occurrences)[] rows) =>
        rows.Select(r => new BenchShape($"{prefix}.{r.Name}", r.N, r.InChannels, r.H, r.W, r.OutChannels, r.Kernel, r.Stride, r.Padding, r.Groups)
        {
            Network = network,
            Occurrences = r.Occurrences,
        }).ToArray();
}

using ConvCompare.Bench;
using ConvRef;

namespace ConvCompare.Tests.Bench;

/// <summary>
/// The literal layer tables against the architectures they come from: generated here from each
/// paper's compact description (stages and blocks), counted by hand, and checked against ConvRef's
/// own shape validation.
/// </summary>
public class NetworkLayerTests
{
    /// <summary>A convolution as the generators below produce it: C_in, H (= W), C_out, kernel, stride, padding, groups.</summary>
    private readonly record struct Layer(int InChannels, int Size, int OutChannels, int Kernel, int Stride, int Padding, int Groups);

    [Fact]
    public void ResNet18Table_HoldsEveryConvolutionOfTheStagesAndBlocks_WithItsOccurrences()
    {
        // Table 1 of the paper, 18-layer column: 7x7/2 stem, 3x3 max pool /2, then four stages of two
        // basic blocks; a stage after the first starts with stride 2 and a 1x1/2 projection shortcut.
        var layers = new List<Layer> { new(3, 224, 64, 7, 2, 3, 1) };
        int channels = 64, size = 56;
        foreach (var (width, stride) in new[] { (64, 1), (128, 2), (256, 2), (512, 2) })
        {
            for (int block = 0; block < 2; block++)
            {
                int s = block == 0 ? stride : 1;
                int outSize = (size + 2 - 3) / s + 1;
                layers.Add(new(channels, size, width, 3, s, 1, 1));
                layers.Add(new(width, outSize, width, 3, 1, 1, 1));
                if (s != 1 || channels != width)
                    layers.Add(new(channels, size, width, 1, s, 0, 1));
                (channels, size) = (width, outSize);
            }
        }

        Assert.Equal(20, layers.Count);
        AssertTableMatches(layers, NetworkLayers.ResNet18, "resnet18");
    }

    [Fact]
    public void MobileNetV2Table_HoldsEveryConvolutionOfTheBottleneckRows_WithItsOccurrences()
    {
        // Table 2 of the paper: stem 3x3/2 to 32 channels, bottleneck rows (t, c, n, s), a 1x1 to 1280.
        var layers = new List<Layer> { new(3, 224, 32, 3, 2, 1, 1) };
        int channels = 32, size = 112;
        foreach (var (t, c, n, s) in new[] { (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1) })
        {
            for (int block = 0; block < n; block++)
            {
                int stride = block == 0 ? s : 1;
                int hidden = channels * t;
                int outSize = (size + 2 - 3) / stride + 1;
                if (t != 1)
                    layers.Add(new(channels, size, hidden, 1, 1, 0, 1));
                layers.Add(new(hidden, size, hidden, 3, stride, 1, hidden));
                layers.Add(new(hidden, outSize, c, 1, 1, 0, 1));
                (channels, size) = (c, outSize);
            }
        }
        layers.Add(new(320, 7, 1280, 1, 1, 0, 1));

        Assert.Equal(52, layers.Count);
        AssertTableMatches(layers, NetworkLayers.MobileNetV2, "mobilenetv2");
    }

    [Theory]
    [InlineData("r18.conv1", 8.0 * 64 * 112 * 112 * 3 * 7 * 7)]
    [InlineData("r18.l2.s2", 8.0 * 128 * 28 * 28 * 64 * 3 * 3)]
    [InlineData("r18.l4.down", 8.0 * 512 * 7 * 7 * 256 * 1 * 1)]
    [InlineData("mv2.stem", 8.0 * 32 * 112 * 112 * 3 * 3 * 3)]
    [InlineData("mv2.dw96.s2", 8.0 * 96 * 56 * 56 * 1 * 3 * 3)] // depthwise: one input channel per output channel
    [InlineData("mv2.dw960", 8.0 * 960 * 7 * 7 * 1 * 3 * 3)]
    [InlineData("mv2.pw320-1280", 8.0 * 1280 * 7 * 7 * 320)]
    [InlineData("S4", 16.0 * 64 * 16 * 16 * 32 * 3 * 3)]
    public void LayerFlops_AreTwoPerMultiplyAddForward_AndTwiceThatBackward(string name, double multiplyAdds)
    {
        var shape = BenchSuites.Find(name)!;
        Assert.Equal(multiplyAdds, shape.ForwardMultiplyAdds);
        Assert.Equal(2 * multiplyAdds, shape.ForwardFlops);
        Assert.Equal(4 * multiplyAdds, shape.BackwardFlops);
        Assert.Equal(6 * multiplyAdds, shape.Flops(BenchPass.FwdBwd));
        Assert.Equal(2 * multiplyAdds, shape.Flops(BenchPass.Fwd));
    }

    [Fact]
    public void ResNet18Total_IsTheHandCountPerImage_AndThePublishedOnePointEightBillion()
    {
        // Per image, output pixels x C_out x C_in x k^2: stem, stage 1 (4 convolutions), then per stage
        // the stride-2 3x3, three 3x3 and the 1x1 projection.
        const double handCount = 112.0 * 112 * 64 * 3 * 49 + 4.0 * 56 * 56 * 64 * 64 * 9
            + (28.0 * 28 * 128 * 64 * 9 + 3.0 * 28 * 28 * 128 * 128 * 9 + 28.0 * 28 * 128 * 64)
            + (14.0 * 14 * 256 * 128 * 9 + 3.0 * 14 * 14 * 256 * 256 * 9 + 14.0 * 14 * 256 * 128)
            + (7.0 * 7 * 512 * 256 * 9 + 3.0 * 7 * 7 * 512 * 512 * 9 + 7.0 * 7 * 512 * 256);
        double perImage = NetworkLayers.ResNet18.Sum(l => l.Occurrences * l.ForwardMultiplyAdds) / NetworkLayers.Batch;

        Assert.Equal(1_813_561_344.0, handCount);
        Assert.Equal(handCount, perImage);
        // The paper's Table 1 gives 1.8 x 10^9 multiply-adds, to two digits.
        Assert.InRange(perImage, 1.75e9, 1.85e9);
    }

    [Fact]
    public void MobileNetV2Total_WithTheClassifier_IsThePublishedThreeHundredMillion()
    {
        double perImage = NetworkLayers.MobileNetV2.Sum(l => l.Occurrences * l.ForwardMultiplyAdds) / NetworkLayers.Batch;
        const double classifier = 1280.0 * 1000;

        // The paper's Table 3 gives 300 M multiply-adds for width 1.0 at 224 x 224, classifier included, to two digits.
        Assert.InRange(perImage + classifier, 295e6, 305e6);
    }

    public static TheoryData<string> EveryShape() => [.. BenchSuites.Every.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(EveryShape))]
    public void EveryShape_IsAConvolutionConvRefAccepts_WithTheOutputSizeItsFlopsAssume(string name)
    {
        // The batch does not change the geometry; one sample keeps the test small.
        var shape = BenchSuites.Find(name)! with { N = 1 };
        var inputs = BenchInputs.For(shape, seed: 1);

        var forward = ConvValidation.CheckForward(inputs.Input, inputs.Weights, inputs.Bias, shape.Spec, Conv2dAlgorithm.Vectorized, Conv2dLimits.Default, null);
        ConvValidation.CheckBackward(inputs.Input, inputs.Weights, inputs.Delta, shape.Spec, BackwardOptions<double>.None, Conv2dAlgorithm.Vectorized, Conv2dLimits.Default, null);

        Assert.Equal([1, shape.OutChannels, shape.OutHeight, shape.OutWidth], forward.OutputShape);
    }

    [Theory]
    [InlineData("resnet18", 11)]
    [InlineData("MobileNetV2", 30)]
    [InlineData("r18.l3.down", 1)]
    [InlineData("s3", 1)]
    public void ShapeNames_ResolveToTheNetworkOrTheOneShape(string name, int count)
    {
        Assert.Equal(count, BenchSuites.Resolve(name)!.Count);
    }

    [Fact]
    public void ShapeNames_AreUniqueAcrossSuites()
    {
        Assert.Equal(BenchSuites.Every.Count, BenchSuites.Every.Select(s => s.Name.ToUpperInvariant()).Distinct().Count());
        Assert.Null(BenchSuites.Resolve("resnet50"));
    }

    private static void AssertTableMatches(List<Layer> generated, IReadOnlyList<BenchShape> table, string network)
    {
        var expected = generated.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        var actual = table.ToDictionary(
            s => new Layer(s.InChannels, s.Height, s.OutChannels, s.Kernel, s.Stride, s.Padding, s.Groups), s => s.Occurrences);

        Assert.Equal(expected.OrderBy(p => p.Key.ToString()), actual.OrderBy(p => p.Key.ToString()));
        Assert.All(table, s =>
        {
            Assert.Equal(NetworkLayers.Batch, s.N);
            Assert.Equal(s.Height, s.Width);
            Assert.Equal(network, s.Network);
        });
    }
}

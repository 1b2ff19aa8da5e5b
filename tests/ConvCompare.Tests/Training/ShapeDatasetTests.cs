using ConvCompare.Training;

namespace ConvCompare.Tests.Training;

public class ShapeDatasetTests
{
    [Fact]
    public void SameSeed_GivesIdenticalImages_AndAnotherSeedDifferentOnes()
    {
        var a = ShapeDataset.Generate(5, 16, 8);
        var b = ShapeDataset.Generate(5, 16, 8);
        var c = ShapeDataset.Generate(6, 16, 8);
        Assert.Equal(a.Train.Pixels, b.Train.Pixels);
        Assert.Equal(a.Test.Pixels, b.Test.Pixels);
        Assert.NotEqual(a.Train.Pixels, c.Train.Pixels);
    }

    [Fact]
    public void BothSplits_HoldEveryClassEquallyOften()
    {
        var data = ShapeDataset.Generate(1);
        Assert.Equal(ShapeDataset.TrainCount, data.Train.Count);
        Assert.Equal(ShapeDataset.TestCount, data.Test.Count);
        Assert.All(data.Train.Labels.CountBy(l => l), g => Assert.Equal(ShapeDataset.TrainCount / ShapeDataset.ClassCount, g.Value));
        Assert.All(data.Test.Labels.CountBy(l => l), g => Assert.Equal(ShapeDataset.TestCount / ShapeDataset.ClassCount, g.Value));
    }

    [Fact]
    public void FirstImageOfSeedOne_IsPinned()
    {
        // Pins the generator (SplitMix64, the shape geometry, the noise) so a change to either is noticed;
        // the values are what this code produced when the README's numbers were measured.
        var image = ShapeDataset.Generate(1, 8, 8).Train.Pixels.AsSpan(0, ShapeDataset.Pixels).ToArray();
        Assert.Equal(PinnedSum, image.Sum(), 12);
        Assert.Equal(PinnedPixel, image[7 * ShapeDataset.ImageSize + 7], 12);
    }

    private const double PinnedSum = 5.5462113139881604;
    private const double PinnedPixel = -0.16873584838709588;
}

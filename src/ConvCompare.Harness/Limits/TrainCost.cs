using ConvCompare.Training;

namespace ConvCompare.Limits;

/// <summary>The work of a <c>train</c> run, counted from its options before the first step.</summary>
internal static class TrainCost
{
    /// <summary>Multiply-adds of one image's forward pass through <see cref="SmallCnn"/>: the two convolutions (Eq 1) and the dense layer.</summary>
    public static double ForwardPerImage
    {
        get
        {
            double conv1 = (double)SmallCnn.Conv1Channels * ShapeDataset.ImageSize * ShapeDataset.ImageSize * SmallCnn.Kernel * SmallCnn.Kernel;
            double conv2 = (double)SmallCnn.Conv2Channels * SmallCnn.Conv2OutSize * SmallCnn.Conv2OutSize * SmallCnn.Conv1Channels * SmallCnn.Kernel * SmallCnn.Kernel;
            double dense = (double)SmallCnn.Features * ShapeDataset.ClassCount;
            return conv1 + conv2 + dense;
        }
    }

    /// <summary>
    /// Every step runs forward and backward (three forward passes' worth) on the batch in ConvRef and in
    /// TorchSharp; afterwards both classify the test images once.
    /// </summary>
    public static Cost Of(int steps, int batch) =>
        new((double)steps * batch * 2 * 3 * ForwardPerImage + 2.0 * ShapeDataset.TestCount * ForwardPerImage, 0, 0);
}

using ConvCompare.Cases;

namespace ConvCompare.Training;

/// <summary>The shapes the synthetic data set draws, one class each.</summary>
internal enum ShapeClass
{
    HorizontalBar,
    VerticalBar,
    Diagonal,
    AntiDiagonal,
    Plus,
    Cross,
    SquareOutline,
    Ring,
}

/// <summary>Images (C order, N x 1 x 16 x 16 flattened) with their class labels.</summary>
internal sealed record LabelledImages(double[] Pixels, int[] Labels)
{
    public int Count => Labels.Length;
}

/// <summary>A train/test split of the synthetic shapes.</summary>
internal sealed record ShapeDataset(LabelledImages Train, LabelledImages Test)
{
    public const int ImageSize = 16;
    public const int Pixels = ImageSize * ImageSize;
    public const int ClassCount = 8;
    public const int TrainCount = 2400;
    public const int TestCount = 800;

    /// <summary>
    /// Generates the data set from <paramref name="seed"/> alone: classes in turn (so both splits are
    /// balanced), each shape drawn at a random centre (jitter up to 3 pixels), size, stroke width and
    /// contrast, plus Gaussian pixel noise. The shapes differ in where their strokes lie relative to each
    /// other, not in how much ink they carry, and they move around, so a linear model over the pixels has
    /// no fixed template to learn while a convolution can detect strokes wherever they are.
    /// </summary>
    public static ShapeDataset Generate(ulong seed, int trainCount = TrainCount, int testCount = TestCount)
    {
        var random = new SplitMix64(seed);
        return new ShapeDataset(Draw(ref random, trainCount), Draw(ref random, testCount));
    }

    private static LabelledImages Draw(ref SplitMix64 random, int count)
    {
        var pixels = new double[count * Pixels];
        var labels = new int[count];
        for (int k = 0; k < count; k++)
        {
            labels[k] = k % ClassCount;
            Render((ShapeClass)labels[k], ref random, pixels.AsSpan(k * Pixels, Pixels));
        }
        return new LabelledImages(pixels, labels);
    }

    /// <summary>
    /// Ink = contrast * clamp(halfWidth + 0.5 - d, 0, 1) for the distance d of a pixel centre from the
    /// shape's stroke: a one-pixel soft edge, so sub-pixel jitter changes the image smoothly.
    /// </summary>
    private static void Render(ShapeClass shape, ref SplitMix64 random, Span<double> image)
    {
        double cx = 7.5 + random.Uniform(-3, 3);
        double cy = 7.5 + random.Uniform(-3, 3);
        double size = random.Uniform(3, 5);
        double halfWidth = random.Uniform(0.35, 0.75);
        double contrast = random.Uniform(0.6, 1.0);
        for (int y = 0; y < ImageSize; y++)
            for (int x = 0; x < ImageSize; x++)
            {
                double d = StrokeDistance(shape, x - cx, y - cy, size);
                double ink = contrast * Math.Clamp(halfWidth + 0.5 - d, 0, 1);
                image[y * ImageSize + x] = ink + 0.15 * random.Gaussian();
            }
    }

    /// <summary>Distance from (dx, dy), relative to the shape's centre, to the nearest stroke of a shape of half-extent <paramref name="size"/>.</summary>
    private static double StrokeDistance(ShapeClass shape, double dx, double dy, double size)
    {
        double horizontal = Segment(dy, dx, size);
        double vertical = Segment(dx, dy, size);
        double diagonal = Segment((dx - dy) / Math.Sqrt(2), (dx + dy) / Math.Sqrt(2), size * Math.Sqrt(2));
        double antiDiagonal = Segment((dx + dy) / Math.Sqrt(2), (dx - dy) / Math.Sqrt(2), size * Math.Sqrt(2));
        return shape switch
        {
            ShapeClass.HorizontalBar => horizontal,
            ShapeClass.VerticalBar => vertical,
            ShapeClass.Diagonal => diagonal,
            ShapeClass.AntiDiagonal => antiDiagonal,
            ShapeClass.Plus => Math.Min(horizontal, vertical),
            ShapeClass.Cross => Math.Min(diagonal, antiDiagonal),
            ShapeClass.SquareOutline => Math.Abs(Math.Max(Math.Abs(dx), Math.Abs(dy)) - size),
            ShapeClass.Ring => Math.Abs(Math.Sqrt(dx * dx + dy * dy) - size),
            _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "unknown shape"),
        };
    }

    /// <summary>Distance to a segment along one axis: <paramref name="across"/> is the offset across it, <paramref name="along"/> the position along it, <paramref name="halfLength"/> its half-length.</summary>
    private static double Segment(double across, double along, double halfLength)
    {
        double beyond = Math.Max(Math.Abs(along) - halfLength, 0);
        return Math.Sqrt(across * across + beyond * beyond);
    }
}

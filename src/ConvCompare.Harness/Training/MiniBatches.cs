using ConvCompare.Cases;

namespace ConvCompare.Training;

/// <summary>Mini-batches drawn without replacement from a seeded shuffle of the training split, reshuffled every epoch; the last incomplete batch of an epoch is dropped so every batch has the same size.</summary>
internal sealed class MiniBatches
{
    private readonly LabelledImages _source;
    private readonly int _size;
    private SplitMix64 _random;
    private readonly int[] _order;
    private int _next;

    public MiniBatches(LabelledImages source, int size, ulong seed)
    {
        if (size < 1 || size > source.Count)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"the batch size must be between 1 and the {source.Count} training images");
        _source = source;
        _size = size;
        _random = new SplitMix64(seed ^ 0xBA7C_4E50_0000_0001UL);
        _order = [.. Enumerable.Range(0, source.Count)];
        _next = _order.Length;
    }

    /// <summary>The next batch: pixels (size * 256, C order) and labels.</summary>
    public (double[] Pixels, int[] Labels) Next()
    {
        if (_next + _size > _order.Length)
        {
            _random.Shuffle(_order);
            _next = 0;
        }
        var pixels = new double[_size * ShapeDataset.Pixels];
        var labels = new int[_size];
        for (int b = 0; b < _size; b++)
        {
            int k = _order[_next++];
            _source.Pixels.AsSpan(k * ShapeDataset.Pixels, ShapeDataset.Pixels).CopyTo(pixels.AsSpan(b * ShapeDataset.Pixels));
            labels[b] = _source.Labels[k];
        }
        return (pixels, labels);
    }
}

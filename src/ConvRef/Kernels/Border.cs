using System.Numerics;

namespace ConvRef.Kernels;

/// <summary>
/// PyTorch's <c>F.pad</c> in each <see cref="PaddingMode"/> on tensors of outer x spatial axes (the
/// outer axes being N and C), and its adjoint, the fold that carries the padded input's gradient back
/// onto the input. Both only copy and add; the serial and vectorized algorithms share them.
/// </summary>
internal static class Border
{
    /// <summary>
    /// Where each position of a padded axis copies from: index into the input, or -1 for a zero.
    /// Position p stands at input index i = p - before; outside the input, reflect mirrors at the edge
    /// element (-i, 2(size-1) - i), replicate repeats it, circular wraps (i mod size).
    /// </summary>
    public static int[] Sources(int size, int before, int after, PaddingMode mode)
    {
        var sources = new int[before + size + after];
        for (int p = 0; p < sources.Length; p++)
        {
            int i = p - before;
            sources[p] = mode switch
            {
                PaddingMode.Reflect => i < 0 ? -i : i >= size ? 2 * (size - 1) - i : i,
                PaddingMode.Replicate => Math.Clamp(i, 0, size - 1),
                PaddingMode.Circular => (i % size + size) % size,
                _ => i >= 0 && i < size ? i : -1,
            };
        }
        return sources;
    }

    /// <summary>The padded tensor: every position holds the input element <see cref="Sources"/> names, or zero.</summary>
    public static Tensor<T> Pad<T>(Tensor<T> input, IReadOnlyList<int> before, IReadOnlyList<int> after, PaddingMode mode)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var map = new Map(input.Shape, before, after, mode);
        var padded = Tensor<T>.Zeros(map.PaddedShape);
        map.Visit((from, to) => padded.Data[to] = input.Data[from]);
        return padded;
    }

    /// <summary>
    /// The adjoint of <see cref="Pad{T}"/>: dJ/da[i] = Σ over the padded positions p copying i of dJ/dpadded[p],
    /// in the padded tensor's order. For zeros it is a crop; reflect and replicate add the border's
    /// gradient into the elements near the edge it mirrors or repeats; circular into the opposite end.
    /// </summary>
    public static void Fold<T>(Tensor<T> paddedGradient, IReadOnlyList<int> before, IReadOnlyList<int> after, PaddingMode mode, Tensor<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var map = new Map(inputGradient.Shape, before, after, mode);
        Array.Clear(inputGradient.Data);
        map.Visit((from, to) => inputGradient.Data[from] += paddedGradient.Data[to]);
    }

    /// <summary>The index pairs (input element, padded position) of a padding, visited in the padded tensor's C order.</summary>
    private sealed class Map
    {
        private readonly int _outer;
        private readonly int[] _size = [1, 1, 1];
        private readonly int[][] _sources = [[0], [0], [0]];

        public Map(IReadOnlyList<int> shape, IReadOnlyList<int> before, IReadOnlyList<int> after, PaddingMode mode)
        {
            int rank = before.Count, first = shape.Count - rank;
            _outer = shape.Take(first).Aggregate(1, (p, d) => p * d);
            PaddedShape = [.. shape];
            for (int i = 0; i < rank; i++)
            {
                int axis = 3 - rank + i;
                _size[axis] = shape[first + i];
                _sources[axis] = Sources(shape[first + i], before[i], after[i], mode);
                PaddedShape[first + i] = _sources[axis].Length;
            }
        }

        public int[] PaddedShape { get; }

        public void Visit(Action<int, int> pair)
        {
            int to = 0;
            for (int o = 0; o < _outer; o++)
                foreach (int s0 in _sources[0])
                    foreach (int s1 in _sources[1])
                        foreach (int s2 in _sources[2])
                        {
                            if (s0 >= 0 && s1 >= 0 && s2 >= 0)
                                pair(((o * _size[0] + s0) * _size[1] + s1) * _size[2] + s2, to);
                            to++;
                        }
        }
    }
}

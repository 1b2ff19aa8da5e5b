using System.Numerics;

namespace ConvRef;

/// <summary>
/// A dense tensor of <typeparamref name="T"/> in C order (row-major, last index fastest), the layout
/// PyTorch uses, so values map one to one onto TorchSharp tensors.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Tensor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _shape;

    /// <summary>Wraps <paramref name="data"/> (not copied) as a tensor of shape <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentException">A dimension is negative, or the element count of <paramref name="shape"/> differs from <paramref name="data"/>'s length.</exception>
    public Tensor(int[] shape, T[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0)
                throw new ArgumentException($"shape {Format(shape)} has a negative dimension", nameof(shape));
            count *= d;
        }
        if (count != data.Length)
            throw new ArgumentException($"shape {Format(shape)} holds {count} elements but data has {data.Length}", nameof(data));
        _shape = (int[])shape.Clone();
        Data = data;
    }

    /// <summary>A tensor of zeros.</summary>
    public static Tensor<T> Zeros(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (int d in shape)
            count *= Math.Max(d, 0);
        return new Tensor<T>(shape, new T[count]);
    }

    /// <summary>The dimensions, outermost first.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>The elements in C order.</summary>
    public T[] Data { get; }

    /// <summary>The number of elements.</summary>
    public int Length => Data.Length;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The element at [n, c, h, w] of a rank-4 tensor.</summary>
    public T this[int n, int c, int h, int w]
    {
        get => Data[((n * _shape[1] + c) * _shape[2] + h) * _shape[3] + w];
        set => Data[((n * _shape[1] + c) * _shape[2] + h) * _shape[3] + w] = value;
    }

    /// <summary>A copy with every element converted to <typeparamref name="TOut"/> (rounded to nearest).</summary>
    public Tensor<TOut> Cast<TOut>() where TOut : unmanaged, IFloatingPointIeee754<TOut>
    {
        var result = new TOut[Data.Length];
        for (int i = 0; i < result.Length; i++)
            result[i] = TOut.CreateChecked(Data[i]);
        return new Tensor<TOut>(_shape, result);
    }

    /// <summary>A deep copy.</summary>
    public Tensor<T> Clone() => new(_shape, (T[])Data.Clone());

    /// <summary>The shape written as <c>[2,4,3,3]</c>, the form error messages use.</summary>
    public string ShapeText => Format(_shape);

    internal static string Format(IReadOnlyList<int> shape) => "[" + string.Join(",", shape) + "]";
}

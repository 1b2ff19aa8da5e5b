using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvRef;

namespace ConvCompare.Runner;

/// <summary>
/// One tensor of a threaded engine computed with several threads and again with one: the vectorized
/// algorithm splits its work into a fixed number of parts whatever the thread count, so the two must
/// be the same bit for bit, and any difference is that engine's failure.
/// </summary>
/// <param name="Threads">The thread count of the run under test, compared with one thread.</param>
/// <param name="FirstDifference">The first element whose bits differ, written <c>dx[0,3,5,7]</c>; null when every bit agrees.</param>
/// <param name="OneThreadError">The exception the engine threw with one thread (type and first line) though not with <paramref name="Threads"/>; else null.</param>
internal sealed record ThreadCheck(int Threads, string? FirstDifference, string? OneThreadError = null)
{
    /// <summary>Bitwise the same on one thread and on <see cref="Threads"/>.</summary>
    public bool Pass => FirstDifference is null && OneThreadError is null;

    /// <summary>Compares <paramref name="several"/> with <paramref name="one"/> bit for bit (shapes equal, as the same engine computed both).</summary>
    public static ThreadCheck Compare(TensorKind kind, Tensor<double> several, Tensor<double> one, int threads)
    {
        ArgumentNullException.ThrowIfNull(several);
        ArgumentNullException.ThrowIfNull(one);
        for (int i = 0; i < several.Length; i++)
        {
            // float32 results widen to float64 exactly, so comparing the widened bits compares the originals'.
            if (BitConverter.DoubleToInt64Bits(several.Data[i]) != BitConverter.DoubleToInt64Bits(one.Data[i]))
                return new ThreadCheck(threads, TensorComparison.ElementName(kind.Name(), several.Shape, i));
        }
        return new ThreadCheck(threads, null);
    }

    /// <summary>Why it failed, e.g. <c>vectorized: 1 thread and 2 threads differ at dx[0,3,5,7]</c>.</summary>
    public string Message(string implementation) => OneThreadError is { } error
        ? $"{implementation}: threw with 1 thread but not with {Threads} threads: {error}"
        : $"{implementation}: 1 thread and {Threads} threads differ at {FirstDifference}";
}

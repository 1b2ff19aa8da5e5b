using ConvCompare.Cases;

namespace ConvCompare.Explain.Examples;

/// <summary>
/// Small random integers for the examples from the harness's <see cref="SplitMix64"/>, so a seed
/// gives the same numbers on every machine and runtime.
/// </summary>
internal sealed class IntegerSource(ulong seed)
{
    private SplitMix64 _random = new(seed);

    /// <summary>A rows x columns matrix of integers in [min, max]; with <paramref name="skipZero"/> 0 is redrawn.</summary>
    public double[,] Matrix(int rows, int columns, int min, int max, bool skipZero = false)
    {
        var m = new double[rows, columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
            {
                int v;
                do
                    v = _random.Between(min, max);
                while (skipZero && v == 0);
                m[i, j] = v;
            }
        return m;
    }
}

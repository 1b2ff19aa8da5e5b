namespace ConvCompare.Explain.Examples;

/// <summary>
/// Small random integers from SplitMix64 (Steele, Lea, Flood 2014), so a seed gives the same
/// numbers on every machine and runtime, unlike System.Random whose algorithm is unspecified.
/// </summary>
internal sealed class IntegerSource(ulong seed)
{
    private ulong _state = seed;

    /// <summary>An integer in [min, max], drawn by rejection so every value is equally likely.</summary>
    public int Next(int min, int max)
    {
        ulong range = (ulong)(max - min + 1);
        ulong limit = ulong.MaxValue - ulong.MaxValue % range;
        ulong x;
        do
            x = NextUInt64();
        while (x >= limit);
        return min + (int)(x % range);
    }

    /// <summary>A rows x columns matrix of integers in [min, max]; with <paramref name="skipZero"/> 0 is redrawn.</summary>
    public double[,] Matrix(int rows, int columns, int min, int max, bool skipZero = false)
    {
        var m = new double[rows, columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
            {
                int v;
                do
                    v = Next(min, max);
                while (skipZero && v == 0);
                m[i, j] = v;
            }
        return m;
    }

    private ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

namespace ConvCompare.Cases;

/// <summary>
/// Steele, Lea and Flood's SplitMix64 generator: fully specified, so the same seed gives the same
/// cases and values on every machine and runtime (System.Random's algorithm is not specified).
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in [<paramref name="min"/>, <paramref name="max"/>] (Lemire's multiply-high, no modulo).</summary>
    public int Between(int min, int max)
    {
        ulong range = (ulong)(max - min + 1);
        return min + (int)Math.BigMul(Next(), range, out _);
    }

    /// <summary>A uniform double in [0, 1) with all 53 significand bits random.</summary>
    public double NextUnit() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform double in [-1, 1).</summary>
    public double NextSigned() => 2 * NextUnit() - 1;

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextUnit() < p;

    /// <summary>A stream seed for item <paramref name="index"/> of the stream <paramref name="seed"/>, so any item is reachable without drawing the ones before it.</summary>
    public static ulong Derive(ulong seed, ulong index)
    {
        var mixer = new SplitMix64(seed);
        return mixer.Next() ^ (index * 0xD1B54A32D192ED03UL + 0x8CB92BA72F3D8DD7UL);
    }
}

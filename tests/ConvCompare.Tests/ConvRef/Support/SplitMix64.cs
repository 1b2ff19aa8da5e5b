namespace ConvCompare.Tests.ConvRef.Support;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a fully specified generator, so a seed gives the same
/// values on every machine and runtime (System.Random's algorithm is not part of its contract).
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [min, max] (both inclusive).</summary>
    public int Int(int min, int max) => min + (int)(Next() % (ulong)(max - min + 1));

    /// <summary>Uniform in [-1, 1) on a grid of 2^-20 steps, exactly representable as float32.</summary>
    public double Signed() => ((long)(Next() >> 43) - (1L << 20)) / (double)(1 << 20);

    public bool Bool() => (Next() & 1) == 1;
}

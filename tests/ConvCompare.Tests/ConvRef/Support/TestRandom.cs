using ConvCompare.Cases;

namespace ConvCompare.Tests.ConvRef.Support;

/// <summary>
/// The harness's <see cref="SplitMix64"/> behind a reference type, so helpers and lambdas that draw
/// from it share one stream instead of copying the struct's state.
/// </summary>
internal sealed class TestRandom(ulong seed)
{
    private SplitMix64 _generator = new(seed);

    /// <summary>Uniform in [min, max] (both inclusive).</summary>
    public int Int(int min, int max) => _generator.Between(min, max);

    /// <summary>
    /// Uniform in [-1, 1) on a grid of 2^-20 steps: exactly representable in float32, so float32 and
    /// float64 runs start from the same values.
    /// </summary>
    public double Signed() => ((long)(_generator.Next() >> 43) - (1L << 20)) / (double)(1 << 20);

    public bool Bool() => _generator.Chance(0.5);
}

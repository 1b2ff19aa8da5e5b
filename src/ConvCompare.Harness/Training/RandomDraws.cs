using ConvCompare.Cases;

namespace ConvCompare.Training;

/// <summary>The draws the data set, the initial weights and the batch order need, on the harness's <see cref="SplitMix64"/>.</summary>
internal static class RandomDraws
{
    /// <summary>Uniform in [low, high).</summary>
    public static double Uniform(this ref SplitMix64 random, double low, double high) => low + (high - low) * random.NextUnit();

    /// <summary>Standard normal by the Box-Muller transform (one of the pair; the other is discarded for simplicity).</summary>
    public static double Gaussian(this ref SplitMix64 random)
    {
        double u1 = 1.0 - random.NextUnit();
        double u2 = random.NextUnit();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public static void Shuffle(this ref SplitMix64 random, Span<int> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = random.Between(0, i);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}

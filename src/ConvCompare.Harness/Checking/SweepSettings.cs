namespace ConvCompare.Checking;

/// <summary>What a sweep of <see cref="HarnessRunner.Sweep"/> runs: the seeded generator's cases, as <c>convcompare run</c> draws them.</summary>
public sealed record SweepSettings
{
    /// <summary>Cases of the original grammar (edge, special-value and realistic conv2d layers), at least 1.</summary>
    public int Cases { get; init; } = 200;

    /// <summary>The generator's seed: the same seed gives the same cases and values on any machine.</summary>
    public ulong Seed { get; init; } = Implementations.Conformance.DefaultSeed;

    /// <summary>Cases of the convolution family appended after them (for implementations that declare it), 0 or more.</summary>
    public int FamilyCases { get; init; }

    /// <summary>Second-order conv2d cases appended after those (for implementations that declare it), 0 or more.</summary>
    public int SecondOrderCases { get; init; }

    /// <summary>Whether an oracle fault counts as a failure.</summary>
    public bool StrictOracle { get; init; }

    /// <summary>Whether the sweep stops after the first failing case.</summary>
    public bool FailFast { get; init; }
}

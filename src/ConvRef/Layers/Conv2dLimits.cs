namespace ConvRef;

/// <summary>Guards every entry point applies before it allocates or computes.</summary>
public sealed record Conv2dLimits
{
    /// <summary>
    /// Largest tensor (in bytes) an entry point will allocate; larger requests are refused up front with
    /// the size they would need. Counts the results (output, dJ/da, dJ/dw) and, for the serial
    /// algorithm, its padded input plane. Default 2 GiB.
    /// </summary>
    public long MaxTensorBytes { get; init; } = 2L << 30;

    /// <summary>Reject NaN/Inf inputs with the first offending index; by default they compute through as IEEE 754 does.</summary>
    public bool RejectNonFinite { get; init; }

    /// <summary>
    /// Most threads the vectorized algorithm may use; null for every processor. Its results are bitwise
    /// the same for any value: the work is split into a fixed number of parts whatever the thread count.
    /// Must be at least 1.
    /// </summary>
    public int? MaxThreads { get; init; }

    /// <summary>The defaults.</summary>
    public static Conv2dLimits Default { get; } = new();
}

namespace ConvCompare.Explain.Examples;

/// <summary>Which parts of the walk-through to build.</summary>
internal enum ExampleChoice
{
    /// <summary>Part 1: single channel, one filter (Figure 1).</summary>
    Single,
    /// <summary>Part 2: three channels, four filters (Figure 2).</summary>
    Multi,
    /// <summary>Part 3: stride 2.</summary>
    Stride,
    /// <summary>All three parts.</summary>
    All,
}

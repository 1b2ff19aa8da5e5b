namespace ConvCompare.Cli;

/// <summary>The exit codes every <c>convcompare</c> command uses.</summary>
internal static class ExitCodes
{
    /// <summary>Everything checked passed.</summary>
    public const int Success = 0;

    /// <summary>A verified failure: ConvRef (or, with --strict-oracle, the oracle) is out of bound.</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments or a bad input file; one sentence on stderr says which and why.</summary>
    public const int BadInput = 2;

    /// <summary>TorchSharp/libtorch could not be loaded on this machine.</summary>
    public const int TorchUnavailable = 3;
}

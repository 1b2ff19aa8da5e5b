namespace ConvCompare.Cli;

/// <summary>The exit codes every command uses (README, "Exit codes").</summary>
internal static class ExitCodes
{
    /// <summary>Everything checked passed.</summary>
    public const int Passed = 0;

    /// <summary>A verified failure: an implementation disagrees beyond its bound.</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments or an unusable input file (one sentence on stderr).</summary>
    public const int BadInput = 2;

    /// <summary>TorchSharp cannot load libtorch here.</summary>
    public const int TorchUnavailable = 3;
}

namespace ConvCompare.Cli;

/// <summary>The exit codes of every command (see the README).</summary>
internal static class ExitCodes
{
    /// <summary>Everything passed.</summary>
    public const int Passed = 0;

    /// <summary>A verified failure: ConvRef out of bound (or an oracle fault under --strict-oracle).</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments or a bad input file.</summary>
    public const int BadArguments = 2;

    /// <summary>TorchSharp (libtorch) cannot be loaded.</summary>
    public const int TorchUnavailable = 3;

    /// <summary>Nothing was checked (an empty shard, a directory without golden files): not a pass, since nothing was tested.</summary>
    public const int NothingChecked = 4;

    /// <summary>
    /// The command could not finish: an unexpected error, an output that could not be written after
    /// the work, or numbers that stopped being comparable. Nothing was verified to fail, so never 1.
    /// </summary>
    public const int CouldNotFinish = 5;

    /// <summary>Writes one sentence to stderr and returns <see cref="BadArguments"/>.</summary>
    public static int Bad(string sentence)
    {
        Console.Error.WriteLine("convcompare: " + sentence);
        return BadArguments;
    }

    /// <summary>Writes one sentence saying that nothing was checked, and why, to stderr and returns <see cref="NothingChecked"/>.</summary>
    public static int Nothing(string why)
    {
        Console.Error.WriteLine("convcompare: nothing was checked: " + why);
        return NothingChecked;
    }

    /// <summary>Writes one sentence to <paramref name="error"/> (stderr by default) and returns <see cref="CouldNotFinish"/>.</summary>
    public static int Unfinished(string sentence, TextWriter? error = null)
    {
        (error ?? Console.Error).WriteLine("convcompare: could not finish: " + sentence);
        return CouldNotFinish;
    }

    /// <summary>Writes why TorchSharp is unavailable to stderr and returns <see cref="TorchUnavailable"/>.</summary>
    public static int NoTorch(string problem)
    {
        Console.Error.WriteLine("convcompare: " + problem);
        return TorchUnavailable;
    }
}

namespace ConvCompare.Golden;

/// <summary>
/// A golden-case file that cannot be used: truncated, malformed, or inconsistent with the format.
/// The message is one sentence naming the file and the problem, meant to be printed as is.
/// </summary>
internal sealed class GoldenFileException : Exception
{
    public GoldenFileException(string file, string problem)
        : base(file + ": " + problem)
    {
        File = file;
        Problem = problem;
    }

    /// <summary>The file as the user named it.</summary>
    public string File { get; }

    /// <summary>What is wrong with it, without the file name.</summary>
    public string Problem { get; }
}

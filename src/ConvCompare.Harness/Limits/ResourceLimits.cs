using System.Globalization;

namespace ConvCompare.Limits;

/// <summary>
/// What one command may cost, checked from the shapes before anything runs: the multiply-adds of
/// every implementation that will run, the memory it will hold, and the size of the reports it
/// will write. Past a limit the command is refused with one sentence naming the option that raises
/// it (docs/cli.md, "Limits").
/// </summary>
/// <param name="MaxWork">Most multiply-adds (each element a plane operation writes counts as one too).</param>
/// <param name="MaxMemory">Most bytes held at once, also the cap on an input file: reading one takes up to <see cref="ReadMemoryFactor"/> times its size.</param>
/// <param name="MaxOutput">Most bytes of the reports together.</param>
internal sealed record ResourceLimits(double MaxWork, long MaxMemory, long MaxOutput)
{
    /// <summary>
    /// Default <see cref="MaxWork"/>: above the default <c>bench</c> (about 5e11) and the default sweep
    /// (about 4e9), below the cases that run for many minutes in the serial algorithm's scalar loops.
    /// </summary>
    public const double DefaultMaxWork = 1e12;

    /// <summary>Default <see cref="MaxMemory"/>: 4 GiB.</summary>
    public const long DefaultMaxMemory = 4L << 30;

    /// <summary>Default <see cref="MaxOutput"/>: 256 MiB.</summary>
    public const long DefaultMaxOutput = 256L << 20;

    /// <summary>
    /// Reading a golden file holds the file's bytes and its tensors as doubles (twice the bytes of a
    /// float32 tensor), so at most three times the file's size besides the bounded header.
    /// </summary>
    public const int ReadMemoryFactor = 3;

    /// <summary>The option names, as every message spells them.</summary>
    public const string WorkOption = "--max-work", MemoryOption = "--max-memory", OutputOption = "--max-output";

    /// <summary>The defaults.</summary>
    public static ResourceLimits Default { get; } = new(DefaultMaxWork, DefaultMaxMemory, DefaultMaxOutput);

    /// <summary>The largest input file accepted: <see cref="MaxMemory"/> divided by <see cref="ReadMemoryFactor"/>.</summary>
    public long MaxFileBytes => MaxMemory / ReadMemoryFactor;

    /// <summary>Null when <paramref name="cost"/> fits, otherwise one sentence: "<paramref name="what"/> needs ..., more than ...; raise it with ...".</summary>
    public string? Refusal(string what, Cost cost)
    {
        if (cost.Work > MaxWork)
            return string.Create(CultureInfo.InvariantCulture,
                $"{what} needs about {cost.Work:G3} multiply-adds, more than the limit of {MaxWork:G3}; raise it with {WorkOption} if you mean it");
        if (cost.Memory > MaxMemory)
            return string.Create(CultureInfo.InvariantCulture,
                $"{what} needs about {Bytes(cost.Memory)} of memory, more than the limit of {Bytes(MaxMemory)}; raise it with {MemoryOption} if the machine has it");
        if (cost.Output > MaxOutput)
            return string.Create(CultureInfo.InvariantCulture,
                $"{what} would write reports of about {Bytes(cost.Output)}, more than the limit of {Bytes(MaxOutput)}; raise it with {OutputOption} if you mean it");
        return null;
    }

    /// <summary>A byte count for people: 1.5 GiB, 300 MiB, 12 KiB, 17 bytes.</summary>
    public static string Bytes(double bytes)
    {
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"];
        int unit = 0;
        while (bytes >= 1024 && unit < units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }
        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes:0} {units[0]}")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes:0.#} {units[unit]}");
    }
}

/// <summary>An estimate of what some work costs; sums add up.</summary>
/// <param name="Work">Multiply-adds.</param>
/// <param name="Memory">Bytes held at the peak.</param>
/// <param name="Output">Bytes of reports written.</param>
internal readonly record struct Cost(double Work, double Memory, double Output)
{
    /// <summary>Work done one after another: the work adds up, the memory peak is the larger one (except what is kept, which the caller adds).</summary>
    public Cost Then(Cost next) => new(Work + next.Work, Math.Max(Memory, next.Memory), Output + next.Output);
}

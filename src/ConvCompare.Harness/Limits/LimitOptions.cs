using System.CommandLine;
using System.Globalization;

namespace ConvCompare.Limits;

/// <summary>
/// <c>--max-work</c>, <c>--max-memory</c> and <c>--max-output</c>: the options that raise (or lower)
/// <see cref="ResourceLimits"/>, defined once for every command that checks them.
/// </summary>
internal sealed class LimitOptions
{
    private readonly Option<string> _work = new(ResourceLimits.WorkOption)
    {
        HelpName = "N",
        Description = $"Most multiply-adds the command may do, e.g. 1e12 (default {ResourceLimits.DefaultMaxWork:G3}).",
    };

    private readonly Option<string> _memory = new(ResourceLimits.MemoryOption)
    {
        HelpName = "BYTES",
        Description = $"Most memory the command may hold, e.g. 8G; input files may be a third of it (default {ResourceLimits.Bytes(ResourceLimits.DefaultMaxMemory)}).",
    };

    private readonly Option<string> _output = new(ResourceLimits.OutputOption)
    {
        HelpName = "BYTES",
        Description = $"Most bytes of reports the command may write, e.g. 1G (default {ResourceLimits.Bytes(ResourceLimits.DefaultMaxOutput)}).",
    };

    /// <summary>Adds the three options to <paramref name="command"/>.</summary>
    public static LimitOptions AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var options = new LimitOptions();
        command.Options.Add(options._work);
        command.Options.Add(options._memory);
        command.Options.Add(options._output);
        return options;
    }

    /// <summary>Adds <c>--max-memory</c> alone, for a command whose only cost is the input files it reads.</summary>
    public static LimitOptions AddMemoryTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var options = new LimitOptions { _memoryOnly = true };
        command.Options.Add(options._memory);
        return options;
    }

    private bool _memoryOnly;

    /// <summary>The limits a parse result asks for; false with one sentence in <paramref name="error"/> when a value is not a positive number.</summary>
    public bool TryRead(ParseResult parse, out ResourceLimits limits, out string error)
    {
        ArgumentNullException.ThrowIfNull(parse);
        limits = ResourceLimits.Default;
        error = "";
        if (!_memoryOnly && parse.GetValue(_work) is { } work)
        {
            if (!double.TryParse(work, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !(value >= 1) || !double.IsFinite(value))
            {
                error = $"{ResourceLimits.WorkOption} '{work}' must be a number of multiply-adds of at least 1, e.g. 1e12";
                return false;
            }
            limits = limits with { MaxWork = value };
        }
        if (parse.GetValue(_memory) is { } memory)
        {
            if (!TryParseBytes(memory, out long value))
            {
                error = $"{ResourceLimits.MemoryOption} '{memory}' must be a whole number of bytes of at least 1, optionally with K, M, G or T (powers of 1024), e.g. 8G";
                return false;
            }
            limits = limits with { MaxMemory = value };
        }
        if (!_memoryOnly && parse.GetValue(_output) is { } output)
        {
            if (!TryParseBytes(output, out long value))
            {
                error = $"{ResourceLimits.OutputOption} '{output}' must be a whole number of bytes of at least 1, optionally with K, M, G or T (powers of 1024), e.g. 1G";
                return false;
            }
            limits = limits with { MaxOutput = value };
        }
        return true;
    }

    /// <summary>Parses <c>123</c>, <c>64K</c>, <c>8G</c> (binary multiples); at least 1 and at most 2^62.</summary>
    public static bool TryParseBytes(string text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrEmpty(text))
            return false;
        int shift = char.ToUpperInvariant(text[^1]) switch { 'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, _ => 0 };
        string digits = shift == 0 ? text : text[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value < 1 || value > (1L << 62) >> shift)
            return false;
        bytes = value << shift;
        return true;
    }
}

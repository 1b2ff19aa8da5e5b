using System.CommandLine.Parsing;
using System.Globalization;

namespace ConvCompare.Cli;

/// <summary>
/// Reads a number option the same way on every machine: a point as the decimal separator, an optional
/// exponent, and no thousands separators, whatever the user's culture (which would read "1,5" as 15
/// in one and 1.5 in another).
/// </summary>
internal static class InvariantNumber
{
    /// <summary>A <c>CustomParser</c> for a <see cref="double"/> option; a value that is not such a number is a parse error naming the option.</summary>
    public static double Parse(ArgumentResult result)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(" ", result.Tokens.Select(t => t.Value));
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            return value;
        string option = result.Parent is OptionResult parent ? parent.Option.Name : "the value";
        result.AddError($"{option} '{text}' is not a number: write it with a point as the decimal separator and no thousands separators, e.g. 1.5 or 1e-3");
        return 0;
    }

    /// <summary><see cref="Parse"/> for an optional option.</summary>
    public static double? ParseOptional(ArgumentResult result) => Parse(result);
}

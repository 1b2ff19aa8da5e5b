using System.Globalization;
using System.Text;

namespace ConvCompare.Limits;

/// <summary>
/// Text taken from a file (tensor names, metadata keys and values, file names found in a directory)
/// made safe to print: shortened, so a 2 MB name cannot become a 2 MB error line, and with every
/// control character escaped, so a name cannot colour the terminal or split a message over two lines.
/// </summary>
internal static class UntrustedText
{
    /// <summary>Most characters of one string that a message quotes; the rest is replaced by an ellipsis and the full length.</summary>
    public const int MaxShown = 60;

    /// <summary>
    /// <paramref name="text"/> as a message may quote it: at most <see cref="MaxShown"/> characters of
    /// it, then an ellipsis and the full length, escaped as <see cref="Escape"/> does.
    /// </summary>
    public static string Show(string? text) =>
        text is null ? ""
        : text.Length <= MaxShown ? Escape(text)
        : Escape(text[..MaxShown]) + string.Create(CultureInfo.InvariantCulture, $"... ({text.Length} characters)");

    /// <summary>
    /// <paramref name="text"/> whole (for a file's path, which the system bounds), with control
    /// characters (C0, DEL, C1, line and paragraph separators) and unpaired surrogates written as
    /// <c>\n</c>, <c>\t</c>, <c>\r</c> or <c>\u001B</c>, and a backslash doubled so that text cannot pass for
    /// one of these escapes.
    /// </summary>
    public static string Escape(string? text)
    {
        if (text is null)
            return "";
        var shown = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool pairedSurrogate = char.IsHighSurrogate(c) ? i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                : char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1]);
            if (c == '\\')
                shown.Append(@"\\");
            else if (c == '\n')
                shown.Append(@"\n");
            else if (c == '\r')
                shown.Append(@"\r");
            else if (c == '\t')
                shown.Append(@"\t");
            else if (char.IsControl(c) || (char.IsSurrogate(c) && !pairedSurrogate) || c is '\u2028' or '\u2029')
                shown.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else
                shown.Append(c);
        }
        return shown.ToString();
    }
}

using System.Text;

namespace ConvCompare.Tests.Docs;

/// <summary>
/// Finds where a shell line shown in the docs runs the program, and the arguments it passes:
/// <c>dotnet run [options] --project src/ConvCompare [options] -- args</c>, or <c>convcompare args</c>.
/// </summary>
internal static class ProgramInvocation
{
    private const string ProjectPath = "src/ConvCompare";

    /// <summary>Tokens that end a command: what follows is another command, a redirection or a comment.</summary>
    private static readonly string[] Terminators = ["|", "||", "&&", ";", "&"];

    /// <summary>The program's arguments, or null when the line does not run the program.</summary>
    public static IReadOnlyList<string>? Arguments(string line)
    {
        var words = Words(line);
        for (int i = 0; i < words.Count; i++)
        {
            if (words[i] == "convcompare" && i + 1 < words.Count)
                return words.Skip(i + 1).ToList();
            if (words[i] == "dotnet" && i + 1 < words.Count && words[i + 1] == "run")
            {
                int separator = words.IndexOf("--", i + 2);
                int project = words.IndexOf("--project", i + 2);
                if (separator < 0 || project < 0 || project > separator || project + 1 >= words.Count)
                    return null;
                string path = words[project + 1].TrimEnd('/');
                if (path != ProjectPath && path != ProjectPath + "/ConvCompare.csproj")
                    return null;
                return words.Skip(separator + 1).ToList();
            }
        }
        return null;
    }

    /// <summary>
    /// True when the line runs the program by a bare <c>convcompare</c>, which no set-up step installs:
    /// such a line does not run as printed on a fresh clone.
    /// </summary>
    public static bool UsesABareProgramName(string line)
    {
        var words = Words(line);
        int bare = words.IndexOf("convcompare"), dotnet = words.IndexOf("dotnet");
        return bare >= 0 && bare + 1 < words.Count && (dotnet < 0 || bare < dotnet);
    }

    /// <summary>
    /// Splits a line into words as a POSIX shell would (quotes group, a backslash escapes), up to the
    /// first comment, pipe, list operator or output redirection. Placeholders such as &lt;id&gt; stay words.
    /// </summary>
    public static List<string> Words(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quote != '\0')
            {
                if (c == quote)
                    quote = '\0';
                else
                    word.Append(c);
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                if (inWord && End(words, word))
                    return words;
                inWord = false;
                continue;
            }
            if (!inWord && (c == '#' || c == '>' || (c == '2' && i + 1 < line.Length && line[i + 1] == '>')))
                return words;
            inWord = true;
            if (c is '\'' or '"')
                quote = c;
            else if (c == '\\' && i + 1 < line.Length)
                word.Append(line[++i]);
            else
                word.Append(c);
        }
        if (inWord)
            End(words, word);
        return words;
    }

    /// <summary>Adds the word; true when it ends the command (it is then not added).</summary>
    private static bool End(List<string> words, StringBuilder word)
    {
        string text = word.ToString();
        word.Clear();
        if (Terminators.Contains(text))
            return true;
        words.Add(text);
        return false;
    }
}

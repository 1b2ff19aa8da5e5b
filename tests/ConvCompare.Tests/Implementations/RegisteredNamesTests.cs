using System.Text.RegularExpressions;
using ConvCompare.Snapshots;

namespace ConvCompare.Tests.Implementations;

/// <summary>
/// The built-in implementations and the judges are named where they are registered, and nowhere else in
/// the harness or the command line: every other file takes a name from the registration (by role), so a
/// renamed or added algorithm touches one file.
/// </summary>
public partial class RegisteredNamesTests
{
    /// <summary>The files that may spell the names: the registration, and ConvRef's implementation, whose name is its algorithm's.</summary>
    private static readonly string[] Registration = ["BuiltInImplementations.cs", "ConvRefImplementation.cs"];

    /// <summary>
    /// The learning mode walks through ConvRef's serial code itself (the derivation written out), so its
    /// examples call that algorithm by design; they never choose what a run checks.
    /// </summary>
    private static readonly string ExplainExamples = Path.Combine("Explain", "Examples");

    [Fact]
    public void NoFileOutsideTheRegistration_SpellsABuiltInNameOrPicksAConvRefAlgorithm()
    {
        string root = Path.GetDirectoryName(SnapshotFolder.Locate(AppContext.BaseDirectory))!;
        var problems = new List<string>();
        foreach (string project in new[] { "ConvCompare.Harness", "ConvCompare" })
        {
            string folder = Path.Combine(root, "src", project);
            foreach (string file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                         .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                     && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                     && !Registration.Contains(Path.GetFileName(f))))
            {
                string relative = Path.GetRelativePath(folder, file);
                problems.AddRange(Spellings(File.ReadAllText(file), allowAlgorithms: relative.StartsWith(ExplainExamples, StringComparison.Ordinal))
                    .Select(p => $"{project}/{relative}: {p}"));
            }
        }

        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("if (impl == \"serial\")", "\"serial\"")]
    [InlineData("Find(\"vectorized\", BenchPass.Fwd)", "\"vectorized\"")]
    [InlineData("o.Impl == \"torch\"", "\"torch\"")]
    [InlineData("json.WriteStartObject(\"reference\");", "\"reference\"")]
    [InlineData("new ConvRefEngine(Conv2dAlgorithm.Vectorized)", "Conv2dAlgorithm.Vectorized")]
    public void APlantedSpelling_IsFound(string line, string found)
    {
        Assert.Equal([found], Spellings("class C { void M() { " + line + " } }", allowAlgorithms: false));
    }

    [Fact]
    public void ProseAndOtherWords_AreNotSpellings()
    {
        Assert.Empty(Spellings("/// <param name=\"torch\">the serial algorithm</param>\nstring s = \"serial / vectorized\"; string t = \"torch fwd\";", allowAlgorithms: false));
    }

    private static IEnumerable<string> Spellings(string source, bool allowAlgorithms) =>
        Literal().Matches(source).Select(m => m.Value)
            .Concat(allowAlgorithms ? [] : Algorithm().Matches(source).Select(m => m.Value));

    /// <summary>A string literal that is exactly a name; an XML doc's <c>name="torch"</c> names a parameter.</summary>
    [GeneratedRegex("(?<!name=)\"(serial|vectorized|torch|reference)\"")]
    private static partial Regex Literal();

    [GeneratedRegex(@"Conv2dAlgorithm\.(Serial|Vectorized)")]
    private static partial Regex Algorithm();
}

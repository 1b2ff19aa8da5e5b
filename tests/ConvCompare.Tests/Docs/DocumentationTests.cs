using ConvCompare.Snapshots;

namespace ConvCompare.Tests.Docs;

/// <summary>README.md and docs/*.md: commands that parse, timings with machine and date, references that resolve.</summary>
public class DocumentationTests
{
    private static readonly string Root = Path.GetDirectoryName(SnapshotFolder.Locate(AppContext.BaseDirectory))!;

    public static TheoryData<string> Pages() => new(PageNames());

    [Fact]
    public void DocsFolder_HoldsTheTopicPages()
    {
        Assert.True(PageNames().Count() > 5, "docs/ should hold the topic pages the README links to");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryCommandLineThatRunsTheProgram_ParsesWithItsOwnParser(string page)
    {
        NoProblems(DocumentationChecks.CommandLineProblems(Load(page)));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryTimingQuoted_IsLabelledWithTheMachineAndDateItWasMeasuredOn(string page)
    {
        NoProblems(DocumentationChecks.TimingProblems(Load(page)));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryLinkAndRepositoryPath_ResolvesInsideTheRepository(string page)
    {
        NoProblems(DocumentationChecks.ReferenceProblems(Load(page), Root, Load));
    }

    [Fact]
    public void TheCommandLineCheck_SeesEveryCommandOfTheProgramInTheDocs()
    {
        var shown = PageNames().SelectMany(p => DocumentationChecks.ProgramCommandLines(Load(p))).ToList();
        var commands = shown.Select(c => c.Arguments.FirstOrDefault()).ToHashSet();
        foreach (string command in new[] { "run", "check", "golden", "export", "explain", "train", "snapshots", "bench", "kit", "judge" })
            Assert.Contains(command, commands);
    }

    [Fact]
    public void TheReadme_ShowsBothQuickStartCommands()
    {
        string readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        Assert.Contains("dotnet run --project src/ConvCompare -- run", readme, StringComparison.Ordinal);
        Assert.Contains("\ndotnet test ", readme, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("```bash\ndotnet run --project src/ConvCompare -- run --casess 10\n```", "--casess")]
    [InlineData("```bash\ndotnet run -c Release --project src/ConvCompare -- bench --repeat many   # comment\n```", "many")]
    [InlineData("```bash\ndotnet run --project src/ConvCompare -- frobnicate | tee out.txt\n```", "frobnicate")]
    [InlineData("Run `dotnet run --project src/ConvCompare -- explain --example al`.", "explain")]
    [InlineData("Or `dotnet run --project src/ConvCompare -- snapshots approve`.", "approve")]
    [InlineData("```bash\nconvcompare golden exported/\n```", "no set-up step installs")]
    [InlineData("```\nCI=true dotnet run --project src/ConvCompare -- run \\\n  --dtype f16\n```", "f16")]
    public void PlantedBadCommandLine_IsReported(string markdown, string named)
    {
        var problem = Assert.Single(DocumentationChecks.CommandLineProblems(MarkdownPage.Parse("planted.md", markdown)));
        Assert.Contains(named, problem, StringComparison.Ordinal);
        Assert.StartsWith("planted.md:", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("```bash\ndotnet run --project src/ConvCompare -- check <id>   # placeholder\ndotnet build\n```")]
    [InlineData("`dotnet run --project src/OtherTool -- anything at all` and `dotnet test --filter X`")]
    [InlineData("```json\n{ \"tool\": \"convcompare golden --nonsense\" }\n```")]
    public void LinesThatDoNotRunTheProgramOrParse_AreNotReported(string markdown)
    {
        Assert.Empty(DocumentationChecks.CommandLineProblems(MarkdownPage.Parse("planted.md", markdown)));
    }

    [Theory]
    [InlineData("The training tests take about 20 s.")]
    [InlineData("A sweep takes 20 to 45 s here (measured on a quiet machine).")]
    [InlineData("It took 6.6 s (measured 2026-13-45 on AMD EPYC).")]
    [InlineData("Caption without a label:\n\n| shape | torch fwd+bwd ms |\n|---|---|\n| S1 | 0.203 |")]
    [InlineData("Labelled (measured 2026-11-28 on AMD EPYC).\n\nA later paragraph: 3 minutes.")]
    public void PlantedUnlabelledTiming_IsReported(string markdown)
    {
        Assert.NotEmpty(DocumentationChecks.TimingProblems(MarkdownPage.Parse("planted.md", markdown)));
    }

    [Theory]
    [InlineData("The sweep takes 23 s (measured 2026-11-28 on AMD EPYC (Zen 5), 2 vCPUs).")]
    [InlineData("One run (measured 2026-11-28 on Intel Xeon):\n\n| shape | torch fwd+bwd ms |\n|---|---|\n| S1 | 0.203 |")]
    [InlineData("Measured results (measured 2026-11-28 on AMD EPYC):\n\n- time: 13 s\n\n- training: 6.9 s")]
    [InlineData("Two cases, 2000 seeds, 16 samples, S4, 3 rounds, 2 products, 1e-6 relative, 150k multiply-adds.")]
    public void LabelledTimingsAndNonTimings_AreNotReported(string markdown)
    {
        Assert.Empty(DocumentationChecks.TimingProblems(MarkdownPage.Parse("planted.md", markdown)));
    }

    [Theory]
    [InlineData("See [the platform notes](../shared/PLATFORM.md).", "../shared/PLATFORM.md")]
    [InlineData("Eq 1 to Eq 9 of `reference/conv-backprop-derivation.txt`.", "reference/conv-backprop-derivation.txt")]
    [InlineData("The bound is in `src/ConvCompare.Harness/Comparison/NoSuchBound.cs`.", "NoSuchBound.cs")]
    [InlineData("See [tolerances](docs/tolerances.md#no-such-heading).", "no-such-heading")]
    [InlineData("![a picture](docs/missing.png)", "missing.png")]
    public void PlantedReferenceOutsideTheRepository_IsReported(string markdown, string named)
    {
        var problem = Assert.Single(DocumentationChecks.ReferenceProblems(MarkdownPage.Parse("README.md", markdown), Root, Load));
        Assert.Contains(named, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ReferencesThatResolve_AreNotReported()
    {
        const string markdown = "[tolerances](docs/tolerances.md#the-compensated-reference), ![x](docs/explain.png), " +
            "`src/ConvCompare.Harness/Comparison/RoundingBound.cs`, `tests/ConvCompare.Tests/TestData/golden/`, `dJ/dw`, `snapshots/scenarios/<name>.json`.";
        Assert.Empty(DocumentationChecks.ReferenceProblems(MarkdownPage.Parse("README.md", markdown), Root, Load));
    }

    /// <summary>Fails with every problem in full, one per line.</summary>
    private static void NoProblems(List<string> problems) =>
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));

    private static IEnumerable<string> PageNames() =>
        Directory.GetFiles(Path.Combine(Root, "docs"), "*.md")
            .Select(file => Path.GetRelativePath(Root, file))
            .Order(StringComparer.Ordinal)
            .Prepend("README.md");

    private static MarkdownPage Load(string page) =>
        MarkdownPage.Parse(page, File.ReadAllText(Path.Combine(Root, page)));
}

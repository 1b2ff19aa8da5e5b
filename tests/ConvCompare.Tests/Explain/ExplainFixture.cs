using ConvCompare.Cli;
using ConvCompare.Explain.Examples;
using ConvCompare.Oracles;
using ConvCompare.Explain.Model;
using ConvCompare.Explain.Rendering;

namespace ConvCompare.Tests.Explain;

/// <summary>The full walk-through for the default seed and its renderings, built once for all explain tests.</summary>
internal static class ExplainFixture
{
    private static readonly Lazy<Walkthrough> All = new(() => WalkthroughBuilder.Build(ExampleChoice.All, ExplainCommand.DefaultSeed, new TorchOracle()));

    public static Walkthrough Walkthrough => All.Value;

    public static IReadOnlyList<string> PlainLines => PlainLinesCache.Value;

    public static string Html => HtmlCache.Value;

    public static string Markdown => MarkdownCache.Value;

    private static readonly Lazy<IReadOnlyList<string>> PlainLinesCache = new(() => PlainTextRenderer.Lines(Walkthrough).ToArray());
    private static readonly Lazy<string> HtmlCache = new(() => HtmlRenderer.Render(Walkthrough));
    private static readonly Lazy<string> MarkdownCache = new(() => MarkdownRenderer.Render(Walkthrough));
}

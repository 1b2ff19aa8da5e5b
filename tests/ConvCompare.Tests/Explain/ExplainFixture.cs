using System.Collections.Concurrent;
using ConvCompare.Cli;
using ConvCompare.Explain.Examples;
using ConvCompare.Oracles;
using ConvCompare.Explain.Model;
using ConvCompare.Explain.Rendering;

namespace ConvCompare.Tests.Explain;

/// <summary>Every page for the default seed and its renderings, each built once for all explain tests.</summary>
internal static class ExplainFixture
{
    private static readonly ConcurrentDictionary<ExplainTopic, Lazy<Rendered>> Pages = new();

    /// <summary>The derivation walk-through (all parts).</summary>
    public static Walkthrough Walkthrough => Page("backprop");

    public static IReadOnlyList<string> PlainLines => PlainLinesOf("backprop");

    public static string Html => HtmlOf("backprop");

    public static string Markdown => MarkdownOf("backprop");

    /// <summary>The page of the --topic value <paramref name="topic"/> with TorchSharp autograd.</summary>
    public static Walkthrough Page(string topic) => Get(topic).Walkthrough;

    public static IReadOnlyList<string> PlainLinesOf(string topic) => Get(topic).PlainLines.Value;

    public static string HtmlOf(string topic) => Get(topic).Html.Value;

    public static string MarkdownOf(string topic) => Get(topic).Markdown.Value;

    private static Rendered Get(string topic) =>
        Pages.GetOrAdd(ExplainCommand.Topics[topic], t => new Lazy<Rendered>(() => new Rendered(
            WalkthroughBuilder.Build(t, ExampleChoice.All, ExplainCommand.DefaultSeed, new TorchOracle(), new TorchFamilyAutograd())))).Value;

    private sealed class Rendered(Walkthrough walkthrough)
    {
        public Walkthrough Walkthrough { get; } = walkthrough;
        public Lazy<IReadOnlyList<string>> PlainLines { get; } = new(() => PlainTextRenderer.Lines(walkthrough).ToArray());
        public Lazy<string> Html { get; } = new(() => HtmlRenderer.Render(walkthrough));
        public Lazy<string> Markdown { get; } = new(() => MarkdownRenderer.Render(walkthrough));
    }
}

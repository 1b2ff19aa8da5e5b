using System.CommandLine;
using ConvCompare.Implementations;
using ConvCompare.Cases;
using ConvCompare.Explain.Examples;
using ConvCompare.Explain.Model;
using ConvCompare.Explain.Rendering;
using ConvCompare.Oracles;
using ConvCompare.Reports;
using ConvCompare.Runner;
using Spectre.Console;

namespace ConvCompare.Cli;

/// <summary>
/// <c>convcompare explain</c>: the derivation's Eq 1 to Eq 9 replayed on small integer examples, or
/// (--topic) the transposed convolution, reflect padding or the second order on the same footing,
/// ConvRef next to TorchSharp autograd, in the terminal and optionally as HTML and Markdown.
/// </summary>
internal static class ExplainCommand
{
    /// <summary>The seed used without --seed: its upstream error mixes signs, which makes the sums easy to follow.</summary>
    internal const ulong DefaultSeed = 7;

    /// <summary>What one run of the command does.</summary>
    internal sealed record Settings(ExampleChoice Example, ulong Seed, string? HtmlPath, string? MarkdownPath, bool Plain)
    {
        /// <summary>Which page; the derivation walk-through (whose parts <see cref="Example"/> chooses) by default.</summary>
        public ExplainTopic Topic { get; init; } = ExplainTopic.Backprop;
    }

    /// <summary>The values of --topic and the pages they name.</summary>
    internal static IReadOnlyDictionary<string, ExplainTopic> Topics { get; } = new Dictionary<string, ExplainTopic>
    {
        ["backprop"] = ExplainTopic.Backprop,
        ["transposed"] = ExplainTopic.Transposed,
        ["reflect"] = ExplainTopic.Reflect,
        ["second-order"] = ExplainTopic.SecondOrder,
    };

    internal static Command Create()
    {
        var example = new Option<string>("--example")
        {
            Description = "Which part: single (Figure 1), multi (Figure 2), stride (stride 2) or all.",
            DefaultValueFactory = _ => "all",
        };
        example.AcceptOnlyFromAmong("single", "multi", "stride", "all");
        var topic = new Option<string>("--topic")
        {
            Description = "Which page: backprop (Eq 1 to Eq 9, the parts --example chooses), transposed (conv_transpose2d as conv2d's backward), reflect (a reflect-padded layer's border gradient) or second-order (the backward of the backward).",
            DefaultValueFactory = _ => "backprop",
        };
        topic.AcceptOnlyFromAmong([.. Topics.Keys]);
        var seed = SharedOptions.Seed("Seed of the random integer upstream errors (and of parts 2 and 3's inputs).", DefaultSeed);
        var html = new Option<string?>("--html") { HelpName = "FILE", Description = "Also write the walk-through as one self-contained HTML page with heatmaps to this file." };
        var markdown = new Option<string?>("--markdown") { HelpName = "FILE", Description = "Also write the walk-through as Markdown to this file." };
        var command = new Command("explain", "Walk through the back-propagation derivation (Eq 1 to Eq 9), or with --topic the transposed convolution, reflect padding or the second order, on small examples, ConvRef next to autograd.")
        {
            topic, example, seed, html, markdown,
        };
        command.SetAction(result =>
        {
            var chosen = Topics[result.GetValue(topic)!];
            if (chosen != ExplainTopic.Backprop && result.GetResult(example) is { Implicit: false })
                return ExitCodes.Bad($"--example chooses a part of --topic backprop; --topic {result.GetValue(topic)} has no parts, so leave --example out.");
            return Run(
                new Settings(Enum.Parse<ExampleChoice>(result.GetValue(example)!, ignoreCase: true), result.GetValue(seed),
                    result.GetValue(html), result.GetValue(markdown), ConsoleReport.Plain) { Topic = chosen },
                Console.Out, Console.Error, ImplementationRegistry.CreateOracle());
        });
        return command;
    }

    /// <summary>
    /// Builds, renders and writes the walk-through. Exit code 0 when every comparison is within its
    /// bound, 1 when one is not, 2 when an output file cannot be written (checked before the work),
    /// 3 when libtorch is unavailable, 5 when writing fails after the walk-through was printed.
    /// The pages other than backprop ask <paramref name="familyAutograd"/>, TorchSharp's when null.
    /// </summary>
    internal static int Run(Settings settings, TextWriter output, TextWriter error, ILayerEngine autograd, IFamilyAutograd? familyAutograd = null)
    {
        if (TorchRuntime.Problem is { } problem)
        {
            error.WriteLine("convcompare: " + problem);
            return ExitCodes.TorchUnavailable;
        }
        if ((ReportPaths.Clash([("--html", settings.HtmlPath), ("--markdown", settings.MarkdownPath)])
             ?? ReportPaths.Problem(settings.HtmlPath, "--html") ?? ReportPaths.Problem(settings.MarkdownPath, "--markdown")) is { } pathProblem)
        {
            error.WriteLine("convcompare: " + pathProblem);
            return ExitCodes.BadArguments;
        }
        var walkthrough = WalkthroughBuilder.Build(settings.Topic, settings.Example, settings.Seed, autograd,
            familyAutograd ?? new TorchFamilyAutograd());
        if (settings.Plain)
            PlainTextRenderer.Write(walkthrough, output);
        else
            TerminalRenderer.Write(walkthrough, AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) }));
        string? writeProblem = Write("--html", settings.HtmlPath, () => HtmlRenderer.Render(walkthrough))
                               ?? Write("--markdown", settings.MarkdownPath, () => MarkdownRenderer.Render(walkthrough));
        return ReportPaths.Finish(walkthrough.Passed ? ExitCodes.Passed : ExitCodes.Failed, writeProblem, error);
    }

    private static string? Write(string option, string? path, Func<string> render) =>
        path is null ? null : ReportPaths.WriteOrSay($"{option} {path}", path, temporary => File.WriteAllText(temporary, render()));
}

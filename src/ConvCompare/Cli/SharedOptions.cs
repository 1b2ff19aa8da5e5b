using System.CommandLine;
using ConvCompare.Implementations;
using ConvCompare.Limits;
using ConvCompare.Runner;

namespace ConvCompare.Cli;

/// <summary>Options the commands share, defined once.</summary>
internal static class SharedOptions
{
    /// <summary>The implementations every command chooses from.</summary>
    public static ImplementationRegistry Registry { get; } = ImplementationRegistry.CreateDefault();

    /// <summary><c>--impl NAMES</c>: registered implementation names, comma-separated, or <c>all</c>; an unknown name is a parse error listing the registered ones.</summary>
    public static Option<string> Implementation()
    {
        var option = new Option<string>("--impl")
        {
            HelpName = "NAMES",
            Description = $"Implementations to check, comma-separated: {Registry.Describe()}.",
            DefaultValueFactory = _ => ImplementationRegistry.All,
        };
        option.Validators.Add(result =>
        {
            if (!Registry.TrySelect(result.GetValueOrDefault<string>() ?? "", out _, out string? problem))
                result.AddError(problem!);
        });
        return option;
    }

    /// <summary>
    /// <c>--impl NAMES</c> for commands that run the oracle as one more subject (bench times it): the
    /// registered names and the oracle's, comma-separated, or <c>all</c>; validated like <see cref="Implementation"/>.
    /// </summary>
    public static Option<string> ImplementationOrOracle()
    {
        var option = new Option<string>("--impl")
        {
            HelpName = "NAMES",
            Description = $"Implementations to time, comma-separated: {Registry.Describe(withOracle: true)}.",
            DefaultValueFactory = _ => ImplementationRegistry.All,
        };
        option.Validators.Add(result =>
        {
            if (!Registry.TrySelectNames(result.GetValueOrDefault<string>() ?? "", withOracle: true, out _, out string? problem))
                result.AddError(problem!);
        });
        return option;
    }

    /// <summary>The names an accepted <see cref="ImplementationOrOracle"/> value selects, in registration order, the oracle's last.</summary>
    public static IReadOnlyList<string> SelectedNames(string implementation) =>
        Registry.TrySelectNames(implementation, withOracle: true, out var selected, out string? problem) ? selected : throw new ArgumentException(problem, nameof(implementation));

    /// <summary><c>--seed S</c>: the seed of the case generator (or, with <paramref name="description"/>, of what else a command draws), <see cref="DefaultSeed"/> unless given.</summary>
    /// <param name="description">What the seed seeds, when it is not the case generator.</param>
    /// <param name="defaultSeed">The seed without the option.</param>
    public static Option<ulong> Seed(string? description = null, ulong defaultSeed = DefaultSeed) => new("--seed")
    {
        HelpName = "S",
        Description = description ?? "Seed of the cases (same seed, same cases and values on any machine).",
        DefaultValueFactory = _ => defaultSeed,
    };

    /// <summary>The seed without <c>--seed</c>, the one the library's <see cref="Conformance"/> uses too.</summary>
    public const ulong DefaultSeed = Conformance.DefaultSeed;

    /// <summary>The implementations an accepted <c>--impl</c> value names.</summary>
    public static IReadOnlyList<IConv2dImplementation> Selected(string implementation) =>
        Registry.TrySelect(implementation, out var selected, out string? problem) ? selected : throw new ArgumentException(problem, nameof(implementation));

    /// <summary><c>--dtype f32|f64|both</c>, both by default: the dtype of generated cases (drawn per case), or what another command says in <paramref name="description"/>.</summary>
    /// <param name="description">The option's help text.</param>
    public static Option<string> Dtype(string description = "Dtype of the cases: f32, f64 or both (drawn per case).")
    {
        var option = new Option<string>("--dtype") { Description = description, DefaultValueFactory = _ => "both" };
        option.AcceptOnlyFromAmong("f32", "f64", "both");
        return option;
    }

    /// <summary><c>--junit FILE</c>.</summary>
    public static Option<FileInfo?> JUnit() => new("--junit") { HelpName = "FILE", Description = "Write a JUnit XML report to this file." };

    /// <summary><c>--json FILE</c>.</summary>
    public static Option<FileInfo?> Json() => new("--json") { HelpName = "FILE", Description = "Write a JSON report to this file." };

    /// <summary><c>--strict-oracle</c>.</summary>
    public static Option<bool> StrictOracle() => new("--strict-oracle") { Description = "Count TorchSharp faults (the oracle out of bound) as failures." };

    /// <summary>What <c>run</c> and <c>check</c> compute on a case for an accepted <c>--impl</c> value: the implementations, TorchSharp and the gradient check.</summary>
    public static CostPlan Plan(string implementation) =>
        CostPlans.For(Selected(implementation), oracleRuns: 1, gradientCheck: true, "--impl " + implementation);

    /// <summary><c>--threads N</c>: most threads of the vectorized algorithm, by default every processor.</summary>
    public static Option<int> Threads() => new("--threads")
    {
        HelpName = "N",
        Description = "Most threads ConvRef's vectorized algorithm uses (default: every processor; more than the machine has run as many as it has). On realistic cases it also runs on 1 thread and must give the same bits.",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    /// <summary>The problem with a <c>--threads</c> value in one sentence, or null when it is accepted.</summary>
    public static string? ThreadsProblem(int threads) =>
        threads >= 1 ? null : $"--threads {threads} must be at least 1 (the most threads the vectorized algorithm may use)";

    /// <summary>The runner for an accepted <c>--impl</c> and <c>--threads</c> value.</summary>
    public static CaseRunner Runner(string implementation, int? threads = null) => CaseRunner.Create(Selected(implementation), threads);
}

using System.CommandLine;
using ConvCompare.Limits;
using ConvCompare.Runner;

namespace ConvCompare.Cli;

/// <summary>Options that <c>run</c> and <c>check</c> share, defined once.</summary>
internal static class SharedOptions
{
    /// <summary><c>--impl serial|vectorized|both</c>.</summary>
    public static Option<string> Implementation()
    {
        var option = new Option<string>("--impl") { Description = "ConvRef implementation(s) to check.", DefaultValueFactory = _ => "both" };
        option.AcceptOnlyFromAmong("serial", "vectorized", "both");
        return option;
    }

    /// <summary><c>--json FILE</c>.</summary>
    public static Option<FileInfo?> Json() => new("--json") { HelpName = "FILE", Description = "Write a JSON report to this file." };

    /// <summary><c>--strict-oracle</c>.</summary>
    public static Option<bool> StrictOracle() => new("--strict-oracle") { Description = "Count TorchSharp faults (the oracle out of bound) as failures." };

    /// <summary>What <c>run</c> and <c>check</c> compute on a case for an accepted <c>--impl</c> value: the implementations, TorchSharp and the gradient check.</summary>
    public static CostPlan Plan(string implementation) =>
        new(implementation != "vectorized", implementation != "serial", OracleRuns: 1, GradientCheck: true, "--impl " + implementation);

    /// <summary>The runner for an accepted <c>--impl</c> value.</summary>
    public static CaseRunner Runner(string implementation) => CaseRunner.Create(implementation switch
    {
        "serial" => ImplementationChoice.Serial,
        "vectorized" => ImplementationChoice.Vectorized,
        _ => ImplementationChoice.Both,
    });
}

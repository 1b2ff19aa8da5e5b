using ConvCompare.Cases;
using ConvCompare.Runner;

namespace ConvCompare.Reports;

/// <summary>What a report describes: the arguments of the run and its outcome.</summary>
/// <param name="Command">run or check.</param>
/// <param name="Seed">The sweep seed (null for check).</param>
/// <param name="RequestedCases">Cases in the whole sweep (1 for check).</param>
/// <param name="Shard">The slice that ran.</param>
/// <param name="Tier">The tier of the sweep's cases (null for check, whose one case is named by its id).</param>
/// <param name="Dtype">f32, f64 or both.</param>
/// <param name="Implementations">serial, vectorized or both.</param>
/// <param name="Summary">The totals (and the results).</param>
/// <param name="Seconds">Wall time.</param>
internal sealed record RunReport(string Command, ulong? Seed, int RequestedCases, Shard Shard, string? Tier, string Dtype, string Implementations,
    RunSummary Summary, double Seconds)
{
    /// <summary>Error-input cases in the whole sweep (before sharding), after its <see cref="RequestedCases"/>; 0 when it has none.</summary>
    public int RequestedErrorCases { get; init; }

    /// <summary>The results of the error-input cases that ran (<see cref="ErrorInputSweep"/>), one per case and implementation, the oracle's last.</summary>
    public IReadOnlyList<ErrorResult> ErrorInputs { get; init; } = [];

    /// <summary>The process exit code: 0 when nothing failed, neither a case nor an error input, 1 otherwise.</summary>
    public int ExitCode => Summary.ExitCode == 0 && !ErrorInputs.Any(r => ErrorInputSweep.Fails(r, Summary.StrictOracle)) ? 0 : 1;

    /// <summary>The one-line command that reruns a case.</summary>
    public static string Repro(string id) => "dotnet run --project src/ConvCompare -- check " + id;

    /// <summary>The dtype of a case as reports write it.</summary>
    public static string DtypeName(CaseDtype dtype) => dtype == CaseDtype.F32 ? "f32" : "f64";
}

using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Runner;

namespace ConvCompare.Kit;

/// <summary>The verdict on one case of a kit: the output file's problem, or one verdict per output tensor against the reference.</summary>
/// <param name="Config">The case.</param>
/// <param name="Output">The output file the contract names for it.</param>
/// <param name="Problem">One sentence naming the file and the rule it breaks (missing, misnamed, mis-shaped, wrongly typed, corrupt, or a case beyond a limit), or null when it was judged.</param>
/// <param name="Tensors">Per output tensor, against the compensated reference under the output's dtype bound plus the reference's; empty when <paramref name="Problem"/> is set.</param>
/// <param name="Torch">With <c>--torch</c>, TorchSharp on the same inputs against the same reference: a note, never a verdict.</param>
internal sealed record KitCaseVerdict(CaseConfig Config, string Output, string? Problem, IReadOnlyList<TensorVerdict> Tensors, TorchNote? Torch)
{
    /// <summary>The case id.</summary>
    public string Id => CaseId.Format(Config);

    /// <summary>The output was judged and every tensor is within its bound of the reference.</summary>
    public bool Pass => Problem is null && Tensors.All(t => t.Pass);

    /// <summary>The output was judged and a tensor is out of its bound: a verified failure of the implementation.</summary>
    public bool Failed => Problem is null && !Pass;

    /// <summary>The names (as the output file has them) of the tensors out of bound.</summary>
    public IEnumerable<string> FailedTensors => Tensors.Where(t => !t.Pass).Select(t => KitFormat.OutputName(Config, t.Kind));

    /// <summary>With <c>--shrink-with</c>, the smallest case found on which the implementation still fails a tensor this case fails; else null.</summary>
    public string? ShrunkId { get; init; }

    /// <summary>A case with an unusable output (or input) file.</summary>
    public static KitCaseVerdict Unusable(CaseConfig config, string output, string problem) => new(config, output, problem, [], null);
}

/// <summary>TorchSharp's outputs for a case against the reference, or the exception it threw.</summary>
/// <param name="VersusReference">One comparison per output tensor; empty when it threw.</param>
/// <param name="Error">The exception's type and first line, or null.</param>
internal sealed record TorchNote(IReadOnlyList<TensorComparison> VersusReference, string? Error)
{
    /// <summary>TorchSharp threw or is out of its bound of the reference: an oracle fault, noted and never held against the implementation.</summary>
    public bool Fault => Error is not null || VersusReference.Any(c => !c.Pass);
}

/// <summary>Everything <c>judge</c> found in a kit.</summary>
/// <param name="Kit">The kit's folder as given.</param>
/// <param name="Outputs">The folder the outputs were read from.</param>
/// <param name="Cases">One verdict per case of the manifest, in its order.</param>
/// <param name="Strays">Every entry of the outputs folder that is no case's output file (misnamed).</param>
/// <param name="Torch">Whether TorchSharp was asked for.</param>
/// <param name="Seconds">Wall time.</param>
internal sealed record KitJudgement(string Kit, string Outputs, IReadOnlyList<KitCaseVerdict> Cases, IReadOnlyList<StrayFile> Strays, bool Torch, double Seconds)
{
    /// <summary>Cases whose output is within bound.</summary>
    public int Passed => Cases.Count(c => c.Pass);

    /// <summary>Cases whose output is out of bound.</summary>
    public int Failed => Cases.Count(c => c.Failed);

    /// <summary>Cases whose output file (or input file) cannot be judged.</summary>
    public int Unusable => Cases.Count(c => c.Problem is not null);

    /// <summary>Cases where TorchSharp, asked for, threw or is out of bound.</summary>
    public int OracleFaults => Cases.Count(c => c.Torch is { Fault: true });

    /// <summary>
    /// 1 when an output is out of its bound (a verified failure outranks a bad file, as in <c>golden</c>);
    /// else 2 when an output file is missing, misnamed, mis-shaped, wrongly typed or corrupt; else 0.
    /// </summary>
    public int ExitCode => Failed > 0 ? Cli.ExitCodes.Failed
        : Unusable > 0 || Strays.Count > 0 ? Cli.ExitCodes.BadArguments
        : Cli.ExitCodes.Passed;
}

/// <summary>An entry of the outputs folder that no case of the kit asks for.</summary>
/// <param name="File">Its path.</param>
/// <param name="Sentence">One sentence naming it and the rule it breaks.</param>
internal sealed record StrayFile(string File, string Sentence);

using ConvCompare.Cases;

namespace ConvCompare.Runner;

/// <summary>What one implementation did with one pass of an error-input case.</summary>
internal enum ErrorOutcome
{
    /// <summary>It refused with an argument error naming the parameter (for the oracle: it refused).</summary>
    Refused,
    /// <summary>It refused with an argument error that names another parameter, or none.</summary>
    WrongParameter,
    /// <summary>It threw something other than an argument error: a crash, not a refusal.</summary>
    Crashed,
    /// <summary>It returned as if the configuration were valid: silent acceptance.</summary>
    Accepted,
}

/// <summary>One pass of an error-input case on one implementation.</summary>
/// <param name="Pass"><see cref="ErrorPasses.Forward"/>, <see cref="ErrorPasses.Backward"/> or <see cref="ErrorPasses.DoubleBackward"/>.</param>
/// <param name="Outcome">What it did.</param>
/// <param name="Parameter">The parameter its argument error named, or null.</param>
/// <param name="Message">The exception's type and first line, or empty when it accepted.</param>
internal sealed record ErrorAttempt(ErrorPasses Pass, ErrorOutcome Outcome, string? Parameter, string Message);

/// <summary>
/// One implementation's verdict on one error-input case: it passes when every pass refused as it must.
/// <see cref="Disagreement"/> says, when the implementations and TorchSharp disagree, which side PyTorch's
/// rule proves wrong.
/// </summary>
/// <param name="Case">The case.</param>
/// <param name="Implementation">serial, vectorized or torch.</param>
/// <param name="IsOracle">Whether this is TorchSharp, whose failure is an oracle fault.</param>
/// <param name="Attempts">One per pass attempted.</param>
/// <param name="Seconds">Wall time.</param>
internal sealed record ErrorResult(ErrorCase Case, string Implementation, bool IsOracle, IReadOnlyList<ErrorAttempt> Attempts, double Seconds)
{
    /// <summary>The case id.</summary>
    public string Id => Case.Id;

    /// <summary>Every pass refused, naming the parameter (the oracle: refused).</summary>
    public bool Pass => Attempts.All(a => a.Outcome == ErrorOutcome.Refused);

    /// <summary>The worst outcome among the passes: the one that decides the verdict.</summary>
    public ErrorOutcome Outcome => Attempts.Select(a => a.Outcome).DefaultIfEmpty(ErrorOutcome.Refused).Max();

    /// <summary>
    /// When this implementation and another one of the case (TorchSharp for ConvRef, ConvRef for TorchSharp)
    /// did not both refuse: one sentence naming the side that accepted and the PyTorch rule that refutes it; else null.
    /// </summary>
    public string? Disagreement { get; init; }

    /// <summary>One sentence: what it did, and why that fails when it does.</summary>
    public string Verdict
    {
        get
        {
            var worst = Attempts.MaxBy(a => a.Outcome)!;
            string pass = Reports.ErrorInputReport.Token(worst.Pass).Replace('_', ' ');
            string said = worst.Outcome switch
            {
                ErrorOutcome.Refused => $"refused ({worst.Message})",
                ErrorOutcome.WrongParameter => $"refused the {pass} pass naming {(worst.Parameter is null ? "no parameter" : "'" + worst.Parameter + "'")} instead of '{Case.Parameter}' ({worst.Message})",
                ErrorOutcome.Crashed => $"crashed in the {pass} pass instead of refusing with an argument error ({worst.Message})",
                _ => $"accepted the invalid {pass} pass silently",
            };
            return $"{Implementation} {said}" + (Disagreement is not null ? "; " + Disagreement
                : worst.Outcome == ErrorOutcome.Refused ? "" : $"; PyTorch's rule: {Case.Rule.Statement}");
        }
    }
}

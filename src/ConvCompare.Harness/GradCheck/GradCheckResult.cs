namespace ConvCompare.GradCheck;

/// <summary>How the numeric gradient check probes the gradient.</summary>
internal enum GradCheckMode
{
    /// <summary>Every element of every variable separately (small cases).</summary>
    Full,
    /// <summary>A few random Rademacher projections u'grad per variable (any size).</summary>
    Fast,
}

/// <summary>
/// The outcome of comparing one set of analytic gradients with central differences of the harness's definition-level forward pass.
/// </summary>
/// <param name="Against">Whose analytic gradients: the ConvRef implementation's name, or torch.</param>
/// <param name="Mode">Full or fast.</param>
/// <param name="Checks">How many element or direction checks ran.</param>
/// <param name="MaxError">|numeric - analytic| of the check closest to (or furthest beyond) its tolerance.</param>
/// <param name="Tolerance">That check's tolerance (rounding of evaluating J and the gradients, step, truncation estimate).</param>
/// <param name="Worst">That check: <c>w[0,1,2,0]</c> in full mode, <c>w direction 1</c> in fast mode.</param>
/// <param name="Pass">Every check within its tolerance.</param>
internal sealed record GradCheckResult(string Against, GradCheckMode Mode, int Checks, double MaxError, double Tolerance, string Worst, bool Pass)
{
    /// <summary>The report name of the mode: full or fast.</summary>
    public string ModeName => Mode == GradCheckMode.Full ? "full" : "fast";
}

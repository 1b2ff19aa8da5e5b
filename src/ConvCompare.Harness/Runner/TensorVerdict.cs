using ConvCompare.Cases;
using ConvCompare.Comparison;

namespace ConvCompare.Runner;

/// <summary>
/// One implementation's verdict on one tensor of a case (ConvRef's serial or vectorized algorithm, or
/// the oracle): what it was compared with, and whether it is within its rounding bound of that.
/// </summary>
/// <param name="Kind">Which tensor.</param>
/// <param name="Agreement">
/// Against the other side under the two-implementation bound 2 gamma_K: a ConvRef implementation
/// against the oracle; the oracle against the ConvRef implementation furthest from it. Null when the
/// other side has no result (it threw).
/// </param>
/// <param name="VersusReference">
/// Against the compensated reference under this implementation's own bound plus the reference's, when
/// the reference judged this implementation (see <see cref="CaseRunner"/>); null otherwise.
/// </param>
/// <param name="Evidence">When the tensor fails (only the reference's verdict can): up to five out-of-bound elements with this implementation's value and the reference's.</param>
internal sealed record TensorVerdict(TensorKind Kind, TensorComparison? Agreement, TensorComparison? VersusReference, IReadOnlyList<string> Evidence)
{
    /// <summary>The comparison the verdict rests on: against the reference when it judged, else the agreement.</summary>
    public TensorComparison Judged => VersusReference ?? Agreement
        ?? throw new InvalidOperationException($"{Kind.Name()}: a verdict needs a comparison");

    /// <summary>Whether the reference judged this implementation.</summary>
    public bool Arbitrated => VersusReference is not null;

    /// <summary>
    /// A threaded engine's tensor on a case the size of a real layer, computed again with one thread
    /// (<see cref="CaseRunner"/>); null when not checked.
    /// </summary>
    public ThreadCheck? Threads { get; init; }

    /// <summary>Within bound of what it was judged against, and the same on one thread when that was checked.</summary>
    public bool Pass => Judged.Pass && Threads is not { Pass: false };
}

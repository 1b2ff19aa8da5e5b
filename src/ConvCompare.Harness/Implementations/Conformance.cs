using System.Globalization;
using ConvCompare.Cases;
using ConvCompare.Runner;

namespace ConvCompare.Implementations;

/// <summary>
/// Checks an implementation from a test project: the seeded generator's cases as theory data, and one
/// assertion per case that runs the implementation against the oracle under rounding-error bounds,
/// with the independent reference arbitrating, and the numeric gradient check. No test framework is
/// assumed: the data are plain case ids and a failure is a <see cref="ConformanceException"/>.
/// </summary>
/// <example>
/// <code>
/// public static TheoryData&lt;string&gt; Cases =&gt; [.. Conformance.CaseIds(new MyConv2d())];
///
/// [Theory, MemberData(nameof(Cases))]
/// public void MyConv2d_IsWithinRoundingErrorOfTheJudge(string id) =&gt; Conformance.Assert(new MyConv2d(), id);
/// </code>
/// </example>
public static class Conformance
{
    /// <summary>Cases per implementation when none is asked for: a few seconds of work for a plain implementation.</summary>
    public const int DefaultCount = 48;

    /// <summary>The default seed, the one <c>convcompare run</c> uses.</summary>
    public const ulong DefaultSeed = 1;

    /// <summary>
    /// The ids of <paramref name="count"/> cases for <paramref name="implementation"/>: the seeded
    /// sweep's edge cases with their share of special values (subnormal, near-overflow, exact
    /// cancellation, NaN and infinities), each brought within the implementation's dtypes and features
    /// (a feature it lacks is turned off, the shapes and values stay); the same ids on every machine.
    /// </summary>
    /// <param name="implementation">The implementation the cases are for.</param>
    /// <param name="count">How many cases, at least 1.</param>
    /// <param name="seed">The sweep's seed.</param>
    /// <returns>Distinct case ids in sweep order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The first sweep cases give fewer than <paramref name="count"/> distinct cases the implementation takes.</exception>
    public static IReadOnlyList<string> CaseIds(IConv2dImplementation implementation, int count = DefaultCount, ulong seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(implementation);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var engine = new ImplementationEngine(implementation);
        var generator = new CaseGenerator(seed);
        // The generator's realistic layers come every CaseGenerator.RealisticEvery cases; stopping
        // before the first keeps a plain implementation's suite fast.
        int limit = CaseGenerator.RealisticEvery - 1;
        var ids = Enumerable.Range(0, limit)
            .Select(i => CaseProjection.Within(generator.Generate(i), implementation.Features, implementation.Dtypes, CaseGeneratorOptions.Default.MaxMultiplyAdds))
            .OfType<CaseConfig>().Where(engine.Supports).Select(CaseId.Format).Distinct().Take(count).ToList();
        return ids.Count == count ? ids
            : throw new ArgumentException($"implementation '{implementation.Name}' takes only {ids.Count} distinct cases of the first {limit} of seed {seed}, fewer than the {count} asked for", nameof(count));
    }

    /// <summary>
    /// The ids of up to <paramref name="count"/> cases of the convolution family and of the second order for
    /// <paramref name="implementation"/>: the seeded sweep's family cases (every operation and padding mode
    /// in turn) and second-order cases, in turn, each one the implementation takes by its declarations
    /// (<see cref="IConvolutionFamilyImplementation"/>, <see cref="ISecondOrderImplementation"/>), its dtypes
    /// and features; the same ids on every machine. Empty for an implementation that declares neither.
    /// </summary>
    /// <param name="implementation">The implementation the cases are for.</param>
    /// <param name="count">Most cases, at least 1.</param>
    /// <param name="seed">The sweep's seed.</param>
    /// <returns>Distinct case ids, family and second-order cases alternating while both last.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    public static IReadOnlyList<string> DeclaredCaseIds(IConv2dImplementation implementation, int count = DefaultCount, ulong seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(implementation);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var engine = new ImplementationEngine(implementation);
        var generator = new CaseGenerator(seed);
        // Enough draws that every operation and padding mode comes round several times.
        int draws = DeclaredDraws * count;
        var family = implementation is IConvolutionFamilyImplementation ? Enumerable.Range(0, draws).Select(generator.GenerateFamily) : [];
        var secondOrder = implementation is ISecondOrderImplementation ? Enumerable.Range(0, draws).Select(generator.GenerateSecondOrder) : [];
        return [.. Alternate(family.Where(engine.Supports), secondOrder.Where(engine.Supports)).Select(CaseId.Format).Distinct().Take(count)];
    }

    /// <summary>Draws per case asked for of <see cref="DeclaredCaseIds"/>: six operations times four padding modes, and a few more.</summary>
    private const int DeclaredDraws = 32;

    private static IEnumerable<CaseConfig> Alternate(IEnumerable<CaseConfig> first, IEnumerable<CaseConfig> second)
    {
        using var a = first.GetEnumerator();
        using var b = second.GetEnumerator();
        bool moreA = true, moreB = true;
        while (moreA || moreB)
        {
            if (moreA && (moreA = a.MoveNext()))
                yield return a.Current;
            if (moreB && (moreB = b.MoveNext()))
                yield return b.Current;
        }
    }

    /// <summary>One row per registered implementation and case, (name, case id), for a theory over a whole registry.</summary>
    /// <param name="registry">The implementations.</param>
    /// <param name="count">Cases per implementation.</param>
    /// <param name="seed">The sweep's seed.</param>
    /// <returns>Rows in registration order, then sweep order.</returns>
    public static IEnumerable<(string Implementation, string CaseId)> Cases(ImplementationRegistry registry, int count = DefaultCount, ulong seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Implementations.SelectMany(i => CaseIds(i, count, seed).Select(id => (i.Name, id)));
    }

    /// <summary>Runs the registered implementation named <paramref name="implementation"/> on a case; see <see cref="Assert(IConv2dImplementation, string)"/>.</summary>
    /// <param name="registry">The registry holding it.</param>
    /// <param name="implementation">Its name.</param>
    /// <param name="caseId">The case.</param>
    /// <exception cref="ArgumentException">No implementation of that name is registered, or the id is not a case id.</exception>
    /// <exception cref="ConformanceException">The implementation fails the case.</exception>
    public static void Assert(ImplementationRegistry registry, string implementation, string caseId)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Assert(registry.TrySelect(implementation, out var selected, out string? problem) && selected.Count == 1
            ? selected[0] : throw new ArgumentException(problem ?? $"'{implementation}' names {selected.Count} implementations", nameof(implementation)), caseId);
    }

    /// <summary>
    /// Runs <paramref name="implementation"/> on the case <paramref name="caseId"/> and returns when it
    /// passes: every tensor within its rounding bound of the oracle, or of the reference where they
    /// disagree, and its gradients within tolerance of central differences of the harness's own forward pass.
    /// </summary>
    /// <param name="implementation">The implementation under test.</param>
    /// <param name="caseId">A case id from <see cref="CaseIds"/> or from a report.</param>
    /// <exception cref="ArgumentException">The id is not a case id, or the implementation does not take the case.</exception>
    /// <exception cref="ConformanceException">The implementation fails the case; the message names the case, its shrunk id, the tensor, the worst element and the bound ratio.</exception>
    /// <exception cref="Oracles.TorchUnavailableException">libtorch, the oracle, cannot be loaded.</exception>
    public static void Assert(IConv2dImplementation implementation, string caseId)
    {
        ArgumentNullException.ThrowIfNull(implementation);
        if (!CaseId.TryParse(caseId, out var config, out string error))
            throw new ArgumentException(error, nameof(caseId));
        var engine = new ImplementationEngine(implementation);
        if (!engine.Supports(config))
            throw new ArgumentException($"implementation '{implementation.Name}' does not take case {caseId} (its dtypes or features)", nameof(caseId));
        var runner = new CaseRunner([engine], ImplementationRegistry.CreateOracle());
        var result = Own(runner, config);
        if (result.Pass)
            return;
        var shrunk = Shrinker.Shrink(config, c => engine.Supports(c) && !Own(runner, c).Pass);
        throw Failure(implementation.Name, result, CaseId.Format(shrunk));
    }

    private static CaseResult Own(CaseRunner runner, CaseConfig config) => runner.Run(config).First(r => !r.IsOracle);

    private static ConformanceException Failure(string name, CaseResult result, string shrunkId)
    {
        string where = $"conv2d '{name}' fails case {result.Id} (shrunk: {shrunkId})";
        if (result.Error is { } thrown)
            return new ConformanceException($"{where}: it threw {thrown}") { CaseId = result.Id, ShrunkId = shrunkId };
        var worst = result.Tensors.Where(t => !t.Pass).MaxBy(t => t.Judged.BoundRatio);
        if (worst is not null)
        {
            string tensor = worst.Kind.Name(), element = worst.Evidence.Count > 0 ? worst.Evidence[0] : "";
            string detail = worst.Threads is { Pass: false } threads && worst.Judged.Pass
                ? threads.Message(name)
                : string.Create(CultureInfo.InvariantCulture,
                    $"{worst.Judged.OutOfBoundCount} element(s) beyond the rounding bound of the {(worst.Arbitrated ? BuiltInImplementations.ArbiterName : "oracle")}, bound ratio {worst.Judged.BoundRatio:G4}{(element.Length > 0 ? "; worst " + element : "")}");
            return new ConformanceException($"{where}: {tensor}: {detail}")
                { CaseId = result.Id, ShrunkId = shrunkId, Tensor = tensor, Element = element, BoundRatio = worst.Judged.BoundRatio };
        }
        var g = result.GradCheck!;
        return new ConformanceException(string.Create(CultureInfo.InvariantCulture,
                $"{where}: its gradients fail the numeric check ({g.ModeName}): worst {g.Worst}, error {g.MaxError:G4}, tolerance {g.Tolerance:G4}"))
            { CaseId = result.Id, ShrunkId = shrunkId, Tensor = "gradcheck", Element = g.Worst, BoundRatio = g.MaxError / g.Tolerance };
    }
}

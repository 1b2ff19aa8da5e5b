using System.Diagnostics;
using System.Globalization;
using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.GradCheck;
using ConvCompare.Implementations;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using ConvRef;

namespace ConvCompare.Runner;

/// <summary>
/// Runs one case: each ConvRef implementation and the oracle on the same inputs, every tensor of every
/// implementation judged under <see cref="RoundingBound"/>, the compensated reference arbitrating, and
/// the numeric gradient check. One result per implementation and one for the oracle; reusable by any
/// command that needs a verdict on a case.
/// </summary>
/// <remarks>
/// <para>Each implementation gets its own verdict per tensor. An exception is a failure of the
/// implementation that threw, with its message, and of no other: every engine computes alone.</para>
/// <para>Per tensor: when the oracle ran and every ConvRef implementation that ran is within 2 gamma_K
/// of it (the two-implementation bound), all of them pass. Otherwise <see cref="CompensatedReference"/>
/// recomputes the tensor and the oracle is judged against it with its own bound plus the reference's.
/// If the oracle is in bound, an implementation that agreed with it passes and one that did not is
/// judged against the reference. If the oracle is out of bound or threw, every implementation is judged
/// against the reference instead. An oracle failure is an oracle fault: reported as the oracle's, and
/// never held against ConvRef.</para>
/// <para>A case of order 2 adds the double backward's gradients (<see cref="TensorKinds.SecondOrder"/>, and
/// dL/dz^(l-1) with an activation below: <see cref="TensorKinds.Judged"/>) to the
/// tensors judged this way, <see cref="Oracles.DoubleBackwardReference"/> arbitrating, and the numeric
/// second-order check (<see cref="SecondOrderCheck"/>) to the first-order one.</para>
/// <para>On a case the size of a real layer (<see cref="EdgeClass.RealLayerSize"/>, the realistic tier),
/// an engine that computes on several threads (<see cref="IThreadedEngine"/>) computes again with one,
/// and each of its tensors must be the same bit for bit (<see cref="ThreadCheck"/>): small cases run
/// inline on one thread anyway, and the realistic ones are few, so the check stays cheap.</para>
/// </remarks>
internal sealed class CaseRunner(IReadOnlyList<ILayerEngine> implementations, ILayerEngine oracle, int directions = GradientCheck.DefaultDirections)
{
    /// <summary>The ConvRef implementations under test.</summary>
    public IReadOnlyList<ILayerEngine> Implementations { get; } = implementations;

    /// <summary>The oracle (TorchSharp).</summary>
    public ILayerEngine Oracle { get; } = oracle;

    /// <summary>
    /// <paramref name="implementations"/> (by default every implementation of <see cref="ImplementationRegistry.CreateDefault"/>)
    /// against the registered oracle; multithreaded ones on at most <paramref name="threads"/> threads (null for every processor).
    /// </summary>
    public static CaseRunner Create(IEnumerable<IConv2dImplementation>? implementations = null, int? threads = null) =>
        new([.. ImplementationRegistry.Engines(implementations ?? ImplementationRegistry.CreateDefault().Implementations, threads)],
            ImplementationRegistry.CreateOracle());

    /// <summary>A runner that checks only the implementation named <paramref name="implementation"/> (none for the oracle's name) against the same oracle.</summary>
    public CaseRunner Only(string implementation) =>
        new([.. Implementations.Where(i => i.Name == implementation)], Oracle, directions);

    /// <summary>Runs <paramref name="config"/>; one result per ConvRef implementation, then the oracle's.</summary>
    public IReadOnlyList<CaseResult> Run(CaseConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var clock = Stopwatch.StartNew();
        var inputs = CaseInputs.Create(config);
        var bound = RoundingBound.Compute(config, inputs);
        var arithmetic = Arithmetic.For(config.Dtype);

        var computed = Implementations.Where(engine => engine.Supports(config)).Select(engine => Attempt(engine, config, inputs)).ToList();
        var oracleRun = Attempt(Oracle, config, inputs);
        var ran = computed.Where(c => c.Outputs is not null).ToList();
        bool realLayer = EdgeClasses.Of(config).HasFlag(EdgeClass.RealLayerSize);
        var oneThread = ran.Where(c => realLayer && c.Engine is IThreadedEngine { Threads: > 1 })
            .ToDictionary(c => c, c => OnOneThread((IThreadedEngine)c.Engine, config, inputs));
        double engineSeconds = computed.Sum(c => c.Seconds) + oracleRun.Seconds + oneThread.Values.Sum(o => o.Seconds);
        var verdicts = computed.ToDictionary(c => c, _ => new List<TensorVerdict>());
        var oracleVerdicts = new List<TensorVerdict>();

        foreach (var kind in TensorKinds.Judged(config))
        {
            var oracleTensor = oracleRun.Outputs?[kind];
            var twoImplementations = bound.Between(kind, arithmetic, arithmetic);
            var agreement = ran.ToDictionary(c => c, c => oracleTensor is null ? null
                : TensorComparison.Compare(kind, c.Outputs![kind]!, oracleTensor, twoImplementations, config.Dtype));
            var furthest = agreement.Values.OfType<TensorComparison>().MaxBy(a => a.BoundRatio);
            if (oracleTensor is not null && ran.Count > 0 && agreement.Values.All(a => a!.Pass))
            {
                foreach (var c in ran)
                    verdicts[c].Add(new TensorVerdict(kind, agreement[c], null, []));
                oracleVerdicts.Add(new TensorVerdict(kind, furthest, null, []));
                continue;
            }

            var reference = CompensatedReference.Compute(config, inputs, kind);
            var referenceBound = bound.Between(kind, arithmetic, Arithmetic.CompensatedFloat64);
            // A verdict given by agreement passes by construction, so only the reference's can fail and need evidence.
            TensorVerdict Judge(EngineRun run, TensorComparison? agreed, bool byReference)
            {
                if (!byReference)
                    return new TensorVerdict(kind, agreed, null, []);
                var actual = run.Outputs![kind]!;
                var versusReference = TensorComparison.Compare(kind, actual, reference, referenceBound, config.Dtype);
                return new TensorVerdict(kind, agreed, versusReference,
                    versusReference.Pass ? [] : Evidence(kind, run.Engine.Name, actual, reference, versusReference));
            }
            var oracleVerdict = oracleRun.Outputs is null ? null : Judge(oracleRun, furthest, byReference: true);
            if (oracleVerdict is not null)
                oracleVerdicts.Add(oracleVerdict);
            bool oracleTrusted = oracleVerdict is { Pass: true };
            foreach (var c in ran)
                verdicts[c].Add(Judge(c, agreement[c], byReference: !oracleTrusted || !agreement[c]!.Pass));
        }

        foreach (var (c, single) in oneThread)
        {
            int threads = ((IThreadedEngine)c.Engine).Threads;
            verdicts[c] = [.. verdicts[c].Select(v => v with
            {
                Threads = single.Outputs is { } one
                    ? ThreadCheck.Compare(v.Kind, c.Outputs![v.Kind]!, one[v.Kind]!, threads)
                    : new ThreadCheck(threads, null, single.Error),
            })];
        }

        // One numeric side, the harness's own definition-level forward, judges every implementation's gradients and the oracle's.
        var checkedRuns = ran.Append(oracleRun).Where(r => r.Analytic is not null).ToList();
        var checks = GradientCheck.Run(config, inputs, bound, GradientCheck.ChooseMode(config), GradientCheck.DirectionsFor(config, directions),
            [.. checkedRuns.Select(r => (r.Engine.Name, r.Analytic!))]);
        var checkOf = checkedRuns.Zip(checks).ToDictionary(p => p.First, p => p.Second);
        var secondOrderOf = config.Order == 2
            ? checkedRuns.Zip(SecondOrderCheck.Run(config, inputs, bound, SecondOrderCheck.DefaultDirections,
                [.. checkedRuns.Select(r => (r.Engine.Name, r.Analytic!.SecondOrder!))])).ToDictionary(p => p.First, p => (GradCheckResult?)p.Second)
            : [];
        double shared = (clock.Elapsed.TotalSeconds - engineSeconds) / (computed.Count + 1);

        CaseResult Result(EngineRun run, IReadOnlyList<TensorVerdict> tensors, bool isOracle) => run.Error is { } error
            ? CaseResult.Threw(config, run.Engine.Name, isOracle, error, run.Seconds + shared)
            : new CaseResult(config, run.Engine.Name, isOracle, tensors, checkOf[run], run.Seconds + (oneThread.TryGetValue(run, out var single) ? single.Seconds : 0) + shared)
            {
                GradGradCheck = secondOrderOf.GetValueOrDefault(run),
            };
        return [.. computed.Select(c => Result(c, verdicts[c], isOracle: false)), Result(oracleRun, oracleVerdicts, isOracle: true)];
    }

    /// <summary>What one engine computed for a case, or the exception it threw instead.</summary>
    /// <param name="engine">The engine.</param>
    /// <param name="outputs">The case's outputs in its dtype; null when it threw.</param>
    /// <param name="analytic">Its float64 unclipped gradients for the numeric check; null when it threw.</param>
    /// <param name="error">The exception's type and first line, or null.</param>
    /// <param name="seconds">Time spent computing.</param>
    /// <remarks>A class, not a record: results are looked up by the run itself, never by equal values.</remarks>
    private sealed class EngineRun(ILayerEngine engine, CaseOutputs? outputs, CaseOutputs? analytic, string? error, double seconds)
    {
        public ILayerEngine Engine { get; } = engine;

        public CaseOutputs? Outputs { get; } = outputs;

        public CaseOutputs? Analytic { get; } = analytic;

        public string? Error { get; } = error;

        public double Seconds { get; } = seconds;
    }

    /// <summary>Runs one engine alone, so that its exception (<see cref="EngineFailure"/>) is its own failure and no other's.</summary>
    private static EngineRun Attempt(ILayerEngine engine, CaseConfig config, CaseInputs inputs)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var outputs = engine.Compute(config, inputs, config.Dtype);
            bool plain = config.Dtype == CaseDtype.F64 && config.Clip is null;
            var analytic = plain ? outputs : engine.Compute(config with { Clip = null }, inputs, CaseDtype.F64);
            if (config.Order == 2 && (outputs.SecondOrder is null || analytic.SecondOrder is null))
                return new EngineRun(engine, null, null, $"{engine.Name} returned no double backward for a second-order case", clock.Elapsed.TotalSeconds);
            if (TensorKinds.Judged(config).Contains(TensorKind.D2z) && outputs.SecondOrder!.PreviousZ is null)
                return new EngineRun(engine, null, null, $"{engine.Name} returned no dL/dz^(l-1) for a second-order case with an activation below", clock.Elapsed.TotalSeconds);
            return new EngineRun(engine, outputs, analytic, null, clock.Elapsed.TotalSeconds);
        }
        catch (Exception ex) when (EngineFailure.IsOwn(ex))
        {
            return new EngineRun(engine, null, null, EngineFailure.Describe(ex), clock.Elapsed.TotalSeconds);
        }
    }

    /// <summary>The case's outputs from <paramref name="engine"/> on one thread, or the exception it threw there.</summary>
    private static (CaseOutputs? Outputs, string? Error, double Seconds) OnOneThread(IThreadedEngine engine, CaseConfig config, CaseInputs inputs)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            return (engine.WithThreads(1).Compute(config, inputs, config.Dtype), null, clock.Elapsed.TotalSeconds);
        }
        catch (Exception ex) when (EngineFailure.IsOwn(ex))
        {
            return (null, EngineFailure.Describe(ex), clock.Elapsed.TotalSeconds);
        }
    }

    /// <summary>The worst out-of-bound elements with both values, e.g. <c>dx[0,1,2,3]: serial 0.5, reference 0.25</c>.</summary>
    private static string[] Evidence(TensorKind kind, string name, Tensor<double> actual, Tensor<double> reference, TensorComparison comparison) =>
        [.. comparison.OutOfBound.Select(i => string.Create(CultureInfo.InvariantCulture,
            $"{TensorComparison.ElementName(kind.Name(), actual.Shape, i)}: {name} {actual.Data[i]:R}, reference {reference.Data[i]:R}"))];
}

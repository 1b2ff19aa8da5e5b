using System.Runtime.InteropServices;
using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Implementations;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using ConvCompare.Runner;
using ConvRef;

namespace ConvCompare.Golden.Verification;

/// <summary>The engines of a golden run.</summary>
/// <param name="Implementations">The ConvRef implementations under test.</param>
/// <param name="Oracle">TorchSharp when asked for, else null; its disagreements are oracle faults.</param>
internal sealed record GoldenEngines(IReadOnlyList<ILayerEngine> Implementations, ILayerEngine? Oracle)
{
    /// <summary>Every engine with whether it is the oracle, the implementations first.</summary>
    public IEnumerable<(ILayerEngine Engine, bool IsOracle)> All =>
        Implementations.Select(e => (e, false)).Concat(Oracle is null ? [] : [(Oracle, true)]);
}

/// <summary>
/// Reads golden files, recomputes each with the given engines (ConvRef's algorithms, optionally
/// TorchSharp) in the file's dtype, and compares every tensor within <see cref="GoldenTolerance"/>.
/// </summary>
/// <remarks>
/// Where an engine disagrees with the file, the compensated reference recomputes that tensor from the
/// file's inputs and is compared with the expected values under its own bound plus the producer's.
/// If the file is in bound of the reference, the disagreeing engine is wrong. If it is not, the file
/// is at fault (a bad input file), and every engine is judged against the reference there instead, so
/// a wrong file is never blamed on an implementation that agrees with the reference.
/// </remarks>
internal static class GoldenVerifier
{
    /// <summary>The engines of a run: the requested registered implementations, and the registered oracle when asked.</summary>
    public static GoldenEngines Engines(IEnumerable<IConv2dImplementation> implementations, bool torch) =>
        new([.. ImplementationRegistry.Engines(implementations)], torch ? ImplementationRegistry.CreateOracle() : null);

    /// <summary>Verifies one file; an unusable file becomes a failed verdict with its one-sentence reason, never an exception.</summary>
    public static GoldenFileVerdict Verify(string path, GoldenEngines engines)
    {
        GoldenCase golden;
        try
        {
            golden = GoldenCaseReader.Read(path);
        }
        catch (GoldenFileException ex)
        {
            return new GoldenFileVerdict(path, null, ex.Message, []);
        }
        return Verify(path, golden, engines);
    }

    /// <summary>Verifies an already read case.</summary>
    public static GoldenFileVerdict Verify(string path, GoldenCase golden, GoldenEngines engines)
    {
        ArgumentNullException.ThrowIfNull(golden);
        ArgumentNullException.ThrowIfNull(engines);
        var config = golden.Config;
        var inputs = golden.Inputs;
        RoundingBound bound;
        try
        {
            bound = RoundingBound.Compute(config, inputs);
        }
        catch (Exception ex) when (IsComputationFailure(ex))
        {
            return new GoldenFileVerdict(path, golden, $"{path}: the rounding-error bound could not be computed ({ex.Message})", []);
        }
        var arithmetic = Arithmetic.For(golden.Dtype);
        var kinds = TensorKinds.Of(config).ToList();
        var tolerances = kinds.ToDictionary(k => k, k => GoldenTolerance.Of(bound, k, golden, arithmetic));
        var runs = new List<(ImplementationVerdict Verdict, CaseOutputs? Computed)>();
        foreach (var (engine, isOracle) in engines.All.Where(e => e.Engine.Supports(config)))
        {
            try
            {
                var computed = engine.Compute(config, inputs, golden.Dtype);
                var tensors = kinds
                    .Select(k => TensorComparison.Compare(k, computed[k]!, golden.Expected[k]!, tolerances[k], golden.Dtype))
                    .ToList();
                runs.Add((new ImplementationVerdict(engine.Name, isOracle, tensors, null), computed));
            }
            catch (Exception ex) when (EngineFailure.IsOwn(ex))
            {
                runs.Add((new ImplementationVerdict(engine.Name, isOracle, [], "threw " + EngineFailure.Describe(ex)), null));
            }
        }

        var referenceVersusFile = new List<TensorComparison>();
        var versusReference = runs.Select(_ => new List<TensorComparison>()).ToList();
        foreach (var kind in kinds.Where(k => runs.Any(r => r.Verdict.Tensors.Any(t => t.Kind == k && !t.Pass))))
        {
            var reference = CompensatedReference.Compute(config, inputs, kind);
            var fileCheck = TensorComparison.Compare(kind, reference, golden.Expected[kind]!,
                GoldenTolerance.Of(bound, kind, golden, Arithmetic.CompensatedFloat64), golden.Dtype);
            referenceVersusFile.Add(fileCheck);
            if (fileCheck.Pass)
                continue;
            var referenceBound = bound.Between(kind, arithmetic, Arithmetic.CompensatedFloat64);
            for (int i = 0; i < runs.Count; i++)
                if (runs[i].Computed is { } computed)
                    versusReference[i].Add(TensorComparison.Compare(kind, computed[kind]!, reference, referenceBound, golden.Dtype));
        }
        var verdicts = runs.Select((r, i) => r.Verdict with { VersusReference = versusReference[i] }).ToList();
        return new GoldenFileVerdict(path, golden, null, verdicts) { ReferenceVersusFile = referenceVersusFile };
    }
    /// <summary>What computing the bound may throw on a case it cannot handle: the file is then unusable.</summary>
    private static bool IsComputationFailure(Exception ex) =>
        ex is ArgumentException or InvalidOperationException or NotSupportedException or NotImplementedException
            or ArithmeticException or ExternalException;
}

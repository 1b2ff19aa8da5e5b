using System.Runtime.InteropServices;
using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Oracles;
using ConvCompare.Runner;
using ConvRef;

namespace ConvCompare.Golden.Verification;

/// <summary>
/// Reads golden files, recomputes each with the given engines (ConvRef's algorithms, optionally
/// TorchSharp) in the file's dtype, and compares every tensor within <see cref="GoldenTolerance"/>.
/// </summary>
internal static class GoldenVerifier
{
    /// <summary>The engines of a run: the requested ConvRef algorithms, then TorchSharp when asked.</summary>
    public static IReadOnlyList<ILayerEngine> Engines(ImplementationChoice choice, bool torch)
    {
        var engines = new List<ILayerEngine>();
        if (choice != ImplementationChoice.Vectorized)
            engines.Add(new ConvRefEngine(Conv2dAlgorithm.Serial));
        if (choice != ImplementationChoice.Serial)
            engines.Add(new ConvRefEngine(Conv2dAlgorithm.Vectorized));
        if (torch)
            engines.Add(new TorchOracle());
        return engines;
    }

    /// <summary>Verifies one file; an unusable file becomes a failed verdict with its one-sentence reason, never an exception.</summary>
    public static GoldenFileVerdict Verify(string path, IReadOnlyList<ILayerEngine> engines)
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

    /// <summary>Verifies an already read case. Engines other than ConvRef's count as the oracle.</summary>
    public static GoldenFileVerdict Verify(string path, GoldenCase golden, IReadOnlyList<ILayerEngine> engines)
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
        var kinds = TensorKinds.All.Where(k => k != TensorKind.Db || golden.HasBias).ToList();
        var tolerances = kinds.ToDictionary(k => k, k => GoldenTolerance.Of(bound, k, golden));
        var verdicts = new List<ImplementationVerdict>();
        foreach (var engine in engines)
        {
            bool isOracle = engine is not ConvRefEngine;
            CaseOutputs computed;
            try
            {
                computed = engine.Compute(config, inputs, golden.Dtype);
            }
            catch (Exception ex) when (IsComputationFailure(ex))
            {
                verdicts.Add(new ImplementationVerdict(engine.Name, isOracle, [], $"{engine.Name} failed: {ex.Message}"));
                continue;
            }
            var tensors = kinds
                .Select(k => TensorComparison.Compare(k, computed[k]!, golden.Expected[k]!, tolerances[k], golden.Dtype))
                .ToList();
            verdicts.Add(new ImplementationVerdict(engine.Name, isOracle, tensors, null));
        }
        return new GoldenFileVerdict(path, golden, null, verdicts);
    }

    /// <summary>What an implementation may throw on a case it cannot handle; it fails that implementation, not the run.</summary>
    private static bool IsComputationFailure(Exception ex) =>
        ex is ArgumentException or InvalidOperationException or NotSupportedException or NotImplementedException
            or ArithmeticException or ExternalException;
}

using System.Runtime.InteropServices;
using ConvRef;

namespace ConvCompare.Golden.Verification;

/// <summary>Reads a golden file, recomputes it with each requested implementation, and compares within <see cref="GoldenTolerance"/>.</summary>
/// <param name="recompute">How an implementation recomputes a case; tests substitute a perturbed oracle here.</param>
internal sealed class GoldenVerifier(Func<GoldenImplementation, GoldenCase, GoldenComputation> recompute)
{
    /// <summary>ConvRef's serial and vectorized algorithms, and TorchSharp autograd.</summary>
    public static GoldenVerifier Default { get; } = new(Recompute);

    /// <summary>Verifies one file; an unusable file becomes a failed verdict with its one-sentence reason, never an exception.</summary>
    public GoldenFileVerdict Verify(string path, IReadOnlyList<GoldenImplementation> implementations)
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
        return Verify(path, golden, implementations);
    }

    /// <summary>Verifies an already read case.</summary>
    public GoldenFileVerdict Verify(string path, GoldenCase golden, IReadOnlyList<GoldenImplementation> implementations)
    {
        ArgumentNullException.ThrowIfNull(golden);
        ArgumentNullException.ThrowIfNull(implementations);
        IReadOnlyDictionary<string, double[]> bounds;
        try
        {
            bounds = GoldenTolerance.Bounds(golden);
        }
        catch (Exception ex) when (IsComputationFailure(ex))
        {
            return new GoldenFileVerdict(path, golden, $"{path}: the rounding-error bound could not be computed ({ex.Message})", []);
        }
        var verdicts = implementations.Select(implementation => Check(golden, implementation, bounds)).ToList();
        return new GoldenFileVerdict(path, golden, null, verdicts);
    }

    private ImplementationVerdict Check(GoldenCase golden, GoldenImplementation implementation,
        IReadOnlyDictionary<string, double[]> bounds)
    {
        GoldenComputation computed;
        try
        {
            computed = recompute(implementation, golden);
        }
        catch (Exception ex) when (IsComputationFailure(ex))
        {
            return new ImplementationVerdict(implementation, [], $"{implementation.Name()} failed: {ex.Message}");
        }
        var tensors = golden.Expected()
            .Select(e => TensorAgreement.Compare(e.Name, e.Value.Data, computed[e.Name].Data, bounds[e.Name]))
            .ToList();
        return new ImplementationVerdict(implementation, tensors, null);
    }

    private static GoldenComputation Recompute(GoldenImplementation implementation, GoldenCase golden) => implementation switch
    {
        GoldenImplementation.Serial => ConvRefRecompute.Run(golden, Conv2dAlgorithm.Serial),
        GoldenImplementation.Vectorized => ConvRefRecompute.Run(golden, Conv2dAlgorithm.Vectorized),
        _ => TorchRecompute.Run(golden),
    };

    /// <summary>What an implementation may throw on a case it cannot handle; it fails that implementation, not the run.</summary>
    private static bool IsComputationFailure(Exception ex) =>
        ex is ArgumentException or InvalidOperationException or NotSupportedException or NotImplementedException
            or ArithmeticException or ExternalException;
}

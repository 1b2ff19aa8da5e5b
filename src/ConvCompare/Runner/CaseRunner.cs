using System.Diagnostics;
using System.Globalization;
using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.GradCheck;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using ConvRef;

namespace ConvCompare.Runner;

/// <summary>Which ConvRef implementations a run checks.</summary>
internal enum ImplementationChoice
{
    /// <summary>The serial algorithm only.</summary>
    Serial,
    /// <summary>The vectorized algorithm only.</summary>
    Vectorized,
    /// <summary>Both.</summary>
    Both,
}

/// <summary>
/// Runs one case: ConvRef (each implementation) and the oracle on the same inputs, every tensor
/// compared under <see cref="RoundingBound"/>, the compensated reference arbitrating disagreements,
/// and the numeric gradient check. Reusable by any command that needs a verdict on a case.
/// </summary>
/// <remarks>
/// Verdict per tensor: within 2 gamma_K of TorchSharp (the two-implementation bound) is a pass. Beyond
/// it, <see cref="CompensatedReference"/> recomputes the tensor and each side is judged against it
/// with its own bound plus the reference's: ConvRef out of bound fails the case whatever TorchSharp
/// did; TorchSharp out of bound is an oracle fault, reported, and not held against ConvRef.
/// </remarks>
internal sealed class CaseRunner(IReadOnlyList<ILayerEngine> implementations, ILayerEngine oracle, int directions = GradientCheck.DefaultDirections)
{
    /// <summary>The ConvRef implementations under test.</summary>
    public IReadOnlyList<ILayerEngine> Implementations { get; } = implementations;

    private static readonly ConvRefEngine SerialForward = new(Conv2dAlgorithm.Serial);

    /// <summary>The oracle (TorchSharp).</summary>
    public ILayerEngine Oracle { get; } = oracle;

    /// <summary>ConvRef's chosen implementations against TorchSharp.</summary>
    public static CaseRunner Create(ImplementationChoice choice)
    {
        var engines = new List<ILayerEngine>();
        if (choice != ImplementationChoice.Vectorized)
            engines.Add(new ConvRefEngine(Conv2dAlgorithm.Serial));
        if (choice != ImplementationChoice.Serial)
            engines.Add(new ConvRefEngine(Conv2dAlgorithm.Vectorized));
        return new CaseRunner(engines, new TorchOracle());
    }

    /// <summary>Runs <paramref name="config"/>; one result per implementation.</summary>
    public IReadOnlyList<CaseResult> Run(CaseConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var clock = Stopwatch.StartNew();
        var inputs = CaseInputs.Create(config);
        var bound = RoundingBound.Compute(config, inputs);
        var arithmetic = Arithmetic.For(config.Dtype);
        var unclipped = config with { Clip = null };
        bool plain = config.Dtype == CaseDtype.F64 && config.Clip is null;
        var torch = OracleCompute(config, inputs, config.Dtype);
        var torch64 = plain ? torch : OracleCompute(unclipped, inputs, CaseDtype.F64);
        var arbitration = new Dictionary<TensorKind, (Tensor<double> Reference, double[] Bound, TensorComparison OracleVersusReference)>();
        double shared = clock.Elapsed.TotalSeconds / Implementations.Count;

        var computed = new List<(ILayerEngine Engine, List<TensorVerdict> Verdicts, CaseOutputs Analytic, double Seconds)>();
        foreach (var implementation in Implementations)
        {
            var start = clock.Elapsed.TotalSeconds;
            var outputs = implementation.Compute(config, inputs, config.Dtype);
            var verdicts = new List<TensorVerdict>();
            foreach (var kind in TensorKinds.All)
            {
                if (kind == TensorKind.Db && !config.Bias)
                    continue;
                var versusOracle = TensorComparison.Compare(kind, outputs[kind]!, torch[kind]!, bound.Between(kind, arithmetic, arithmetic), config.Dtype);
                if (versusOracle.Pass)
                {
                    verdicts.Add(new TensorVerdict(kind, versusOracle, null, null));
                    continue;
                }
                if (!arbitration.TryGetValue(kind, out var arbiter))
                {
                    var reference = CompensatedReference.Compute(config, inputs, kind);
                    var referenceBound = bound.Between(kind, arithmetic, Arithmetic.CompensatedFloat64);
                    arbiter = (reference, referenceBound, TensorComparison.Compare(kind, torch[kind]!, reference, referenceBound, config.Dtype));
                    arbitration[kind] = arbiter;
                }
                var convRefVersusReference = TensorComparison.Compare(kind, outputs[kind]!, arbiter.Reference, arbiter.Bound, config.Dtype);
                verdicts.Add(new TensorVerdict(kind, versusOracle, convRefVersusReference, arbiter.OracleVersusReference));
            }
            var analytic = plain ? outputs : implementation.Compute(unclipped, inputs, CaseDtype.F64);
            computed.Add((implementation, verdicts, analytic, clock.Elapsed.TotalSeconds - start));
        }

        // One numeric side judges every implementation's gradients and TorchSharp's. It differentiates
        // ConvRef's serial forward pass: a scalar loop with a fixed summation order, so the numeric side
        // is the same on every machine (the vectorized sums follow the machine's vector width).
        var gradcheckStart = clock.Elapsed.TotalSeconds;
        var checks = GradientCheck.Run(config, inputs, bound, SerialForward, GradientCheck.ChooseMode(config), GradientCheck.DirectionsFor(config, directions),
            [.. computed.Select(c => (c.Engine.Name, c.Analytic)), (Oracle.Name, torch64)]);
        var oracleCheck = checks[^1];
        shared += (clock.Elapsed.TotalSeconds - gradcheckStart) / Implementations.Count;

        var results = new List<CaseResult>();
        for (int i = 0; i < computed.Count; i++)
        {
            var (engine, verdicts, _, seconds) = computed[i];
            var faults = new List<OracleFault>();
            foreach (var verdict in verdicts.Where(v => v.OracleFault))
                faults.Add(Describe(config, verdict, torch, arbitration[verdict.Kind].Reference));
            if (!oracleCheck.Pass)
                faults.Add(new OracleFault("gradcheck",
                    string.Create(CultureInfo.InvariantCulture, $"TorchSharp's float64 gradient fails the numeric check at {oracleCheck.Worst}: error {oracleCheck.MaxError:G3} > tolerance {oracleCheck.Tolerance:G3}"), []));
            results.Add(new CaseResult(config, engine.Name, verdicts, checks[i], oracleCheck, faults, seconds + shared));
        }
        return results;
    }

    private static string Number(double value) => double.IsFinite(value) ? value.ToString("G3", CultureInfo.InvariantCulture) : "inf";

    /// <summary>The oracle's outputs; an exception from it is labelled as TorchSharp's so a crash is not mistaken for ConvRef's.</summary>
    private CaseOutputs OracleCompute(CaseConfig config, CaseInputs inputs, CaseDtype dtype)
    {
        try
        {
            return Oracle.Compute(config, inputs, dtype);
        }
        catch (Exception ex) when (ex is not TorchUnavailableException and not OutOfMemoryException)
        {
            throw new InvalidOperationException("TorchSharp failed on this case: " + ex.Message, ex);
        }
    }

    private static OracleFault Describe(CaseConfig config, TensorVerdict verdict, CaseOutputs torch, Tensor<double> reference)
    {
        var comparison = verdict.OracleVersusReference!;
        var torchTensor = torch[verdict.Kind]!;
        var elements = comparison.OutOfBound.Select(i => string.Create(CultureInfo.InvariantCulture,
            $"{TensorComparison.ElementName(verdict.Kind.Name(), torchTensor.Shape, i)}: torch {torchTensor.Data[i]:R}, reference {reference.Data[i]:R}")).ToArray();
        string detail = string.Create(CultureInfo.InvariantCulture,
            $"TorchSharp's {(config.Dtype == CaseDtype.F32 ? "float32" : "float64")} {verdict.Kind.Name()} is beyond its rounding bound of the compensated reference at {comparison.OutOfBoundCount} element(s), bound ratio {Number(comparison.BoundRatio)}, max abs error {Number(comparison.MaxAbs)}");
        return new OracleFault(verdict.Kind.Name(), detail, elements);
    }
}

using System.Numerics;
using ConvCompare.Cases;
using ConvCompare.Implementations;
using ConvRef;

namespace ConvCompare.Runner;

/// <summary>
/// ConvRef with one algorithm as the harness runs it: a <see cref="ConvRefImplementation"/> through
/// <see cref="ImplementationEngine"/>, like any registered implementation, for tests that check one
/// algorithm in particular. The harness itself never names an algorithm: it takes them from the registry.
/// </summary>
/// <remarks>In the harness's namespace so that tests read as they did when the harness held it.</remarks>
/// <param name="algorithm">The algorithm this engine runs.</param>
/// <param name="threads">Most threads the vectorized algorithm uses; null for every processor.</param>
internal sealed class ConvRefEngine(Conv2dAlgorithm algorithm, int? threads = null) : IThreadedEngine, IErrorInputEngine
{
    private readonly ImplementationEngine _engine = new(new ConvRefImplementation(algorithm, threads));

    private IErrorInputEngine ErrorInputs => ErrorInputRunner.ForConvRef((ConvRefImplementation)_engine.Implementation);

    /// <summary>The algorithm this engine runs.</summary>
    public Conv2dAlgorithm Algorithm { get; } = algorithm;

    /// <inheritdoc />
    public string Name => _engine.Name;

    /// <inheritdoc />
    public int Threads => _engine.Threads;

    /// <inheritdoc />
    public ILayerEngine WithThreads(int count) => new ConvRefEngine(Algorithm, count);

    /// <summary>Whether the case goes through the caller-owned-output entry points.</summary>
    public static bool UsesInto(CaseConfig config) => config.Family is null && ConvRefImplementation.UsesInto(config.ValueSeed);

    /// <summary>The backward options of a case in T: the activation of the layer below with its z^(l-1), and the clip value of dJ/dw.</summary>
    public static BackwardOptions<T> Options<T>(CaseConfig config, CaseInputs inputs) where T : unmanaged, IFloatingPointIeee754<T> => new()
    {
        PreviousActivation = config.ConvRefActivation,
        PreviousZ = inputs.PreviousZ?.Cast<T>(),
        ClipValue = config.Clip is { } c ? T.CreateChecked(c) : null,
    };

    /// <inheritdoc />
    public CaseOutputs Compute(CaseConfig config, CaseInputs inputs, CaseDtype dtype) => _engine.Compute(config, inputs, dtype);

    /// <inheritdoc />
    public bool IsOracle => false;

    /// <inheritdoc />
    public bool Expresses(ErrorCase errorCase) => ErrorInputs.Expresses(errorCase);

    /// <inheritdoc />
    public void Attempt(ErrorCase errorCase, ErrorPasses pass) => ErrorInputs.Attempt(errorCase, pass);
}

using ConvCompare.Oracles;
using ConvCompare.Runner;
using ConvRef;

namespace ConvCompare.Implementations;

/// <summary>
/// Where the implementations that ship with the harness are registered, and the judges named: ConvRef's
/// algorithms through the public <see cref="IConv2dImplementation"/> like any other, TorchSharp as the
/// oracle, the compensated definition-level reference (<see cref="CompensatedReference"/>) as the arbiter.
/// A further ConvRef algorithm is one more line here.
/// </summary>
internal static class BuiltInImplementations
{
    /// <summary>The oracle's name in reports.</summary>
    public const string OracleName = "torch";

    /// <summary>The arbiter's name in reports.</summary>
    public const string ArbiterName = "reference";

    /// <summary>Registers every ConvRef algorithm in <paramref name="registry"/>.</summary>
    public static ImplementationRegistry RegisterConvRef(ImplementationRegistry registry) =>
        registry
            .Register(new ConvRefImplementation(Conv2dAlgorithm.Serial))
            .Register(new ConvRefImplementation(Conv2dAlgorithm.Vectorized));

    /// <summary>The oracle, loading libtorch.</summary>
    /// <exception cref="TorchUnavailableException">libtorch cannot be loaded.</exception>
    public static ILayerEngine CreateOracle() => new TorchOracle();
}

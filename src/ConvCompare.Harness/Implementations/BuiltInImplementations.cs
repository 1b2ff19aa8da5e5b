using ConvCompare.Oracles;
using ConvCompare.Runner;
using ConvRef;

namespace ConvCompare.Implementations;

/// <summary>
/// Where the implementations that ship with the harness are registered, and the judges named: ConvRef's
/// algorithms through the public <see cref="IConv2dImplementation"/> like any other, TorchSharp as the
/// oracle, the compensated definition-level reference (<see cref="CompensatedReference"/>) as the arbiter.
/// A further ConvRef algorithm is one more line here. Code that needs one of ConvRef's algorithms in
/// particular (bench's yardstick, the results snapshots store, the cost of a case) asks for it by its
/// role below and takes its name from the registration, so no other file spells a name.
/// </summary>
internal static class BuiltInImplementations
{
    /// <summary>The oracle's name in reports.</summary>
    public const string OracleName = "torch";

    /// <summary>The arbiter's name in reports.</summary>
    public const string ArbiterName = "reference";

    /// <summary>
    /// ConvRef's serial algorithm: the derivation written out on one thread. It is the readable yardstick,
    /// seconds per call on large shapes, so bench times it on the reference shapes only.
    /// </summary>
    public static ConvRefImplementation Readable { get; } = new(Conv2dAlgorithm.Serial);

    /// <summary>
    /// ConvRef's vectorized algorithm: the fast path, the one refactors touch. Snapshots store its results
    /// and bench reads its headline ratio to the oracle from it.
    /// </summary>
    public static ConvRefImplementation Fast { get; } = new(Conv2dAlgorithm.Vectorized);

    /// <summary>Registers every ConvRef algorithm in <paramref name="registry"/>.</summary>
    public static ImplementationRegistry RegisterConvRef(ImplementationRegistry registry) =>
        registry.Register(Readable).Register(Fast);

    /// <summary>Whether <paramref name="implementation"/> is <see cref="Fast"/> (on any thread count).</summary>
    public static bool IsFast(IConv2dImplementation implementation) =>
        implementation is ConvRefImplementation convRef && convRef.Algorithm == Fast.Algorithm;

    /// <summary>Whether <paramref name="name"/> is <see cref="Readable"/>'s.</summary>
    public static bool IsReadable(string name) => name == Readable.Name;

    /// <summary>The oracle, loading libtorch.</summary>
    /// <exception cref="TorchUnavailableException">libtorch cannot be loaded.</exception>
    public static ILayerEngine CreateOracle() => new TorchOracle();
}

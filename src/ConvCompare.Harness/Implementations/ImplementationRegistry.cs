using System.Text.RegularExpressions;
using ConvCompare.Runner;

namespace ConvCompare.Implementations;

/// <summary>
/// The implementations a run judges, by name, next to the two judges that are not implementations
/// under test: the oracle (TorchSharp, <see cref="OracleName"/>) and the arbiter (the harness's
/// compensated definition-level reference, <see cref="ArbiterName"/>). Every command takes its
/// implementations from here, and <c>--impl</c> takes the names registered here.
/// </summary>
/// <remarks>
/// The judges are fixed: a registered implementation can be judged, never judge, so one nobody here
/// wrote cannot bend a verdict. Adding an algorithm is one class implementing
/// <see cref="IConv2dImplementation"/> and one <see cref="Register"/> call.
/// </remarks>
public sealed partial class ImplementationRegistry
{
    /// <summary>The word that selects every registered implementation.</summary>
    public const string All = "all";

    private readonly List<IConv2dImplementation> _implementations = [];

    /// <summary>A registry holding the judges only; add implementations with <see cref="Register"/>.</summary>
    public ImplementationRegistry()
    {
    }

    /// <summary>The registry the program uses: ConvRef's serial and vectorized algorithms.</summary>
    /// <returns>A new registry, which the caller may add to.</returns>
    public static ImplementationRegistry CreateDefault() => BuiltInImplementations.RegisterConvRef(new ImplementationRegistry());

    /// <summary>The oracle's name in reports: TorchSharp (libtorch autograd).</summary>
    public string OracleName => BuiltInImplementations.OracleName;

    /// <summary>The arbiter's name in reports: the compensated float64 reference computed from the definition of conv2d.</summary>
    public string ArbiterName => BuiltInImplementations.ArbiterName;

    /// <summary>The registered implementations, in the order they were registered.</summary>
    public IReadOnlyList<IConv2dImplementation> Implementations => _implementations;

    /// <summary>The registered implementations' names, in the order they were registered.</summary>
    public IReadOnlyList<string> Names => [.. _implementations.Select(i => i.Name)];

    /// <summary>Adds <paramref name="implementation"/> under its <see cref="IConv2dImplementation.Name"/>.</summary>
    /// <param name="implementation">The implementation to judge.</param>
    /// <returns>This registry, so registrations chain.</returns>
    /// <exception cref="ArgumentException">The name is not lower-case letters, digits and '-', is already registered, or is a reserved word (<see cref="All"/>, the oracle's or the arbiter's name); or the implementation supports no dtype.</exception>
    public ImplementationRegistry Register(IConv2dImplementation implementation)
    {
        ArgumentNullException.ThrowIfNull(implementation);
        string name = implementation.Name;
        if (!IsWellFormedName(name))
            throw new ArgumentException($"implementation name '{name}' must be 1 to 64 lower-case letters, digits and '-', starting with a letter or digit", nameof(implementation));
        if (name == All || name == OracleName || name == ArbiterName)
            throw new ArgumentException($"implementation name '{name}' is reserved ({All}, {OracleName} and {ArbiterName} mean every implementation, the oracle and the arbiter)", nameof(implementation));
        if (_implementations.Any(i => i.Name == name))
            throw new ArgumentException($"an implementation named '{name}' is already registered", nameof(implementation));
        if (implementation.Dtypes.Count == 0)
            throw new ArgumentException($"implementation '{name}' supports no dtype, so nothing could be checked", nameof(implementation));
        _implementations.Add(implementation);
        return this;
    }

    /// <summary>
    /// The implementations a selection names: a comma-separated list of registered names, or
    /// <see cref="All"/>; in registration order, each once.
    /// </summary>
    /// <param name="selection">For example <c>serial,vectorized</c> or <c>all</c>.</param>
    /// <param name="selected">The implementations named; empty when the selection is refused.</param>
    /// <param name="problem">One sentence saying what is wrong and which names exist; null when accepted.</param>
    /// <returns>Whether the selection names only registered implementations, at least one.</returns>
    public bool TrySelect(string selection, out IReadOnlyList<IConv2dImplementation> selected, out string? problem)
    {
        bool accepted = TrySelectNames(selection, withOracle: false, out var names, out problem);
        selected = [.. _implementations.Where(i => names.Contains(i.Name))];
        return accepted;
    }

    /// <summary>
    /// The names a selection names, as <see cref="TrySelect"/> takes it; with <paramref name="withOracle"/>
    /// the oracle's name is selectable too (last, and in <see cref="All"/>), for commands that run the
    /// oracle as one more subject, such as bench timing it.
    /// </summary>
    internal bool TrySelectNames(string selection, bool withOracle, out IReadOnlyList<string> selected, out string? problem)
    {
        selected = [];
        problem = null;
        string[] known = withOracle ? [.. Names, OracleName] : [.. Names];
        var names = (selection ?? "").Split(',', StringSplitOptions.TrimEntries);
        if (names.Length == 1 && names[0] == All && _implementations.Count > 0)
        {
            selected = known;
            return true;
        }
        var unknown = names.Where(n => !known.Contains(n)).ToList();
        if (unknown.Count > 0 || _implementations.Count == 0)
        {
            problem = $"--impl {selection} names {(unknown.Count == 1 ? "an implementation" : "implementations")} that {(unknown.Count == 1 ? "is" : "are")} not registered"
                      + (unknown.Count > 0 ? $" ({string.Join(", ", unknown.Select(n => n.Length == 0 ? "an empty name" : "'" + n + "'"))})" : "")
                      + $"; registered: {Describe(withOracle)}";
            return false;
        }
        selected = [.. known.Where(names.Contains)];
        return true;
    }

    /// <summary>The selectable names for messages and help: each registered name, then <see cref="All"/>.</summary>
    /// <returns>For example <c>serial, vectorized (or all)</c>.</returns>
    public string Describe() => Describe(withOracle: false);

    /// <summary>As <see cref="Describe()"/>, with the oracle's name after the registered ones when <paramref name="withOracle"/>.</summary>
    internal string Describe(bool withOracle) => _implementations.Count == 0 ? "none"
        : string.Join(", ", withOracle ? [.. Names, OracleName + " (the oracle)"] : Names) + $" (or {All})";

    /// <summary>The oracle as the harness runs it.</summary>
    internal static ILayerEngine CreateOracle() => BuiltInImplementations.CreateOracle();

    /// <summary><paramref name="implementations"/> as the harness runs them.</summary>
    internal static IEnumerable<ILayerEngine> Engines(IEnumerable<IConv2dImplementation> implementations, int? threads = null) =>
        implementations.Select(i => new ImplementationEngine(threads is { } n && i is IMultithreadedConv2dImplementation m ? m.WithThreads(n) : i));

    /// <summary>Whether <paramref name="name"/> has the form of an implementation name: lower-case letters, digits and '-', starting with a letter or digit.</summary>
    internal static bool IsWellFormedName(string? name) => name is not null && name.Length <= 64 && NamePattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex NamePattern();
}

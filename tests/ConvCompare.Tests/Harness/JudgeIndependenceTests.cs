using ConvCompare.Comparison;
using ConvCompare.Implementations;
using ConvCompare.Runner;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace ConvCompare.Tests.Harness;

/// <summary>
/// The judge (bounds, reference, numeric check) must use no code it judges. This reads the IL of
/// the judging path and of everything it calls inside the harness, transitively, and lists every
/// member of ConvRef or TorchSharp it touches.
/// </summary>
/// <remarks>
/// ConvRef types allowed on the judging path, as plain data: <c>Tensor&lt;T&gt;</c> (a shape and an array;
/// its members construct, index and copy it, none computes, and <c>Cast</c>, the one that converts
/// numbers, is not allowed) and the <c>ActivationKind</c> enum (a name for g). Everything else in
/// ConvRef (kernels, layers, <c>Conv2d</c>, <c>Activation</c>'s g and g') and anything of TorchSharp is
/// a violation. A call to an abstract or interface member of the harness is one too: which
/// implementation runs (ConvRef's, TorchSharp's) cannot be read off the IL.
/// </remarks>
public class JudgeIndependenceTests
{
    private static readonly string[] JudgingNamespaces = ["ConvCompare.Comparison", "ConvCompare.GradCheck", "ConvCompare.Numerics"];

    private static readonly string[] JudgingTypes =
        ["ConvCompare.Oracles.CompensatedReference", "ConvCompare.Oracles.DefinitionSums", "ConvCompare.Oracles.ActivationDefinition",
         "ConvCompare.Oracles.DoubleBackwardReference"];

    private static readonly HashSet<string> PlainDataMembers =
    [
        "Tensor`1::.ctor", "Tensor`1::get_Data", "Tensor`1::get_Shape", "Tensor`1::get_Length", "Tensor`1::get_Rank",
        "Tensor`1::get_Item", "Tensor`1::set_Item", "Tensor`1::Zeros", "Tensor`1::Clone", "Tensor`1::get_ShapeText",
    ];

    private static readonly HashSet<string> PlainDataTypes = ["ConvRef.Tensor`1", "ConvRef.ActivationKind"];

    private static readonly Lazy<ModuleDefinition> Harness = new(() =>
        ModuleDefinition.ReadModule(typeof(RoundingBound).Assembly.Location));

    [Fact]
    public void JudgingPath_ReferencesNoConvRefComputeCodeAndNothingOfTorchSharp()
    {
        var roots = Harness.Value.Types.Where(t => JudgingNamespaces.Contains(t.Namespace) || JudgingTypes.Contains(t.FullName)).ToList();
        Assert.True(roots.Count >= 10, $"found only {roots.Count} judging types: the namespaces moved?");
        Assert.Contains(roots, t => t.FullName == "ConvCompare.Oracles.DefinitionSums");
        Assert.Contains(roots, t => t.FullName == "ConvCompare.Oracles.DoubleBackwardReference");
        Assert.Contains(roots, t => t.FullName == "ConvCompare.GradCheck.SecondOrderCheck");

        var violations = Violations(roots);

        Assert.True(violations.Count == 0, "the judge uses code it judges:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void TheScan_FlagsConvRefsRegistrationAndTheEngineThatRunsIt()
    {
        var violations = Violations([Type(typeof(ConvRefImplementation)), Type(typeof(ConvRefEngine))]);

        Assert.Contains(violations, v => v.Contains("ConvRef.Conv2d::Forward", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("ConvRef.Conv2d::Backward", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("IConv2dImplementation::Forward", StringComparison.Ordinal));
    }

    [Fact]
    public void TheScan_FlagsTorchSharpAndAbstractCallsReachedThroughHarnessCode()
    {
        // CaseRunner reaches TorchSharp only through TorchOracle (a callee inside the harness), and
        // runs the engines through ILayerEngine: the scan must follow the one and flag the other.
        var violations = Violations([Type(typeof(CaseRunner))]);

        Assert.Contains(violations, v => v.Contains("TorchSharp", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("ILayerEngine::Compute", StringComparison.Ordinal));
    }

    [Fact]
    public void TheScan_FlagsConvRefsActivationInInputGeneration()
    {
        var violations = Violations([Type(typeof(Cases.CaseInputs))]);

        Assert.Contains(violations, v => v.Contains("ConvRef.Activation::Apply", StringComparison.Ordinal));
    }

    /// <summary>The definition of <paramref name="type"/>, read from its own assembly (the harness library or the command-line shell).</summary>
    internal static TypeDefinition Type(Type type) =>
        (type.Assembly == typeof(RoundingBound).Assembly ? Harness.Value : Modules.GetOrAdd(type.Assembly.Location, ReadWithResolver))
            .GetType(type.FullName!.Replace('+', '/'));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ModuleDefinition> Modules = new();

    private static ModuleDefinition ReadWithResolver(string path)
    {
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(path)!);
        return ModuleDefinition.ReadModule(path, new ReaderParameters { AssemblyResolver = resolver });
    }

    /// <summary>Every forbidden member reached from the methods of <paramref name="roots"/> (and their nested types), each with the harness method that touches it.</summary>
    internal static List<string> Violations(IEnumerable<TypeDefinition> roots)
    {
        var pending = new Queue<MethodDefinition>(roots.SelectMany(AllTypes).SelectMany(t => t.Methods));
        var seen = new HashSet<MethodDefinition>();
        var violations = new SortedSet<string>(StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            var method = pending.Dequeue();
            if (!seen.Add(method))
                continue;
            void Flag(string what) => violations.Add($"{method.DeclaringType.FullName}::{method.Name} uses {what}");
            foreach (var type in Signature(method))
                CheckType(type, Flag);
            if (!method.HasBody)
                continue;
            foreach (var variable in method.Body.Variables)
                CheckType(variable.VariableType, Flag);
            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case MethodReference callee:
                        CheckType(callee.DeclaringType, Flag);
                        foreach (var type in Signature(callee))
                            CheckType(type, Flag);
                        if (callee is GenericInstanceMethod generic)
                            foreach (var argument in generic.GenericArguments)
                                CheckType(argument, Flag);
                        string owner = Owner(callee.DeclaringType);
                        if (owner == "ConvRef" && !PlainDataMembers.Contains(callee.DeclaringType.GetElementType().Name + "::" + callee.Name))
                            Flag($"{callee.DeclaringType.GetElementType().FullName}::{callee.Name}");
                        else if (owner == Harness.Value.Assembly.Name.Name && callee.Resolve() is { } definition)
                        {
                            if (definition.HasBody)
                                pending.Enqueue(definition);
                            else if (definition.IsAbstract)
                                Flag($"{definition.DeclaringType.FullName}::{definition.Name} (abstract: the code it runs is unknown)");
                        }
                        break;
                    case FieldReference field:
                        CheckType(field.DeclaringType, Flag);
                        CheckType(field.FieldType, Flag);
                        break;
                    case TypeReference type:
                        CheckType(type, Flag);
                        break;
                }
            }
        }
        return [.. violations];
    }

    private static IEnumerable<TypeDefinition> AllTypes(TypeDefinition type) => [type, .. type.NestedTypes.SelectMany(AllTypes)];

    private static IEnumerable<TypeReference> Signature(MethodReference method) =>
        [method.ReturnType, .. method.Parameters.Select(p => p.ParameterType)];

    /// <summary>Flags a ConvRef type other than the plain data ones, or any TorchSharp type, inside <paramref name="type"/> (generic arguments, arrays, by-refs included).</summary>
    private static void CheckType(TypeReference type, Action<string> flag)
    {
        if (type is GenericInstanceType generic)
            foreach (var argument in generic.GenericArguments)
                CheckType(argument, flag);
        if (type is TypeSpecification specification)
        {
            CheckType(specification.ElementType, flag);
            return;
        }
        if (type.IsGenericParameter)
            return;
        string owner = Owner(type);
        if (owner.StartsWith("TorchSharp", StringComparison.Ordinal))
            flag(type.FullName + " (TorchSharp)");
        else if (owner == "ConvRef" && !PlainDataTypes.Contains(type.FullName))
            flag(type.FullName);
    }

    /// <summary>The name of the assembly a type comes from.</summary>
    private static string Owner(TypeReference type) => type.GetElementType().Scope switch
    {
        AssemblyNameReference assembly => assembly.Name,
        ModuleDefinition module => module.Assembly.Name.Name,
        _ => "",
    };
}

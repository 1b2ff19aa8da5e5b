using System.Reflection;
using System.Runtime.Loader;
using ConvCompare.Cases;
using ConvCompare.Comparison;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace ConvCompare.Tests.Harness;

/// <summary>
/// The yardstick does not move when ConvRef is wrong. The seam: a copy of ConvRef.dll in which every
/// method except <c>Tensor&lt;T&gt;</c>'s storage members throws (a planted error in every kernel, layer and
/// activation), loaded with a second copy of the harness into its own <see cref="AssemblyLoadContext"/>.
/// Every rounding bound, the compensated reference and every numeric-check probe and tolerance computed
/// there must equal, bit for bit, the ones computed next to the real ConvRef.
/// </summary>
public sealed class PlantedConvRefTests(PlantedConvRefTests.PlantedConvRef planted) : IClassFixture<PlantedConvRefTests.PlantedConvRef>
{
    private const string Planted = "planted error in ConvRef";

    private static readonly Assembly RealHarness = typeof(RoundingBound).Assembly;

    private readonly PlantedContext _context = planted.Context;

    /// <summary>The planted copy of ConvRef and the context holding it, made once for the class.</summary>
    public sealed class PlantedConvRef : IDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "planted-convref-" + Guid.NewGuid().ToString("N"));

        public PlantedConvRef()
        {
            Directory.CreateDirectory(_directory);
            string plantedPath = Path.Combine(_directory, "ConvRef.dll");
            Plant(typeof(global::ConvRef.Tensor<double>).Assembly.Location, plantedPath);
            Context = new PlantedContext(plantedPath, RealHarness.Location);
        }

        internal PlantedContext Context { get; }

        public void Dispose()
        {
            Context.Unload();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // The collectible context may hold the file until it is collected; the OS clears its temp folder.
            }
            catch (UnauthorizedAccessException)
            {
                // Likewise.
            }
        }
    }

    public static TheoryData<string> Cases() =>
    [
        "n2c2h5w5-o3k3x3-s1x1-p1,1,1,1-d1x1-g1-f64-v42",
        "n1c2h6w5-o2k3x2-s2x1-p1,0,0,1-d1x1-g1-f64-tanh-v7",
        "n2c4h7w9-o4k3x3-s2x3-p2,0,1,3-d2x1-g2-f32-relu-clip0.5-v11",
        "n1c3h8w8-o3k3x3-s1x1-p1,1,1,1-d2x2-g3-f32-sigmoid-v5",
        "n2c4h12w12-o8k3x3-s1x1-p1,1,1,1-d1x1-g1-f64-nb-lrelu-v3",
        "conv1d-n1c4w11-o3k1-s3-pvalid-d1-g1-reflect-ub-f32-nb-lrelu-v697239",
        "conv3d-n1c3d3h4w2-o3k2x3x2-s2x1x3-p0,0,1,1,0,0-d1x1x1-g3-circular-f64-tanh-v553089",
        "conv2d-n2c2h5w6-o3k3x3-s1x1-psame-d1x2-g1-reflect-f64-v17",
        "conv_transpose2d-n1c4h4w2-o4k3x4-s2x1-p2,2,2,2-op2x0-d4x1-g4-f32-relu-clip0.5-v880509",
        "conv_transpose1d-n2c2w5-o4k3-s2-p1,1-op1-d1-g2-f64-v9",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryBoundReferenceAndNumericTolerance_IsBitForBitTheSameWithEveryConvRefMethodPlanted(string id)
    {
        Assert.True(CaseId.TryParse(id, out var config, out string error), error);
        var inputs = CaseInputs.Create(config);

        var real = Judge.Fingerprint(RealHarness, id, inputs);
        var planted = Judge.Fingerprint(_context.Harness, id, inputs);

        Assert.True(real.Count > 100, $"only {real.Count} numbers compared");
        Assert.Equal(real.Count, planted.Count);
        for (int i = 0; i < real.Count; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(real[i].Value) == BitConverter.DoubleToInt64Bits(planted[i].Value),
                $"{real[i].Name}: {real[i].Value:R} next to the real ConvRef, {planted[i].Value:R} with the planted one");
    }

    [Fact]
    public void ThePlantIsLive_ConvRefThrowsInThePlantedContext()
    {
        const string id = "n2c2h5w5-o3k3x3-s1x1-p1,1,1,1-d1x1-g1-f64-v42";
        Assert.True(CaseId.TryParse(id, out var real, out string error), error);
        var (config, inputs) = Judge.Case(_context.Harness, id, CaseInputs.Create(real));
        // The serial algorithm, with the default thread count (null: every processor), run as the harness runs a registered implementation.
        object implementation = Activator.CreateInstance(_context.Harness.GetType("ConvCompare.Implementations.ConvRefImplementation", throwOnError: true)!,
            Enum.ToObject(_context.ConvRef.GetType("ConvRef.Conv2dAlgorithm", throwOnError: true)!, 0), null)!;
        var engineType = _context.Harness.GetType("ConvCompare.Implementations.ImplementationEngine", throwOnError: true)!;
        object engine = Activator.CreateInstance(engineType, implementation)!;
        object dtype = Enum.ToObject(_context.Harness.GetType("ConvCompare.Cases.CaseDtype", throwOnError: true)!, 1);

        var thrown = Assert.Throws<TargetInvocationException>(() => engineType.GetMethod("Compute")!.Invoke(engine, [config, inputs, dtype]));

        Assert.Equal(Planted, thrown.InnerException!.Message);
    }

    /// <summary>
    /// Rewrites every method of ConvRef with a body to throw, except Tensor&lt;T&gt;'s (Cast included in the
    /// plant), the compiler's embedded attributes and, under coverage (scripts/reach.sh), coverlet's hit
    /// tracker, which every kept member calls.
    /// </summary>
    private static void Plant(string source, string target)
    {
        using var module = ModuleDefinition.ReadModule(source);
        var exception = module.ImportReference(typeof(InvalidOperationException).GetConstructor([typeof(string)]));
        int planted = 0;
        foreach (var type in module.GetTypes())
        {
            if (type.Namespace.StartsWith("System", StringComparison.Ordinal) || type.Namespace.StartsWith("Microsoft", StringComparison.Ordinal)
                || type.Namespace.StartsWith("Coverlet", StringComparison.Ordinal))
                continue;
            foreach (var method in type.Methods.Where(m => m.HasBody))
            {
                if (type.FullName == "ConvRef.Tensor`1" && method.Name != "Cast")
                    continue;
                method.Body.Instructions.Clear();
                method.Body.ExceptionHandlers.Clear();
                var il = method.Body.GetILProcessor();
                il.Emit(OpCodes.Ldstr, Planted);
                il.Emit(OpCodes.Newobj, exception);
                il.Emit(OpCodes.Throw);
                planted++;
            }
        }
        Assert.True(planted > 100, $"only {planted} methods planted");
        module.Write(target);
    }

    /// <summary>Everything the judge computes for a case, read through reflection so that one code path serves both contexts.</summary>
    private static class Judge
    {
        public static (object Config, object Inputs) Case(Assembly harness, string id, CaseInputs values)
        {
            var caseId = harness.GetType("ConvCompare.Cases.CaseId", throwOnError: true)!;
            object?[] arguments = [id, null, null];
            Assert.True((bool)caseId.GetMethod("TryParse")!.Invoke(null, arguments)!);
            // The Tensor<double> the harness binds to: the planted ConvRef's in the planted context.
            var tensorType = harness.GetType("ConvCompare.Cases.CaseInputs", throwOnError: true)!.GetProperty("Input")!.PropertyType;
            object? Tensor(global::ConvRef.Tensor<double>? t) => t is null ? null : Activator.CreateInstance(tensorType, t.Shape.ToArray(), (double[])t.Data.Clone());
            var inputsType = harness.GetType("ConvCompare.Cases.CaseInputs", throwOnError: true)!;
            Assert.Equal(AssemblyLoadContext.GetLoadContext(harness), AssemblyLoadContext.GetLoadContext(tensorType.Assembly));
            object inputs = Activator.CreateInstance(inputsType, Tensor(values.Input), Tensor(values.Weights), Tensor(values.Bias), Tensor(values.Upstream), Tensor(values.PreviousZ))!;
            return (arguments[1]!, inputs);
        }

        public static List<(string Name, double Value)> Fingerprint(Assembly harness, string id, CaseInputs values)
        {
            var (config, inputs) = Case(harness, id, values);
            var numbers = new List<(string, double)>();
            var kindType = harness.GetType("ConvCompare.Cases.TensorKind", throwOnError: true)!;
            var arithmeticType = harness.GetType("ConvCompare.Numerics.Arithmetic", throwOnError: true)!;
            var arithmetics = new[] { "Float32", "Float64", "CompensatedFloat64" }.Select(n => (n, arithmeticType.GetProperty(n)!.GetValue(null)!)).ToArray();
            var boundType = harness.GetType("ConvCompare.Comparison.RoundingBound", throwOnError: true)!;
            object bound = boundType.GetMethod("Compute")!.Invoke(null, [config, inputs])!;
            var reference = harness.GetType("ConvCompare.Oracles.CompensatedReference", throwOnError: true)!;
            bool bias = (bool)config.GetType().GetProperty("Bias")!.GetValue(config)!;
            foreach (int k in new[] { 0, 1, 2, 3 }.Where(k => k < 3 || bias))
            {
                object kind = Enum.ToObject(kindType, k);
                foreach (var (firstName, first) in arithmetics)
                    foreach (var (secondName, second) in arithmetics)
                        Add(numbers, $"bound {kind} {firstName}+{secondName}", (double[])boundType.GetMethod("Between")!.Invoke(bound, [kind, first, second])!);
                var tensor = reference.GetMethod("Compute")!.Invoke(null, [config, inputs, kind])!;
                Add(numbers, $"reference {kind}", (double[])tensor.GetType().GetProperty("Data")!.GetValue(tensor)!);
            }
            var gradCheck = harness.GetType("ConvCompare.GradCheck.GradientCheck", throwOnError: true)!;
            object mode = gradCheck.GetMethod("ChooseMode")!.Invoke(null, [config])!;
            object side = gradCheck.GetMethod("Measure")!.Invoke(null, [config, inputs, null, mode, 2])!;
            foreach (object probe in (System.Collections.IEnumerable)side.GetType().GetProperty("Probes")!.GetValue(side)!)
            {
                string label = (string)probe.GetType().GetProperty("Label")!.GetValue(probe)!;
                numbers.Add(($"probe {label} numeric", (double)probe.GetType().GetProperty("Numeric")!.GetValue(probe)!));
                numbers.Add(($"probe {label} tolerance", (double)probe.GetType().GetProperty("Tolerance")!.GetValue(probe)!));
                Add(numbers, $"probe {label} weights", (double[])probe.GetType().GetProperty("Weights")!.GetValue(probe)!);
            }
            return numbers;
        }

        private static void Add(List<(string, double)> numbers, string name, double[] values)
        {
            for (int i = 0; i < values.Length; i++)
                numbers.Add(($"{name} [{i}]", values[i]));
        }
    }

    /// <summary>A second harness bound to the planted ConvRef; everything else (the runtime, TorchSharp) is shared.</summary>
    internal sealed class PlantedContext : AssemblyLoadContext
    {
        private readonly string _convRefPath;
        private readonly string _harnessPath;
        private Assembly? _convRef;
        private Assembly? _harness;

        public PlantedContext(string convRef, string harness) : base("planted-convref", isCollectible: true)
        {
            _convRefPath = convRef;
            _harnessPath = harness;
        }

        public Assembly ConvRef => Load(new AssemblyName("ConvRef"))!;

        public Assembly Harness => Load(RealHarness.GetName())!;

        protected override Assembly? Load(AssemblyName assemblyName) => assemblyName.Name switch
        {
            "ConvRef" => _convRef ??= LoadFromAssemblyPath(_convRefPath),
            var name when name == RealHarness.GetName().Name => _harness ??= LoadFromAssemblyPath(_harnessPath),
            _ => null,
        };
    }
}

using ConvCompare.Cases;
using ConvCompare.Cli;
using ConvCompare.Comparison;
using ConvCompare.GradCheck;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using ConvCompare.Reports;
using ConvCompare.Runner;
using global::ConvRef;

namespace ConvCompare.Tests.Harness.SecondOrder;

/// <summary>
/// The family's double backward judged by the harness as conv2d's is: the definition-level double backward read off
/// each operation's list of products agrees with TorchSharp's autograd in float64 within the derived bounds, the
/// numeric second-order check passes it and catches a 1e-6 relative error, K per tensor covers every element's
/// products, and an error planted in one second-order tensor of one implementation (ConvRef's or the oracle's) is
/// blamed on it alone. Every arbitration test runs against <see cref="ReferenceOracle"/>, never TorchSharp's float32.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public class FamilySecondOrderTests
{
    /// <summary>
    /// Float64 family cases to second order: ordinals 0 to 23 give every operation with every padding mode it takes (a drawn
    /// conv2d that is batched and zero-padded with explicit pads is written in the original grammar, without its family part).
    /// </summary>
    private static readonly List<CaseConfig> EveryOperationAndMode = [.. Enumerable.Range(0, 24)
        .Select(new CaseGenerator(5, new CaseGeneratorOptions { Dtypes = DtypeChoice.F64 }).GenerateFamilySecondOrder)];

    public static TheoryData<string> Ids() => [.. EveryOperationAndMode.Select(CaseId.Format)];

    [Fact]
    public void AppendedFamilyCases_CoverEveryOperationAndPaddingMode_ToSecondOrder()
    {
        Assert.All(EveryOperationAndMode, c =>
        {
            Assert.Equal(2, c.Order);
            Assert.Null(c.Problem);
        });
        Assert.Equal(CaseOps.All.Order(), EveryOperationAndMode.Select(c => c.Op).Distinct().Order());
        Assert.Equal(CaseOps.Modes.Order(), EveryOperationAndMode.Where(c => !c.Op.Transposed()).Select(c => c.PaddingMode).Distinct().Order());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void FamilyId_ParsesToOrderTwo_AndIsWrittenBackExactly(string id)
    {
        Assert.Contains("-order2-v", id, StringComparison.Ordinal);
        var config = Parse(id);
        Assert.Equal(2, config.Order);
        Assert.Equal(id, CaseId.Format(config));
        Assert.Equal(id.Replace("-order2", "", StringComparison.Ordinal), CaseId.Format(config with { Order = 1 }));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void DefinitionLevelDoubleBackward_AgreesWithAutogradInFloat64_WithinTheDerivedBound(string id)
    {
        var config = Parse(id);
        var inputs = CaseInputs.Create(config);
        var bound = RoundingBound.Compute(config, inputs);
        var gg = inputs.SecondOrder!;
        var torch = TorchDoubleBackward.Compute(config.Op.Convolution(), config.Family?.Spec(config.Geometry) ?? TorchConvolutions.FamilySpec(config.Spec), inputs.Input, inputs.Weights, inputs.Upstream,
            gg.Input, gg.Weights, gg.Bias, config.ConvRefActivation, inputs.PreviousZ, config.Clip);
        var outputs = new CaseOutputs(inputs.Input, inputs.Input, inputs.Weights, null) { SecondOrder = new SecondOrderOutputs(torch.Input, torch.Weights, torch.Delta) };

        foreach (var kind in TensorKinds.SecondOrder)
        {
            var reference = CompensatedReference.Compute(config, inputs, kind);
            Assert.Equal(outputs[kind]!.Shape, reference.Shape);
            var comparison = TensorComparison.Compare(kind, outputs[kind]!, reference, bound.Between(kind, Arithmetic.Float64, Arithmetic.CompensatedFloat64), CaseDtype.F64);
            Assert.True(comparison.Pass, $"{id} {kind.Name()}: bound ratio {comparison.BoundRatio}");
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void NumericSecondOrderCheck_PassesConvRefAndTheReference_AndCatchesAOneInAMillionRelativeErrorInEachTensor(string id)
    {
        // The numeric check differentiates the unclipped L, as the runner hands it every case (a clipped one is judged against the oracle and the reference).
        var config = Parse(id) with { Clip = null };
        var inputs = CaseInputs.Create(config);
        var bound = RoundingBound.Compute(config, inputs);
        var right = new SecondOrderOutputs(CompensatedReference.Compute(config, inputs, TensorKind.D2x),
            CompensatedReference.Compute(config, inputs, TensorKind.D2w), CompensatedReference.Compute(config, inputs, TensorKind.D2dy))
        {
            PreviousZ = inputs.PreviousZ is null ? null : CompensatedReference.Compute(config, inputs, TensorKind.D2z),
        };
        var serial = new ConvRefEngine(Conv2dAlgorithm.Serial).Compute(config, inputs, CaseDtype.F64).SecondOrder!;
        var outputs = new CaseOutputs(inputs.Input, inputs.Input, inputs.Weights, null) { SecondOrder = right };
        var planted = TensorKinds.SecondOrder.Select(kind =>
        {
            var t = outputs[kind]!;
            int at = Array.IndexOf(t.Data, t.Data.MaxBy(Math.Abs));
            var off = t.Clone();
            // An all-zero tensor (a layer whose taps read only padding) gets 1e-6 itself, as in PlantedEngine.
            off.Data[at] = off.Data[at] == 0 ? 1e-6 : off.Data[at] * (1 + 1e-6);
            return (kind.Name(), outputs.With(kind, off).SecondOrder!);
        }).ToList();

        var results = SecondOrderCheck.Run(config, inputs, bound, SecondOrderCheck.DefaultDirections, [("reference", right), ("serial", serial), .. planted]);

        Assert.True(results[0].Pass, $"{id} reference: {results[0].Worst}: error {results[0].MaxError}, tolerance {results[0].Tolerance}");
        Assert.True(results[1].Pass, $"{id} serial: {results[1].Worst}: error {results[1].MaxError}, tolerance {results[1].Tolerance}");
        foreach (var (result, (name, _)) in results.Skip(2).Zip(planted))
        {
            Assert.False(result.Pass, $"{id}: a 1e-6 relative error in {name} passed");
            Assert.StartsWith(name switch { "d2x" => "a ", "d2w" => "w ", _ => "dy " }, result.Worst, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// K of each second-order tensor (<see cref="SecondOrderMagnitudes"/>) is at least the number of products any one of its
    /// elements sums, counted here from the definition's terms: dL/da[in] one per term holding in, dL/dw[wt] one per term
    /// holding wt, dL/d(dy)[out] two per term holding out and gg_b.
    /// </summary>
    [Theory]
    [MemberData(nameof(Ids))]
    public void ReductionLengthOfEachSecondOrderTensor_CoversTheMostProductsAnyElementSums(string id)
    {
        var config = Parse(id);
        var inputs = CaseInputs.Create(config);
        var bound = RoundingBound.Compute(config, inputs);
        var terms = FamilySums.Terms(config);
        static long Most(IEnumerable<int> elements) => elements.GroupBy(e => e).Select(g => (long)g.Count()).DefaultIfEmpty(0).Max();

        Assert.True(bound.ReductionLength(TensorKind.D2x) >= Most(terms.Select(t => t.Input)), id);
        Assert.True(bound.ReductionLength(TensorKind.D2w) >= Most(terms.Select(t => t.Weight)), id);
        Assert.True(bound.ReductionLength(TensorKind.D2dy) >= 2 * Most(terms.Select(t => t.Output)) + (config.Bias ? 1 : 0), id);
        Assert.Equal(bound.ReductionLength(TensorKind.Dx), bound.ReductionLength(TensorKind.D2x));
        Assert.Equal(bound.ReductionLength(TensorKind.Dw), bound.ReductionLength(TensorKind.D2w));
    }

    public static TheoryData<string, string> Plantings()
    {
        var data = new TheoryData<string, string>();
        foreach (string implementation in new[] { "serial", "vectorized", "torch" })
            foreach (var kind in TensorKinds.SecondOrder)
                data.Add(implementation, kind.Name());
        return data;
    }

    [Theory]
    [MemberData(nameof(Plantings))]
    public void PlantedErrorInOneFamilySecondOrderTensor_IsCaughtAndBlamedOnThatImplementationAlone(string planted, string tensor)
    {
        var kind = TensorKinds.SecondOrder.Single(k => k.Name() == tensor);
        ILayerEngine Plant(ILayerEngine engine) => engine.Name != planted ? engine : new PlantedEngine(engine, kind, 0, 1e-6);
        var runner = new CaseRunner([Plant(new ConvRefEngine(Conv2dAlgorithm.Serial)), Plant(new ConvRefEngine(Conv2dAlgorithm.Vectorized, threads: 1))],
            Plant(new ReferenceOracle()));
        var configs = EveryOperationAndMode.Take(6).ToList();

        var results = configs.SelectMany(runner.Run).ToList();

        Assert.All(results, r =>
        {
            Assert.True(r.Implementation != planted == r.Pass, $"{r.Id} {r.Implementation}");
            Assert.Equal(r.Implementation == planted ? [tensor] : [], r.Tensors.Where(t => !t.Pass).Select(t => t.Kind.Name()));
            Assert.Equal(r.Implementation != planted, r.GradGradCheck!.Pass);
            Assert.True(r.GradCheck!.Pass);
        });
        var summary = new RunSummary(results, strictOracle: false);
        Assert.Equal(planted == "torch" ? 0 : configs.Count, summary.ConvRefFailures);
        Assert.Equal(planted == "torch" ? configs.Count : 0, summary.OracleFaults);
    }

    [Fact]
    public void CheckOfAFamilySecondOrderId_PassesEveryImplementation()
    {
        var config = EveryOperationAndMode.First(c => c.Op == CaseOp.Conv3d);
        var runner = new CaseRunner([new ConvRefEngine(Conv2dAlgorithm.Serial), new ConvRefEngine(Conv2dAlgorithm.Vectorized, threads: 1)], new ReferenceOracle());

        var (exit, stdout, stderr) = ConsoleCapture.Run(() => CheckCommand.Check(config, runner, "both", strictOracle: true, null));

        Assert.True(exit == ExitCodes.Passed, stdout + stderr);
        foreach (var kind in TensorKinds.SecondOrder)
            Assert.Equal(3, stdout.Split('\n').Count(l => l.StartsWith($"  {kind.Name()} vs ", StringComparison.Ordinal)));
    }

    private static CaseConfig Parse(string id)
    {
        Assert.True(CaseId.TryParse(id, out var config, out string error), error);
        return config;
    }
}

using ConvCompare.Cases;
using ConvCompare.Cli;
using ConvCompare.Runner;
using global::ConvRef;

namespace ConvCompare.Tests.Harness.SecondOrder;

/// <summary>
/// A bug planted in one term of the family's double backward is caught by the default sweep's second-order family
/// cases: run as <c>run</c> runs them (<see cref="CaseRunner"/>), the planted ConvRef engine against
/// <see cref="ReferenceOracle"/>, the bug's tensor fails on some of the cases it touches, no other tensor fails, and
/// the oracle is never blamed; the same cases pass with the engine unplanted.
/// </summary>
public class FamilySecondOrderBugTests
{
    private static readonly List<CaseConfig> DefaultFamilySecondOrderCases = [.. new CaseGenerator(RunCommand.DefaultSeed,
            new CaseGeneratorOptions { FamilySecondOrderCases = RunCommand.DefaultFamilySecondOrderCases })
        .Sweep(0, Shard.All).Select(p => p.Case)];

    /// <summary>What is wrong, the second-order tensor it spoils, the cases it shows in, and the wrong computation (engine, case, inputs, dtype).</summary>
    private sealed record Bug(string Name, TensorKind Kind, Func<CaseConfig, bool> Applies, Func<ILayerEngine, CaseConfig, CaseInputs, CaseDtype, CaseOutputs> Wrong);

    private static readonly Dictionary<string, Bug> Bugs = new[]
    {
        new Bug("the a (*) gg_w term left out of dL/d(dy)", TensorKind.D2dy, _ => true,
            (e, c, x, d) => e.Compute(c, x with { SecondOrder = x.SecondOrder! with { Weights = Tensor<double>.Zeros(c.WeightShape) } }, d)),
        new Bug("gg_b left out of dL/d(dy)", TensorKind.D2dy, c => c.Bias,
            (e, c, x, d) => e.Compute(c, x with { SecondOrder = x.SecondOrder! with { Bias = Tensor<double>.Zeros(c.Shape.Cout) } }, d)),
        new Bug("gg_a not multiplied by g'(z) in dL/dw", TensorKind.D2w, c => c.Activation is not ActivationKind.Identity,
            (e, c, x, d) => e.Compute(c with { Activation = ActivationKind.Identity }, x with { PreviousZ = null }, d)),
        new Bug("the padded border not folded back onto the input in dL/da", TensorKind.D2x,
            c => c.PaddingMode != CasePaddingMode.Zeros && c.Axes.Any(a => a.PadBefore + a.PadAfter > 0),
            (e, c, x, d) => e.Compute(c with { Family = c.Family! with { Mode = CasePaddingMode.Zeros } }, x, d)),
        new Bug("the transposed convolution's dL/dw of its first group copied into every group", TensorKind.D2w,
            c => c.Op.Transposed() && c.Geometry.Groups > 1,
            (e, c, x, d) =>
            {
                var right = e.Compute(c, x, d);
                var w = right.SecondOrder!.Weights.Clone();
                int perGroup = w.Length / c.Geometry.Groups;
                for (int i = perGroup; i < w.Length; i++)
                    w.Data[i] = w.Data[i % perGroup];
                return right.With(TensorKind.D2w, w);
            }),
    }.ToDictionary(b => b.Name);

    public static TheoryData<string> Names() => [.. Bugs.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void PlantedBugInAFamilyDoubleBackwardTerm_IsCaughtByTheDefaultSweep_OnItsTensorAlone(string name)
    {
        var bug = Bugs[name];
        var touched = DefaultFamilySecondOrderCases.Where(bug.Applies).ToList();
        Assert.NotEmpty(touched);
        var engine = new ConvRefEngine(Conv2dAlgorithm.Vectorized, threads: 1);
        var results = touched.SelectMany(new CaseRunner([new BugEngine(engine, bug)], new ReferenceOracle()).Run).ToList();

        var failed = results.Where(r => !r.IsOracle && !r.Pass).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, r => Assert.All(r.Tensors.Where(t => !t.Pass), t => Assert.Equal(bug.Kind, t.Kind)));
        Assert.All(failed, r => Assert.True(r.GradCheck!.Pass, r.Id));
        Assert.All(results.Where(r => r.IsOracle), r => Assert.True(r.Pass, r.Id));

        var control = touched.Take(8).SelectMany(new CaseRunner([engine], new ReferenceOracle()).Run).ToList();
        Assert.All(control, r => Assert.True(r.Pass, r.Id));
    }

    /// <summary>An engine whose second-order tensor <see cref="Bug.Kind"/> is what the bug computes, where the bug applies.</summary>
    private sealed class BugEngine(ILayerEngine inner, Bug bug) : ILayerEngine
    {
        public string Name => inner.Name;

        public CaseOutputs Compute(CaseConfig config, CaseInputs inputs, CaseDtype dtype)
        {
            var outputs = inner.Compute(config, inputs, dtype);
            return bug.Applies(config) && inputs.SecondOrder is not null
                ? outputs.With(bug.Kind, bug.Wrong(inner, config, inputs, dtype)[bug.Kind]!)
                : outputs;
        }
    }
}

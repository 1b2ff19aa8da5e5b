using System.Globalization;
using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using ConvCompare.Runner;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.SecondOrder;

/// <summary>
/// The two sides of the double backward's tests on the harness's own case model: cases drawn by <see cref="CaseGenerator"/>
/// (conv2d layers, and the family's operations in every padding mode), ConvRef through the harness's engine, TorchSharp's
/// autograd through the harness's oracle in float64, judged under the harness's rounding bounds (<see cref="RoundingBound"/>).
/// </summary>
internal static class SecondOrderSides
{
    /// <summary>The activations whose g'' is not zero, in turn.</summary>
    private static readonly ActivationKind[] Curved = [ActivationKind.Sigmoid, ActivationKind.Tanh];

    /// <summary>
    /// A conv2d layer of order 2 (strides, asymmetric padding, dilation, groups, batches: <see cref="CaseGenerator.GenerateSecondOrder"/>)
    /// in float32 values, with sigmoid or tanh below or none, and with a clip value in a gap (<see cref="WithClipInAGap"/>) or none.
    /// </summary>
    public static CaseConfig Layer(ulong seed, bool activation, bool clip) =>
        Shaped(new CaseGenerator(seed, new CaseGeneratorOptions { Dtypes = DtypeChoice.F32 }).GenerateSecondOrder(0), seed, activation, clip);

    /// <summary>Family case <paramref name="ordinal"/> of order 2 (the operations in turn, then the padding modes: <see cref="CaseGenerator.GenerateFamilySecondOrder"/>), shaped as <see cref="Layer"/>.</summary>
    public static CaseConfig Family(int ordinal, ulong seed, bool activation, bool clip) =>
        Shaped(new CaseGenerator(seed, new CaseGeneratorOptions { Dtypes = DtypeChoice.F32 }).GenerateFamilySecondOrder(ordinal), seed, activation, clip);

    /// <summary>Family rows: every operation with every padding mode it takes, <paramref name="perCombination"/> seeds each.</summary>
    public static TheoryData<int, ulong> FamilyRows(ulong first, int perCombination)
    {
        var rows = new TheoryData<int, ulong>();
        for (int ordinal = 0; ordinal < CaseOps.All.Count * CaseOps.Modes.Count; ordinal++)
            if (!CaseOps.All[ordinal % CaseOps.All.Count].Transposed() || ordinal < CaseOps.All.Count)
                for (ulong seed = first; seed < first + (ulong)perCombination; seed++)
                    rows.Add(ordinal, seed);
        return rows;
    }

    private static CaseConfig Shaped(CaseConfig c, ulong seed, bool activation, bool clip)
    {
        // The activation changes a = g(z), so dJ/dw, and with it where a clip may lie: the drawn one is dropped and placed anew.
        c = c with { Activation = activation ? Curved[seed % 2] : ActivationKind.Identity, Clip = null };
        return clip ? WithClipInAGap(c) : c;
    }

    /// <summary>
    /// <paramref name="c"/> with a clip value c in a gap of |dJ/dw| (the compensated reference's) clear of every one by more
    /// than the case's dtype bound plus the reference's, as the generator places it (<see cref="ClipGap.Place"/>), so that every
    /// computation clamps the same entries; fails when there is none.
    /// </summary>
    public static CaseConfig WithClipInAGap(CaseConfig c)
    {
        var clip = ClipGap.Place(c);
        Assert.True(clip is not null, $"{CaseId.Format(c)}: no clip value keeps clear of every |dJ/dw| by its rounding bound");
        return c with { Clip = clip };
    }

    /// <summary>ConvRef's double backward (<paramref name="algorithm"/>, one thread) in <paramref name="dtype"/>, through the harness's engine.</summary>
    public static CaseOutputs ConvRef(CaseConfig c, CaseInputs x, Conv2dAlgorithm algorithm, CaseDtype dtype) =>
        new ConvRefEngine(algorithm, threads: 1).Compute(c, x, dtype);

    /// <summary>TorchSharp's autograd differentiating its own backward pass, through the harness's oracle, in float64.</summary>
    public static CaseOutputs Torch(CaseConfig c, CaseInputs x) => new TorchOracle().Compute(c, x, CaseDtype.F64);

    /// <summary>
    /// The second-order tensors (<see cref="TensorKinds.Judged"/>: dL/da, dL/dw, dL/d(dy), and dL/dz with an activation) of
    /// <paramref name="actual"/> that differ from <paramref name="expected"/> by more than the bound between computations in
    /// <paramref name="first"/> and <paramref name="second"/>, each with its worst element; empty when all agree.
    /// </summary>
    public static IReadOnlyList<string> Violations(CaseConfig c, CaseInputs x, CaseOutputs expected, CaseOutputs actual, Arithmetic first, Arithmetic second)
    {
        var bound = RoundingBound.Compute(c, x);
        var violations = new List<string>();
        foreach (var kind in TensorKinds.Judged(c).Where(k => k.IsSecondOrder()))
        {
            var comparison = TensorComparison.Compare(kind, actual[kind]!, expected[kind]!, bound.Between(kind, first, second), c.Dtype);
            if (!comparison.Pass)
                violations.Add(string.Create(CultureInfo.InvariantCulture, $"{kind.Name()}: bound ratio {comparison.BoundRatio:G3}"));
        }
        return violations;
    }

    /// <summary>Asserts <see cref="Violations"/> is empty.</summary>
    public static void AssertAgree(CaseConfig c, CaseInputs x, CaseOutputs expected, CaseOutputs actual, Arithmetic first, Arithmetic second, string label)
    {
        var violations = Violations(c, x, expected, actual, first, second);
        Assert.True(violations.Count == 0, $"{CaseId.Format(c)} {label}: {string.Join("; ", violations)}");
    }

    /// <summary>The arithmetic of a dtype.</summary>
    public static Arithmetic Of(CaseDtype dtype) => Arithmetic.For(dtype);
}

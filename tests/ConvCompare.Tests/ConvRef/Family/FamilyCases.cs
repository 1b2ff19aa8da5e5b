using ConvCompare.Cases;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Family;

/// <summary>
/// Family cases in the harness's one case model, as theory rows: the sweep's own draws
/// (<see cref="CaseGenerator.GenerateFamily"/>, every padding mode in turn for the convolutions) with
/// the activation of the layer below and clipping set per row, in float32 so that both precisions
/// start from the same numbers. A row is the case's id, which <c>convcompare check</c> reruns.
/// </summary>
internal static class FamilyCases
{
    private static readonly ActivationKind[] Activations =
        [ActivationKind.Identity, ActivationKind.ReLU, ActivationKind.LeakyReLU, ActivationKind.Sigmoid, ActivationKind.Tanh];

    /// <summary>
    /// Ids of drawn cases: for each convolution <paramref name="perMode"/> per padding mode, for each
    /// transposed one (zeros only) <paramref name="perTransposed"/>. Row i has the i-th activation of
    /// the five in turn (none among them), and is clipped when i is a multiple of three.
    /// </summary>
    public static TheoryData<string> Drawn(ulong seed, int perMode, int perTransposed)
    {
        var data = new TheoryData<string>();
        foreach (var c in All(seed, perMode, perTransposed))
            data.Add(CaseId.Format(c));
        return data;
    }

    /// <summary>The cases <see cref="Drawn"/> lists.</summary>
    public static IEnumerable<CaseConfig> All(ulong seed, int perMode, int perTransposed)
    {
        foreach (var op in CaseOps.All)
        {
            int count = op.Transposed() ? perTransposed : perMode * CaseOps.Modes.Count;
            for (int i = 0; i < count; i++)
                yield return Drawn(op, seed, i);
        }
    }

    /// <summary>Drawn case <paramref name="ordinal"/> of <paramref name="op"/> (padding mode <paramref name="ordinal"/> modulo four in turn).</summary>
    public static CaseConfig Drawn(CaseOp op, ulong seed, int ordinal)
    {
        var generator = new CaseGenerator(seed, new CaseGeneratorOptions { Op = op, Dtypes = DtypeChoice.F32 });
        var c = generator.GenerateFamily(ordinal) with { Activation = Activations[ordinal % Activations.Length], Clip = null };
        return ordinal % 3 == 0 ? c with { Clip = CaseGenerator.ClipValueFor(c) } : c;
    }

    /// <summary>The case a row names.</summary>
    public static CaseConfig Parse(string id)
    {
        Assert.True(CaseId.TryParse(id, out var config, out string error), error);
        return config;
    }
}

using System.Text.Json.Nodes;
using ConvCompare.Cases;
using ConvRef;

namespace ConvCompare.Snapshots;

/// <summary>
/// The derivation's two worked examples with small integer values: every result is an integer far
/// below 2^53, so any summation order gives it exactly and the snapshot compares it exactly.
/// </summary>
/// <param name="Name">Snapshot name under <c>worked/</c>.</param>
/// <param name="Description">What the example is, in the derivation's words.</param>
/// <param name="Input">a^(l-1).</param>
/// <param name="Weights">w.</param>
/// <param name="Bias">b.</param>
/// <param name="Delta">delta^(l) = dJ/dz.</param>
internal sealed record WorkedExample(string Name, string Description, Tensor<double> Input, Tensor<double> Weights,
    Tensor<double> Bias, Tensor<double> Delta)
{
    /// <summary>Eq 1: one 3x3 input channel, one 2x2 filter, z 2x2; the kernel is not symmetric, so Rot180 in Eq 5 matters.</summary>
    public static WorkedExample Eq1 { get; } = new(
        "worked/eq1-3x3-input-2x2-kernel",
        "Eq 1: a^(l-1) 3x3, w 2x2, z 2x2 (stride 1, no padding); dJ/dw by Eq 3, dJ/da by Eq 5, dJ/db by Eq 9",
        new([1, 1, 3, 3], [
            1, 2, 0,
            3, -1, 2,
            0, 4, 1]),
        new([1, 1, 2, 2], [
            1, -2,
            3, 4]),
        new([1], [2]),
        new([1, 1, 2, 2], [
            1, 2,
            -1, 3]));

    /// <summary>Figure 2: a 3x3x3 input volume and four 2x2x3 filters, z 2x2x4 (Eq 7, Eq 8, Eq 9).</summary>
    public static WorkedExample Figure2 { get; } = new(
        "worked/figure2-3x3x3-input-four-2x2x3-filters",
        "Figure 2: a^(l-1) 3x3x3, four filters 2x2x3, z 2x2x4; dJ/dw by Eq 7, delta^(l-1) (identity g) by Eq 8, dJ/db by Eq 9",
        new([1, 3, 3, 3], [
            1, 0, 2, -1, 3, 1, 2, -2, 0,
            0, 1, -1, 2, 2, 0, 1, -3, 4,
            3, -1, 0, 1, 0, 2, -2, 1, 1]),
        new([4, 3, 2, 2], [
            1, 0, -1, 2, 0, 1, 2, -1, 1, 1, 0, -2,
            2, -1, 0, 1, 1, 0, 0, 1, -1, 2, 1, 0,
            0, 0, 1, 1, -2, 1, 1, 0, 0, 3, -1, 1,
            1, -1, 1, -1, 0, 2, -2, 0, 1, 0, 2, -1]),
        new([4], [1, -1, 0, 2]),
        new([1, 4, 2, 2], [
            1, -1, 2, 0,
            0, 1, 1, -2,
            3, 0, -1, 1,
            1, 2, 0, -1]));

    /// <summary>Both examples.</summary>
    public static IReadOnlyList<WorkedExample> All { get; } = [Eq1, Figure2];

    /// <summary>The layer: stride 1, no padding, one group, bias, float64, no activation, no clipping.</summary>
    public CaseConfig Config => new(
        Shape: new(N: Input.Shape[0], Cin: Input.Shape[1], H: Input.Shape[2], W: Input.Shape[3],
            Cout: Weights.Shape[0], KH: Weights.Shape[2], KW: Weights.Shape[3]),
        Geometry: CaseGeometry.Default, Bias: true, Dtype: CaseDtype.F64, Activation: ActivationKind.Identity, Clip: null, ValueSeed: 0);

    /// <summary>The values as the harness holds a case's inputs.</summary>
    public CaseInputs Inputs => new(Input, Weights, Bias, Delta, null);

    /// <summary>ConvRef's y, dJ/da, dJ/dw, dJ/db, all exact.</summary>
    public IReadOnlyList<SnapshotTensor> Results() => SnapshotResults.Compute(Config, Inputs, exact: true);

    /// <summary>The snapshot of <paramref name="results"/>: the inputs, then the results, compared exactly.</summary>
    public SnapshotDocument Snapshot(IReadOnlyList<SnapshotTensor> results)
    {
        var document = new SnapshotDocument();
        var root = document.Root;
        root["scenario"] = Name;
        root["description"] = Description;
        root["tolerance"] = "exact: integer values, every result is an integer computed without rounding";
        root["dtype"] = "f64";
        var inputs = new JsonObject();
        root["inputs"] = inputs;
        foreach (var (name, tensor) in new[] { ("a", Input), ("w", Weights), ("b", Bias), ("delta", Delta) })
            inputs[name] = new JsonObject
            {
                ["shape"] = TensorSnapshot.Shape(tensor.Shape),
                ["values"] = new JsonArray([.. tensor.Data.Select(v => JsonValue.Create(v))]),
            };
        TensorSnapshot.AddAll(document, results, CaseDtype.F64);
        return document;
    }
}

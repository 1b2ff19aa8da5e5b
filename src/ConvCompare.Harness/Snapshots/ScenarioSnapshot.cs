using System.Text.Json.Nodes;
using ConvCompare.Cases;
using ConvCompare.Runner;

namespace ConvCompare.Snapshots;

/// <summary>
/// The snapshot of one <see cref="Scenario"/>: its id and configuration, ConvRef's results with their
/// rounding tolerances, and the harness's verdicts (pass/fail and decade of the bound ratio, never
/// TorchSharp's raw numbers, which depend on the CPU libtorch picks kernels for).
/// </summary>
internal static class ScenarioSnapshot
{
    /// <summary>The case of <paramref name="scenario"/>.</summary>
    /// <exception cref="InvalidOperationException">The table holds an id the harness does not accept (a bug in the table).</exception>
    public static CaseConfig Config(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (!CaseId.TryParse(scenario.CaseId, out var config, out string error))
            throw new InvalidOperationException($"scenario {scenario.Name}: {error}");
        return config;
    }

    /// <summary>ConvRef's results for the scenario, with tolerances.</summary>
    public static IReadOnlyList<SnapshotTensor> Results(Scenario scenario)
    {
        var config = Config(scenario);
        return SnapshotResults.Compute(config, CaseInputs.Create(config), exact: false);
    }

    /// <summary>The harness's verdicts on the scenario's case: ConvRef serial and vectorized against TorchSharp and the numeric check.</summary>
    public static IReadOnlyList<CaseResult> Verdicts(Scenario scenario) =>
        CaseRunner.Create().Run(Config(scenario));

    /// <summary>The document of <paramref name="results"/> and <paramref name="verdicts"/>.</summary>
    public static SnapshotDocument Snapshot(Scenario scenario, IReadOnlyList<SnapshotTensor> results, IReadOnlyList<CaseResult> verdicts)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(verdicts);
        var config = Config(scenario);
        var document = new SnapshotDocument();
        var root = document.Root;
        root["scenario"] = scenario.Name;
        root["covers"] = scenario.Covers;
        root["case_id"] = scenario.CaseId;
        root["tolerance"] = "per number, from its rounding bound: 2 gamma_K m (m summed by the harness from the conv2d definition on absolute values); statistics and verdicts as docs/snapshots.md says";
        root["config"] = ConfigNode(config);
        // Only at second order, so that every first-order scenario's file is what it was.
        if (config.Order == 2)
            root["config"]!["order"] = config.Order;
        if (config.Family is { } family)
            root["family"] = FamilyNode(config, family);
        root["stored_algorithm"] = SnapshotResults.Stored.Name;
        TensorSnapshot.AddAll(document, results, config.Dtype);
        VerdictSnapshot.Add(document, verdicts);
        return document;
    }

    /// <summary>What a family case adds to <see cref="ConfigNode"/>'s fields (its 2-D ones being the height and width axes): the operation, the padding mode and spelling, and its tensors' shapes.</summary>
    private static JsonObject FamilyNode(CaseConfig c, CaseFamily family) => new()
    {
        ["op"] = family.Op.Name(),
        ["padding_mode"] = family.Mode.Token(),
        ["padding"] = family.Padding.ToString().ToLowerInvariant(),
        ["batched"] = family.Batched,
        ["input_shape"] = TensorSnapshot.Shape(c.InputShape),
        ["weight_shape"] = TensorSnapshot.Shape(c.WeightShape),
        ["output_shape"] = TensorSnapshot.Shape(c.OutputShape),
    };

    private static JsonObject ConfigNode(CaseConfig c) => new()
    {
        ["dtype"] = c.Dtype == CaseDtype.F32 ? "f32" : "f64",
        ["n"] = c.Shape.N,
        ["cin"] = c.Shape.Cin,
        ["h"] = c.Shape.H,
        ["w"] = c.Shape.W,
        ["cout"] = c.Shape.Cout,
        ["kh"] = c.Shape.KH,
        ["kw"] = c.Shape.KW,
        ["stride"] = TensorSnapshot.Shape([c.Geometry.StrideH, c.Geometry.StrideW]),
        ["padding"] = TensorSnapshot.Shape([c.Geometry.PadTop, c.Geometry.PadBottom, c.Geometry.PadLeft, c.Geometry.PadRight]),
        ["dilation"] = TensorSnapshot.Shape([c.Geometry.DilationH, c.Geometry.DilationW]),
        ["groups"] = c.Geometry.Groups,
        ["bias"] = c.Bias,
        ["activation"] = CaseId.ActivationToken(c.Activation),
        ["clip"] = c.Clip,
        ["value_seed"] = c.ValueSeed,
    };
}

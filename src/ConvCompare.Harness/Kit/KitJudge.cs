using System.Diagnostics;
using System.Globalization;
using ConvCompare.Cases;
using ConvCompare.Comparison;
using ConvCompare.Golden;
using ConvCompare.Golden.Safetensors;
using ConvCompare.Limits;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using ConvCompare.Runner;
using ConvRef;

namespace ConvCompare.Kit;

/// <summary>
/// Judges the output files an outside program wrote for a kit, with the independent yardstick alone:
/// every output tensor against <see cref="CompensatedReference"/> (the definition of conv2d, summed
/// with Dot2) on the kit's own input files, under the rounding bound of the output's dtype plus the
/// reference's (<see cref="RoundingBound.Between"/>), magnitudes from <see cref="DefinitionSums"/>.
/// A second-order case's d2x, d2w and d2dy are judged the same way against <see cref="DoubleBackwardReference"/>
/// (which the compensated reference hands them to), their bounds from <see cref="SecondOrderMagnitudes"/>.
/// Nothing of the implementation is needed, nor TorchSharp, which only adds a note when asked for.
/// </summary>
/// <remarks>
/// Output files are untrusted input: only regular files are read, their size is checked against the
/// memory limit before they are opened, the safetensors header is bounded (<see cref="SafetensorsFile"/>),
/// and every name quoted from one is shortened and escaped. A file that breaks the contract is one
/// sentence naming it and the rule; the other cases are judged all the same.
/// </remarks>
/// <param name="kit">The kit's folder.</param>
/// <param name="outputs">The folder of the output files (the kit's <see cref="KitFormat.OutputsFolder"/> by default).</param>
/// <param name="limits">The work, memory and file-size limits each case is held to.</param>
/// <param name="torch">TorchSharp, when asked for; else null.</param>
internal sealed class KitJudge(string kit, string outputs, ResourceLimits limits, ILayerEngine? torch)
{
    /// <summary>Judges every case of <paramref name="cases"/> and lists the outputs folder's strays.</summary>
    public KitJudgement Judge(IReadOnlyList<CaseConfig> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var clock = Stopwatch.StartNew();
        var verdicts = cases.Select(Judge).ToList();
        return new KitJudgement(kit, outputs, verdicts, Strays(cases), torch is not null, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The verdict on one case.</summary>
    public KitCaseVerdict Judge(CaseConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        string id = CaseId.Format(config);
        string output = Path.Combine(outputs, KitFormat.FileName(id));
        var plan = new CostPlan(Serial: false, Vectorized: false, OracleRuns: torch is null ? 0 : 1, GradientCheck: false, "judge" + (torch is null ? "" : " --torch"));
        if ((CaseCost.Unrunnable(config, plan) ?? limits.Refusal($"judging case {id}", CaseCost.Of(config, plan))) is { } refusal)
            return KitCaseVerdict.Unusable(config, output, $"{Shown(output)}: {refusal}");
        if (!Path.Exists(output))
            return KitCaseVerdict.Unusable(config, output,
                $"{Shown(output)}: the output file is missing; the implementation must write {string.Join(", ", KitFormat.Outputs(config).Select(o => o.Name))} of case {id} there");
        SafetensorsFile file;
        try
        {
            file = SafetensorsFile.Read(output, limits.MaxFileBytes);
        }
        catch (GoldenFileException ex)
        {
            return KitCaseVerdict.Unusable(config, output, ex.Message);
        }
        if (OutputProblem(file, config) is { } problem)
            return KitCaseVerdict.Unusable(config, output, $"{Shown(output)}: {problem}");
        CaseInputs inputs;
        try
        {
            inputs = ReadInputs(config);
        }
        catch (GoldenFileException ex)
        {
            return KitCaseVerdict.Unusable(config, output, ex.Message);
        }

        var bound = RoundingBound.Compute(config, inputs);
        var yardstick = Arithmetic.For(config.Dtype);
        var references = new Dictionary<TensorKind, Tensor<double>>();
        var tensors = new List<TensorVerdict>();
        foreach (var (kind, name, shape) in KitFormat.Outputs(config))
        {
            var reference = references[kind] = CompensatedReference.Compute(config, inputs, kind);
            var actual = new Tensor<double>(shape, file.ReadDoubles(name));
            var comparison = TensorComparison.Compare(kind, actual, reference, bound.Between(kind, yardstick, Arithmetic.CompensatedFloat64), config.Dtype);
            tensors.Add(new TensorVerdict(kind, null, comparison, comparison.Pass ? [] : Evidence(name, actual, reference, comparison)));
        }
        return new KitCaseVerdict(config, output, null, tensors, torch is null ? null : TorchAgainst(config, inputs, bound, references));
    }

    /// <summary>The worst out-of-bound elements with both values, e.g. <c>dw[0,1,2,2]: output 0.5, reference 0.25</c>.</summary>
    private static string[] Evidence(string name, Tensor<double> actual, Tensor<double> reference, TensorComparison comparison) =>
        [.. comparison.OutOfBound.Select(i => string.Create(CultureInfo.InvariantCulture,
            $"{TensorComparison.ElementName(name, actual.Shape, i)}: output {actual.Data[i]:R}, reference {reference.Data[i]:R}"))];

    /// <summary>What breaks the contract in an output file: a tensor it must not have, a missing one, or one of the wrong dtype or shape; null when none.</summary>
    private static string? OutputProblem(SafetensorsFile file, CaseConfig config)
    {
        var expected = KitFormat.Outputs(config);
        string names = string.Join(", ", expected.Select(e => e.Name));
        foreach (string name in file.Tensors.Keys.Order(StringComparer.Ordinal))
        {
            if (!expected.Any(e => e.Name == name))
                return $"the tensor '{UntrustedText.Show(name)}' is not an output of this case{Misnamed(name, config)}; its outputs are {names}";
        }
        string stored = KitFormat.StoredDType(config.Dtype);
        foreach (var (kind, name, shape) in expected)
        {
            if (!file.Tensors.TryGetValue(name, out var entry))
                return $"the output '{name}' is missing; this case's outputs are {names}";
            if (entry.DType != stored)
                return $"the output '{name}' is {UntrustedText.Show(entry.DType)}, but the case is {GoldenFormat.DTypeText(config.Dtype)}, so every output must be {stored}";
            if (!entry.Shape.SequenceEqual(shape))
                return $"the output '{name}' has shape {entry.ShapeText} but must be {SafetensorsEntry.Format(shape)}, {(config.Family is null ? ShapeRule(kind) : FamilyShapeRule(kind, config))}";
        }
        return null;
    }

    /// <summary>Why a tensor the case does not have may have been written: the other name of the input gradient, or a bias gradient without bias.</summary>
    private static string Misnamed(string name, CaseConfig config) => name switch
    {
        KitFormat.Dx when config.Activation != ActivationKind.Identity =>
            $" (with the activation {KitFormat.ActivationName(config.Activation)}, the input gradient is delta^(l-1) = dJ/da .* g'(z), named '{KitFormat.Delta}')",
        KitFormat.Delta when config.Activation == ActivationKind.Identity => $" (without an activation, the input gradient is dJ/da, named '{KitFormat.Dx}')",
        KitFormat.Db when !config.Bias => " (the case has no bias)",
        _ => "",
    };

    private static string ShapeRule(TensorKind kind) => kind switch
    {
        TensorKind.Y => "the shape of dy (N, C_out, H_out, W_out)",
        TensorKind.Dx => "the shape of a (N, C_in, H, W)",
        TensorKind.Dw => "the shape of w (C_out, C_in/groups, kH, kW)",
        TensorKind.Db => "the shape of b (C_out)",
        TensorKind.D2x => "the shape of a (N, C_in, H, W), as dL/da",
        TensorKind.D2w => "the shape of w (C_out, C_in/groups, kH, kW), as dL/dw",
        _ => "the shape of dy (N, C_out, H_out, W_out), as dL/d(dy)",
    };

    /// <summary>The rule of a family case's output shape, in its operation's words (its input and output have one size per spatial axis, and may be unbatched).</summary>
    private static string FamilyShapeRule(TensorKind kind, CaseConfig config) => kind switch
    {
        TensorKind.Y => $"the shape of dy, the {config.Op.Name()} output",
        TensorKind.Dx => "the shape of a",
        TensorKind.Dw => config.Op.Transposed() ? "the shape of w (C_in, C_out/groups, kernel...)" : "the shape of w (C_out, C_in/groups, kernel...)",
        TensorKind.Db => "the shape of b (C_out)",
        TensorKind.D2x => "the shape of a, as dL/da",
        TensorKind.D2w => "the shape of w, as dL/dw",
        _ => "the shape of dy, as dL/d(dy)",
    };

    /// <summary>The kit's input file of <paramref name="config"/>, checked against the contract like any file read.</summary>
    /// <exception cref="GoldenFileException">The input file is unusable.</exception>
    private CaseInputs ReadInputs(CaseConfig config)
    {
        string path = Path.Combine(kit, KitFormat.InputsFolder, KitFormat.FileName(CaseId.Format(config)));
        var file = SafetensorsFile.Read(path, limits.MaxFileBytes);
        string stored = KitFormat.StoredDType(config.Dtype);
        foreach (var (name, shape) in KitFormat.Inputs(config))
        {
            if (!file.Tensors.TryGetValue(name, out var entry) || entry.DType != stored || !entry.Shape.SequenceEqual(shape))
                throw new GoldenFileException(path, $"the kit's input '{name}' is missing or is not {stored} of shape {SafetensorsEntry.Format(shape)}; write the kit again");
        }
        Tensor<double> Load(string name) => new([.. file.Tensors[name].Shape], file.ReadDoubles(name));
        return new CaseInputs(Load(KitFormat.A), Load(KitFormat.W), config.Bias ? Load(KitFormat.B) : null, Load(KitFormat.Dy),
            config.Activation == ActivationKind.Identity ? null : Load(KitFormat.Z))
        {
            SecondOrder = config.Order == 2
                ? new SecondOrderUpstream(Load(KitFormat.GgA), Load(KitFormat.GgW), config.Bias ? Load(KitFormat.GgB) : null)
                : null,
        };
    }

    /// <summary>TorchSharp's outputs in the case's dtype against the same reference and bound: an oracle note.</summary>
    private TorchNote TorchAgainst(CaseConfig config, CaseInputs inputs, RoundingBound bound, Dictionary<TensorKind, Tensor<double>> references)
    {
        try
        {
            var computed = torch!.Compute(config, inputs, config.Dtype);
            var yardstick = Arithmetic.For(config.Dtype);
            return new TorchNote([.. references.Where(r => computed[r.Key] is not null).Select(r => TensorComparison.Compare(r.Key, computed[r.Key]!, r.Value,
                bound.Between(r.Key, yardstick, Arithmetic.CompensatedFloat64), config.Dtype))], null);
        }
        catch (Exception ex) when (EngineFailure.IsOwn(ex))
        {
            return new TorchNote([], EngineFailure.Describe(ex));
        }
    }

    /// <summary>One sentence per entry of the outputs folder that no case of the kit asks for (hidden files, such as a writer's temporaries, aside).</summary>
    private List<StrayFile> Strays(IReadOnlyList<CaseConfig> cases)
    {
        if (!Directory.Exists(outputs))
            return [];
        var expected = cases.Select(c => KitFormat.FileName(CaseId.Format(c))).ToHashSet(StringComparer.Ordinal);
        try
        {
            return [.. Directory.EnumerateFileSystemEntries(outputs)
                .Where(e => !Path.GetFileName(e).StartsWith('.') && !expected.Contains(Path.GetFileName(e)))
                .Order(StringComparer.Ordinal)
                .Select(e => new StrayFile(e, $"{Shown(e)}: no case of the kit has this output file; an implementation writes {KitFormat.OutputsFolder}/<case id>{GoldenFormat.Extension} for the ids in {KitFormat.Manifest}, and nothing else"))];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [new StrayFile(outputs, $"{Shown(outputs)}: the outputs folder cannot be listed ({UntrustedText.Show(ex.Message.TrimEnd('.'))})")];
        }
    }

    private static string Shown(string path) => UntrustedText.Escape(path);
}

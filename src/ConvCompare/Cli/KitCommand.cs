using System.CommandLine;
using System.Globalization;
using ConvCompare.Cases;
using ConvCompare.Files;
using ConvCompare.Kit;
using ConvCompare.Limits;

namespace ConvCompare.Cli;

/// <summary>
/// <c>convcompare kit &lt;folder&gt;</c>: writes a conformance kit, seeded cases as safetensors input files
/// and a manifest naming the output file each case asks of an implementation (docs/kit.md), for any
/// program in any language to fill and <c>judge</c> to judge.
/// </summary>
internal static class KitCommand
{
    /// <summary>Default number of cases: small enough for a plain interpreted implementation to finish in seconds.</summary>
    public const int DefaultCases = 20;

    internal static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "A new or empty folder to write the kit into (created if missing)." };
        var seed = SharedOptions.Seed();
        var cases = new Option<int>("--cases") { HelpName = "N", Description = $"How many generated cases (1..{KitManifest.MaxCases}).", DefaultValueFactory = _ => DefaultCases };
        var tier = new Option<string>("--tier") { Description = "Which cases, as run draws them: mixed, edge, realistic, special.", DefaultValueFactory = _ => CaseTiers.Name(CaseTier.Edge) };
        tier.AcceptOnlyFromAmong([.. CaseTiers.Names]);
        var dtype = new Option<string>("--dtype") { Description = "Dtype of the cases: f32, f64 or both (drawn per case).", DefaultValueFactory = _ => "both" };
        dtype.AcceptOnlyFromAmong("f32", "f64", "both");
        var order = new Option<int>("--order")
        {
            Description = "1: first order; 2: every uniform-valued case, the family's included, also asks for the double backward (inputs ggx, ggw, ggb; outputs d2x, d2w, d2dy).",
            DefaultValueFactory = _ => 1,
        };
        var family = new Option<int>("--family")
        {
            HelpName = "N",
            Description = $"Cases of the convolution family (conv1d, conv3d, conv_transpose1d/2d/3d, conv2d with padding modes, same/valid, unbatched) after the --cases conv2d cases, as run draws them (0..{KitManifest.MaxCases}; none by default). A kit with one is schema_version 2.",
            DefaultValueFactory = _ => 0,
        };
        var op = new Option<string?>("--op") { Description = "Cases of one operation of the family alone: --cases cases of it, the padding modes in turn." };
        op.AcceptOnlyFromAmong([.. CaseOps.Names]);
        var ids = new Option<string[]>("--case")
        {
            HelpName = "ID",
            Description = "A case by its id (repeatable), e.g. one that judge reported; replaces the generated cases.",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("kit", "Write a conformance kit: seeded conv2d (and, asked for, convolution family) cases as safetensors inputs and a manifest of the outputs an implementation must write.");
        command.Arguments.Add(folder);
        foreach (var option in new Option[] { seed, cases, tier, dtype, order, family, op, ids })
            command.Options.Add(option);
        var limits = LimitOptions.AddTo(command);
        command.SetAction(parse =>
        {
            if (!limits.TryRead(parse, out var resourceLimits, out string limitError))
                return ExitCodes.Bad(limitError);
            string target = parse.GetValue(folder)!;
            if (parse.GetValue(order) is not (1 or 2) and var orderValue)
                return ExitCodes.Bad(string.Create(CultureInfo.InvariantCulture, $"--order {orderValue} must be 1 (first order) or 2 (also the double backward)"));
            string[] named = parse.GetValue(ids) ?? [];
            List<CaseConfig> configs;
            KitOrigin origin;
            if (named.Length > 0)
            {
                configs = [];
                foreach (string id in named)
                {
                    if (!CaseId.TryParse(id, out var config, out string error))
                        return ExitCodes.Bad("--case: " + error);
                    if (config.Clip is not null)
                        return ExitCodes.Bad($"--case {id} clips dJ/dw, which a kit does not ask of an implementation; give the id without -clip");
                    configs.Add(config);
                }
                configs = [.. configs.Distinct()];
                var dtypes = configs.Select(c => c.Dtype).Distinct().ToList();
                origin = new KitOrigin(null, null, dtypes.Count > 1 ? "both" : dtypes[0] == CaseDtype.F32 ? "f32" : "f64");
            }
            else
            {
                int count = parse.GetValue(cases), familyCount = parse.GetValue(family);
                if (count < 1 || count > KitManifest.MaxCases)
                    return ExitCodes.Bad(string.Create(CultureInfo.InvariantCulture, $"--cases {count} must be between 1 and {KitManifest.MaxCases}"));
                if (familyCount < 0 || count + familyCount > KitManifest.MaxCases)
                    return ExitCodes.Bad(string.Create(CultureInfo.InvariantCulture, $"--family {familyCount} must be at least 0, and with --cases {count} at most {KitManifest.MaxCases} cases in all"));
                string dtypeText = parse.GetValue(dtype)!, tierText = parse.GetValue(tier)!;
                var generator = new CaseGenerator(parse.GetValue(seed), new CaseGeneratorOptions
                {
                    Dtypes = dtypeText switch { "f32" => DtypeChoice.F32, "f64" => DtypeChoice.F64, _ => DtypeChoice.Both },
                    Tier = CaseTiers.Parse(tierText),
                    Order = parse.GetValue(order),
                    FamilyCases = familyCount,
                    Op = parse.GetValue(op) is { } opName ? CaseOps.Parse(opName) : null,
                });
                configs = [.. generator.Sweep(count, Shard.All).Select(c => KitWriter.KitCase(c.Case)).Distinct()];
                origin = new KitOrigin(generator.Seed, tierText, dtypeText);
            }
            if (FolderProblem(target) is { } folderProblem)
                return ExitCodes.Bad(folderProblem);
            double bytes = configs.Sum(InputBytes);
            if (resourceLimits.Refusal($"kit {target} with {configs.Count} case(s)", new Cost(0, configs.Max(InputBytes) * 2, bytes)) is { } refusal)
                return ExitCodes.Bad(refusal);
            try
            {
                KitWriter.Write(target, configs, origin);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return ExitCodes.Unfinished($"writing the kit into {target} failed ({ex.Message.TrimEnd('.')}); the files written before are whole, and without {KitFormat.Manifest} the folder is no kit");
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"kit: wrote {configs.Count} case(s) to {target}: {KitFormat.Manifest}, {KitFormat.InputsFolder}/ (one input file per case) and an empty {KitFormat.OutputsFolder}/ for the implementation's files (docs/kit.md)"));
            Console.WriteLine("then judge them with: " + CommandText.Of("judge", target));
            return ExitCodes.Passed;
        });
        return command;
    }

    /// <summary>Bytes of a case's input file, about: every input tensor in the case's dtype.</summary>
    private static double InputBytes(CaseConfig config) =>
        KitFormat.Inputs(config).Sum(t => t.Shape.Aggregate(1.0, (p, d) => p * d)) * (config.Dtype == CaseDtype.F32 ? 4 : 8);

    /// <summary>Null when <paramref name="folder"/> is new or empty and files can be created in it (it is created), else one sentence.</summary>
    private static string? FolderProblem(string folder)
    {
        if (File.Exists(folder))
            return $"{folder} is a file; give a new or empty folder";
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            return $"the folder {folder} is not empty; give a new or empty folder, so that no earlier kit's inputs or outputs mix with this one's";
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return $"{folder} cannot be created as a folder ({ex.Message.TrimEnd('.')})";
        }
        return AtomicFile.Problem(Path.Combine(folder, KitFormat.Manifest)) is { } problem ? $"{folder}: {problem}" : null;
    }
}

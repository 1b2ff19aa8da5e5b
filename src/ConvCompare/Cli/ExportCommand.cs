using System.CommandLine;
using System.Globalization;
using ConvCompare.Implementations;
using ConvCompare.Cases;
using ConvCompare.Files;
using ConvCompare.Golden;
using ConvCompare.Oracles;

namespace ConvCompare.Cli;

/// <summary>
/// <c>convcompare export --cases N --seed S --out DIR [--dtype f32|f64|both] [--order 1|2] [--family N] [--op NAME]</c>: writes the harness's
/// cases as golden safetensors files with expected values from TorchSharp autograd in float64, for
/// PyTorch, JAX or NumPy users to check against (and for <c>golden</c> to read back).
/// </summary>
internal static class ExportCommand
{
    /// <summary>More cases than this is a typo, not a request: each is a file.</summary>
    private const int MaxCases = 100_000;

    internal static Command Create()
    {
        var cases = new Option<int>("--cases") { Description = $"How many cases to write (1..{MaxCases}).", DefaultValueFactory = _ => 20 };
        var seed = SharedOptions.Seed();
        var output = new Option<string>("--out") { Description = "Directory to write the .safetensors files into (created if missing).", Required = true };
        var dtype = SharedOptions.Dtype();
        var order = new Option<int>("--order")
        {
            Description = "1: first order only; 2: every case, the family's included, also carries the double backward's entries (ggx, ggw, ggb, d2x, d2w, d2dy).",
            DefaultValueFactory = _ => 1,
        };
        order.AcceptOnlyFromAmong("1", "2");
        var family = new Option<int>("--family")
        {
            HelpName = "N",
            Description = $"Cases of the convolution family (conv1d, conv3d, conv_transpose1d/2d/3d, conv2d with padding modes, same/valid, unbatched) written after the --cases conv2d cases, as run draws them (0..{MaxCases}; none by default).",
            DefaultValueFactory = _ => 0,
        };
        var op = new Option<string?>("--op") { Description = "Write cases of one operation of the family alone: --cases cases of it, the padding modes in turn." };
        op.AcceptOnlyFromAmong([.. CaseOps.Names]);

        var command = new Command("export", "Write generated conv2d (and, asked for, convolution family) cases as golden safetensors files, expected values from TorchSharp autograd in float64.")
        {
            cases, seed, output, dtype, order, family, op,
        };
        command.SetAction(result => Run(result.GetValue(cases), result.GetValue(seed), result.GetValue(output)!,
            result.GetValue(dtype)!, Console.Out, Console.Error, result.GetValue(order), result.GetValue(family), result.GetValue(op)));
        return command;
    }

    internal static int Run(int cases, ulong seed, string directory, string dtype, TextWriter output, TextWriter error, int order = 1,
        int family = 0, string? op = null)
    {
        if (cases is < 1 or > MaxCases)
        {
            error.WriteLine($"export: --cases must be between 1 and {MaxCases}, not {cases}.");
            return ExitCodes.BadArguments;
        }
        if (family is < 0 or > MaxCases)
        {
            error.WriteLine($"export: --family must be between 0 and {MaxCases}, not {family}.");
            return ExitCodes.BadArguments;
        }
        if (OutputProblem(directory) is { } outputProblem)
        {
            error.WriteLine("export: " + outputProblem + ".");
            return ExitCodes.BadArguments;
        }
        if (TorchRuntime.Problem is { } problem)
        {
            error.WriteLine("export: " + problem);
            return ExitCodes.TorchUnavailable;
        }
        var choice = dtype switch
        {
            "f32" => DtypeChoice.F32,
            "f64" => DtypeChoice.F64,
            _ => DtypeChoice.Both,
        };
        IReadOnlyList<string> paths;
        try
        {
            var options = new CaseGeneratorOptions { Dtypes = choice, Order = order, FamilyCases = family, Op = op is null ? null : CaseOps.Parse(op) };
            paths = GoldenExporter.Export(new CaseGenerator(seed, options), cases, directory, ImplementationRegistry.CreateOracle());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ExitCodes.Unfinished($"export: writing into --out '{directory}' failed ({ex.Message.TrimEnd('.')}); the files written before are whole, the one being written was not left behind", error);
        }
        foreach (string path in paths)
            output.WriteLine(path);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"export: wrote {paths.Count} golden files to {directory}; check them with: {CommandText.Of("golden", directory)}"));
        return ExitCodes.Passed;
    }

    /// <summary>Null when files can be created in <paramref name="directory"/> (made if missing), else why not.</summary>
    private static string? OutputProblem(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return $"--out '{directory}' cannot be created as a directory ({ex.Message.TrimEnd('.')})";
        }
        return AtomicFile.Problem(Path.Combine(directory, "probe" + GoldenFormat.Extension)) is { } problem ? $"--out '{directory}': {problem}" : null;
    }
}

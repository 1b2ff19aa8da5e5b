using System.CommandLine;
using ConvCompare.Cases;
using ConvCompare.Limits;
using ConvCompare.Oracles;
using ConvCompare.Reports;
using ConvCompare.Runner;

namespace ConvCompare.Cli;

/// <summary><c>convcompare run</c>: the randomized sweep of ConvRef against TorchSharp.</summary>
internal static class RunCommand
{
    /// <summary>Default number of cases: with both dtypes, both implementations and the mixed tier (four realistic layers among them) well under a minute here (2 cores), so the README's main command is a real sweep.</summary>
    public const int DefaultCases = 2000;

    /// <summary>Family cases after the default sweep's conv2d cases in the mixed tier: every operation and padding mode many times over, a small share of the sweep's time.</summary>
    public const int DefaultFamilyCases = 480;

    /// <summary>Second-order cases the default sweep appends (with <c>--order mixed</c> in the mixed tier): a small share that keeps it well under a minute.</summary>
    public const int DefaultSecondOrderCases = 40;

    /// <summary>Second-order family cases appended last (with <c>--order mixed</c> or <c>2</c> in the mixed tier): every operation and padding mode to second order, a small share of the time.</summary>
    public const int DefaultFamilySecondOrderCases = 60;

    /// <summary>Cases with infinite weights (half of them depthwise, half at a stride above 1) appended last in the mixed tier (not with <c>--order 2</c>, as the first-order family cases) and the special tier: a handful of small layers.</summary>
    public const int DefaultInfiniteWeightCases = 20;

    /// <summary>
    /// An appended share scaled to <paramref name="cases"/> as <paramref name="atDefault"/> is to <see cref="DefaultCases"/>,
    /// rounded up, so every sweep of the mixed tier has at least one case of each kind and <c>--cases</c> sizes the whole sweep.
    /// </summary>
    public static int Share(int cases, int atDefault) => (int)(((long)cases * atDefault + DefaultCases - 1) / DefaultCases);

    /// <summary>Default seed, fixed so the default command gives the same cases everywhere.</summary>
    public const ulong DefaultSeed = SharedOptions.DefaultSeed;

    /// <summary>
    /// Cases a sweep of tier <paramref name="tierName"/> runs when --cases is not given: the realistic tier's
    /// layers cost seconds each, so it runs one of each family, which is what it is for.
    /// </summary>
    internal static int DefaultCasesOf(string tierName) =>
        tierName == CaseTiers.Name(CaseTier.Realistic) ? RealisticLayers.Count : DefaultCases;

    internal static Command Create()
    {
        var cases = new Option<int?>("--cases") { HelpName = "N", Description = $"Cases in the sweep; by default {DefaultCases}, and with --tier realistic {RealisticLayers.Count}, one layer of each realistic family." };
        var seed = SharedOptions.Seed();
        var shard = new Option<string>("--shard") { HelpName = "i/n", Description = "Run slice i of n (1 <= i <= n) of the sweep, e.g. 2/4; the union of all n slices is the whole sweep.", DefaultValueFactory = _ => "1/1" };
        var dtype = SharedOptions.Dtype();
        var tier = new Option<string>("--tier")
        {
            Description = "Which cases: mixed (edge cases with a share of special-value cases and a few realistic layers, then invalid configurations every implementation must refuse, one per rule and operation with the default --cases, scaled with it), or one tier alone: edge, realistic, special, errors (--cases invalid configurations, each to be refused with an argument error naming the parameter).",
            DefaultValueFactory = _ => CaseTiers.Name(CaseTier.Mixed),
        };
        tier.AcceptOnlyFromAmong([.. CaseTiers.Names, ErrorInputSweep.TierName]);
        var order = new Option<string>("--order")
        {
            Description = "Which cases are checked to second order (the double backward, as gradgradcheck): mixed (2 conv2d cases and 3 family cases per 100, rounded up, drawn on their own after the others, in the mixed tier), 1 (none), 2 (every conv2d case with uniform values, then the same 3 second-order family cases per 100 and no first-order family cases; special-value cases stay first order; with --op, every case of that operation).",
            DefaultValueFactory = _ => "mixed",
        };
        var family = new Option<int?>("--family")
        {
            HelpName = "N",
            Description = "Cases of the convolution family (conv1d, conv3d, conv_transpose1d/2d/3d, conv2d with padding modes, same/valid, unbatched) run after the --cases conv2d cases of the mixed tier; by default 24 per 100 conv2d cases (480 with the default 2000), rounded up.",
        };
        var op = new Option<string?>("--op") { Description = "Sweep one operation of the family alone: --cases cases of it, the padding modes in turn." };
        op.AcceptOnlyFromAmong([.. CaseOps.Names]);
        var impl = SharedOptions.Implementation();
        var threads = SharedOptions.Threads();
        var json = SharedOptions.Json();
        var junit = SharedOptions.JUnit();
        var failFast = new Option<bool>("--fail-fast") { Description = "Stop after the first failing case." };
        var strict = SharedOptions.StrictOracle();

        var command = new Command("run", "Compare ConvRef with TorchSharp autograd on a seeded sweep of random convolution layers.");
        foreach (var option in new Option[] { cases, seed, shard, dtype, tier, order, family, op, impl, threads, json, junit, failFast, strict })
            command.Options.Add(option);
        var limits = LimitOptions.AddTo(command);
        command.SetAction(parse =>
        {
            string dtypeText = parse.GetValue(dtype)!, implText = parse.GetValue(impl)!, tierText = parse.GetValue(tier)!;
            int count = parse.GetValue(cases) ?? DefaultCasesOf(tierText);
            if (count < 1 || count > 1_000_000)
                return ExitCodes.Bad($"--cases {count} must be between 1 and 1000000");
            string orderText = parse.GetValue(order)!;
            if (orderText is not ("mixed" or "1" or "2"))
                return ExitCodes.Bad($"--order {orderText} must be mixed, 1 or 2 (which cases are checked to second order)");
            int familyCount = parse.GetValue(family) ?? Share(count, DefaultFamilyCases);
            if (familyCount < 0 || familyCount > 1_000_000)
                return ExitCodes.Bad($"--family {familyCount} must be between 0 and 1000000");
            if (SharedOptions.ThreadsProblem(parse.GetValue(threads)) is { } threadsError)
                return ExitCodes.Bad(threadsError);
            if (!Shard.TryParse(parse.GetValue(shard)!, out var slice, out string shardError))
                return ExitCodes.Bad(shardError);
            if ((ReportPaths.Clash([("--json", parse.GetValue(json)?.FullName), ("--junit", parse.GetValue(junit)?.FullName)])
                 ?? ReportPaths.Problem(parse.GetValue(json), "--json") ?? ReportPaths.Problem(parse.GetValue(junit), "--junit")) is { } pathError)
                return ExitCodes.Bad(pathError);
            if (!limits.TryRead(parse, out var resourceLimits, out string limitError))
                return ExitCodes.Bad(limitError);

            bool errorsAlone = tierText == ErrorInputSweep.TierName;
            if (errorsAlone && (parse.GetValue(op) is not null || orderText != "mixed" || parse.GetValue(family) is not null))
                return ExitCodes.Bad("--tier errors runs invalid configurations only, one per rule and operation; --op, --order and --family choose valid cases and cannot be combined with it");
            var caseTier = errorsAlone ? CaseTier.Mixed : CaseTiers.Parse(tierText);
            var generatorOptions = new CaseGeneratorOptions
            {
                Dtypes = dtypeText switch { "f32" => DtypeChoice.F32, "f64" => DtypeChoice.F64, _ => DtypeChoice.Both },
                Tier = caseTier,
                Order = orderText switch { "1" => 1, "2" => 2, _ => null },
                FamilyCases = caseTier == CaseTier.Mixed && orderText != "2" ? familyCount : 0,
                SecondOrderCases = caseTier == CaseTier.Mixed ? Share(count, DefaultSecondOrderCases) : 0,
                FamilySecondOrderCases = caseTier == CaseTier.Mixed ? Share(count, DefaultFamilySecondOrderCases) : 0,
                Op = parse.GetValue(op) is { } opName ? CaseOps.Parse(opName) : null,
                InfiniteWeightCases = caseTier == CaseTier.Mixed && orderText != "2" || caseTier == CaseTier.Special ? Share(count, DefaultInfiniteWeightCases) : 0,
            };
            // The error-input tier alone has no valid cases; the mixed tier appends its share after every other case.
            int errorCount = errorsAlone ? count : caseTier == CaseTier.Mixed && generatorOptions.Op is null ? Share(count, ErrorInputSweep.DefaultCases) : 0;
            if (errorsAlone)
                count = 0;
            var generator = new CaseGenerator(parse.GetValue(seed), errorsAlone ? new CaseGeneratorOptions() : generatorOptions);
            var runner = SharedOptions.Runner(implText, parse.GetValue(threads));
            int reports = (parse.GetValue(json) is null ? 0 : 1) + (parse.GetValue(junit) is null ? 0 : 1);
            var cost = SweepCost.Of(generator, count, slice, SharedOptions.Plan(implText), runner.Implementations.Count + 1, reports, out int shardCases);
            int firstError = generator.SweepSize(count);
            var errorCases = ErrorInputSweep.Cases(generator.Seed, errorCount, firstError, slice).ToList();
            shardCases += errorCases.Count;
            if (shardCases == 0)
                return ExitCodes.Nothing($"shard {slice} of a sweep of {firstError + errorCount} case(s) holds no case (shard i/n runs cases i, i+n, i+2n, ...), so this run would test nothing");
            if (resourceLimits.Refusal($"run with --cases {count} --shard {slice} --impl {implText}", cost) is { } refusal)
                return ExitCodes.Bad(refusal);
            if (TorchRuntime.Problem is { } problem)
                return ExitCodes.NoTorch(problem);
            bool strictOracle = parse.GetValue(strict);
            var options = new SweepOptions(count, slice, parse.GetValue(failFast), strictOracle);
            var sweep = new Sweep(generator, runner);
            Console.WriteLine($"convcompare run: seed {generator.Seed}, {count} cases{(parse.GetValue(op) is { } only ? " of " + only : Appended(generatorOptions, generator.SweepSize(count) - count))}{(errorCount > 0 ? $", {errorCount} error inputs" : "")}, shard {slice}, tier {tierText}, dtype {dtypeText}, impl {implText}; ConvRef against TorchSharp {TorchRuntime.TorchSharpVersion} (libtorch {TorchRuntime.LibTorchVersion})");
            var outcome = ConsoleReport.WithProgress("comparing", progress => sweep.Run(options, progress));
            bool stopped = outcome.StoppedEarly || options.FailFast && outcome.Results.Any(r => Sweep.Fails(r, strictOracle));
            var errorInputs = stopped ? ([], 0) : ErrorInputSweep.Run(ErrorInputRunner.For(runner), errorCases, options.FailFast, strictOracle);
            int errorCasesRun = errorInputs.Results.Select(r => r.Id).Distinct().Count();
            stopped |= options.FailFast && errorCasesRun < errorCases.Count;
            // The whole sweep's size, family cases included, so that merge knows every shard's slice.
            var report = new RunReport("run", generator.Seed, firstError, slice, tierText, dtypeText, implText, new RunSummary(outcome.Results, strictOracle), outcome.Seconds + errorInputs.Seconds)
            {
                RequestedErrorCases = errorCount,
                ErrorInputs = errorInputs.Results,
            };
            ConsoleReport.WriteSummary(report);
            if (stopped)
                Console.WriteLine($"--fail-fast: stopped after {outcome.CaseCount + errorCasesRun} case(s).");
            return ReportPaths.Finish(report.ExitCode, ReportPaths.Write(report, parse.GetValue(json), parse.GetValue(junit)));
        });
        return command;
    }

    /// <summary>The header's words for the cases a sweep appends after its own: family cases, then second-order cases of conv2d and of the family, then infinite-weight cases.</summary>
    private static string Appended(CaseGeneratorOptions options, int appended)
    {
        int infinite = Math.Min(options.InfiniteWeightCases, appended);
        appended -= infinite;
        int family = Math.Min(options.FamilyCases, appended);
        int familySecondOrder = Math.Min(options.Order == 1 ? 0 : options.FamilySecondOrderCases, appended - family);
        int secondOrder = appended - family - familySecondOrder;
        return (family > 0 ? $", {family} of the family" : "") + (secondOrder > 0 ? $", {secondOrder} to second order" : "")
            + (familySecondOrder > 0 ? $", {familySecondOrder} of the family to second order" : "")
            + (infinite > 0 ? $", {infinite} with infinite weights" : "");
    }
}

using ConvCompare.Cases;
using ConvCompare.Cli;
using global::ConvRef;

namespace ConvCompare.Tests.Harness.Family;

/// <summary>
/// The default sweep's family cases cover every operation, every padding mode of every convolution and every
/// configuration class of PyTorch's <c>sample_inputs_conv1d/conv2d/conv3d/conv_transpose*</c> tables.
/// </summary>
public class FamilyGeneratorCoverageTests
{
    private static readonly List<CaseConfig> Cases = [.. new CaseGenerator(RunCommand.DefaultSeed, new CaseGeneratorOptions { FamilyCases = RunCommand.DefaultFamilyCases })
        .Sweep(RunCommand.DefaultCases, Shard.All).Where(p => p.Index >= RunCommand.DefaultCases).Select(p => p.Case)];

    public static TheoryData<string> Classes() => [.. Checks.Keys];

    private static readonly Dictionary<string, Func<CaseConfig, bool>> Checks = new()
    {
        ["stride above 1"] = c => c.Axes.Any(a => a.Stride > 1),
        ["integer padding, different before and after"] = c => Spelling(c) == CasePadding.Explicit && c.Axes.Any(a => a.PadBefore != a.PadAfter),
        ["integer padding, symmetric and non-zero"] = c => Spelling(c) == CasePadding.Explicit && c.Axes.All(a => a.PadBefore == a.PadAfter) && c.Axes.Any(a => a.PadBefore > 0),
        ["same with an odd total (extra after)"] = c => Spelling(c) == CasePadding.Same && c.Axes.Any(a => a.PadAfter == a.PadBefore + 1),
        ["same with dilation"] = c => Spelling(c) == CasePadding.Same && c.Axes.Any(a => a.Dilation > 1),
        ["valid"] = c => Spelling(c) == CasePadding.Valid,
        ["dilation different per axis"] = c => c.Axes.Select(a => a.Dilation).Distinct().Count() > 1,
        ["grouped"] = c => c.Geometry.Groups > 1 && c.Geometry.Groups < c.Shape.Cin,
        ["depthwise with a channel multiplier"] = c => c.Geometry.Groups == c.Shape.Cin && c.Shape.Cout == 2 * c.Shape.Cin,
        ["kernel as large as the input"] = c => !c.Op.Transposed() && c.Axes.All(a => a.Output == 1),
        ["1x1 kernel"] = c => c.Axes.All(a => a.Kernel == 1),
        ["no bias"] = c => !c.Bias,
        ["unbatched"] = c => c.Family is { Batched: false },
        ["transposed output padding at least the stride, below the dilation"] = c => c.Op.Transposed() && c.Axes.Any(a => a.OutputPadding >= a.Stride && a.OutputPadding < a.Dilation),
        ["transposed grouped with output padding"] = c => c.Op.Transposed() && c.Geometry.Groups > 1 && c.Axes.Any(a => a.OutputPadding > 0),
    };

    private static CasePadding Spelling(CaseConfig c) => c.Family?.Padding ?? CasePadding.Explicit;

    /// <summary>Whether a class applies to an operation: same, valid and a kernel filling the input to convolutions only, output padding to transposed ones, two dilations to two axes or more.</summary>
    private static bool Applies(string name, CaseOp op) => name switch
    {
        "valid" or "kernel as large as the input" => !op.Transposed(),
        _ when name.StartsWith("same", StringComparison.Ordinal) => !op.Transposed(),
        _ when name.StartsWith("transposed", StringComparison.Ordinal) => op.Transposed(),
        "dilation different per axis" => op.Rank() > 1,
        _ => true,
    };

    [Theory]
    [MemberData(nameof(Classes))]
    public void EveryOperation_HasACaseOfTheClass(string name)
    {
        var missing = CaseOps.All.Where(op => Applies(name, op) && !Cases.Any(c => c.Op == op && Checks[name](c))).Select(op => op.Name());
        Assert.Empty(missing);
    }

    [Fact]
    public void EveryConvolution_RunsInEveryPaddingMode()
    {
        foreach (var op in CaseOps.All.Where(o => !o.Transposed()))
            foreach (var mode in CaseOps.Modes)
                Assert.Contains(Cases, c => c.Op == op && c.PaddingMode == mode && c.Axes.Any(a => a.PadBefore + a.PadAfter > 0));
        Assert.All(Cases.Where(c => c.Op.Transposed()), c => Assert.Equal(CasePaddingMode.Zeros, c.PaddingMode));
    }

    [Fact]
    public void OpOption_SweepsOneOperationInEveryMode()
    {
        var only = new CaseGenerator(3, new CaseGeneratorOptions { Op = CaseOp.Conv3d, FamilyCases = 99 }).Sweep(8, Shard.All).ToList();
        Assert.Equal(8, only.Count);
        Assert.All(only, p => Assert.Equal(CaseOp.Conv3d, p.Case.Op));
        Assert.Equal(CaseOps.Modes, only.Take(4).Select(p => p.Case.PaddingMode));
    }
}

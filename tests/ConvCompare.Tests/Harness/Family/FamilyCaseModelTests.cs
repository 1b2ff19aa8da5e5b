using System.Text.Json.Nodes;
using ConvCompare.Cases;
using ConvCompare.Cli;
using ConvCompare.Snapshots;
using global::ConvRef;

namespace ConvCompare.Tests.Harness.Family;

/// <summary>
/// The family in the harness's case model: the original grammar's ids keep their meaning and their text,
/// family ids print and parse back to the same case, the family stream leaves the sweep's first cases
/// alone, and ConvRef's own rules accept every family case the generator draws, with the output shape the
/// harness computed on its own.
/// </summary>
public class FamilyCaseModelTests
{
    private static readonly CaseGenerator Default = new(RunCommand.DefaultSeed, new CaseGeneratorOptions { FamilyCases = RunCommand.DefaultFamilyCases });

    private static IEnumerable<CaseConfig> DefaultFamilyCases() =>
        Default.Sweep(RunCommand.DefaultCases, Shard.All).Where(p => p.Index >= RunCommand.DefaultCases).Select(p => p.Case);

    /// <summary>Every id stored in snapshots/ (the generator's and the scenarios').</summary>
    public static TheoryData<string> StoredIds()
    {
        string folder = SnapshotFolder.Locate(AppContext.BaseDirectory);
        var ids = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(Path.Combine(folder, "generator"), "*.json"))
            foreach (var id in JsonNode.Parse(File.ReadAllText(file))!["ids"]!.AsArray())
                ids.Add(id!.GetValue<string>());
        foreach (string file in Directory.GetFiles(Path.Combine(folder, "scenarios"), "*.json"))
            ids.Add(JsonNode.Parse(File.ReadAllText(file))!["case_id"]!.GetValue<string>());
        return ids;
    }

    [Theory]
    [MemberData(nameof(StoredIds))]
    public void StoredId_ParsesToItsGrammarsCaseAndPrintsTheSameText(string id)
    {
        Assert.True(CaseId.TryParse(id, out var config, out string error), error);
        Assert.Equal(id, CaseId.Format(config));
        if (id.StartsWith("conv", StringComparison.Ordinal))
        {
            Assert.Equal(id[..id.IndexOf('-')], config.Op.Name());
            return;
        }
        Assert.Null(config.Family);
        Assert.Equal(CaseOp.Conv2d, config.Op);
        Assert.Equal(CasePaddingMode.Zeros, config.PaddingMode);
        Assert.Equal([config.Shape.N, config.Shape.Cin, config.Shape.H, config.Shape.W], config.InputShape);
        Assert.Equal(id, CaseId.Format(config));
    }

    [Fact]
    public void FamilyStream_LeavesTheSweepsOwnCasesAsTheyWere()
    {
        var without = new CaseGenerator(RunCommand.DefaultSeed).Sweep(300, Shard.All).ToList();
        var with = new CaseGenerator(RunCommand.DefaultSeed, new CaseGeneratorOptions { FamilyCases = 40 }).Sweep(300, Shard.All).ToList();
        Assert.Equal(340, with.Count);
        Assert.Equal(without, with.Take(300));
        Assert.Contains(with.Skip(300), p => p.Case.Family is not null);
    }

    [Fact]
    public void FamilyIds_PrintAndParseBackToTheSameCase()
    {
        foreach (var c in DefaultFamilyCases())
        {
            string id = CaseId.Format(c);
            Assert.True(CaseId.TryParse(id, out var parsed, out string error), error);
            Assert.Equal(c, parsed);
            Assert.Equal(c.Family is null ? "n" : c.Op.Name(), id[..(c.Family is null ? 1 : id.IndexOf('-'))]);
        }
    }

    [Fact]
    public void EveryFamilyCaseOfTheDefaultSweep_IsALayerConvRefAcceptsWithTheHarnesssOutputShape()
    {
        foreach (var c in DefaultFamilyCases().Where(c => c.Family is not null))
        {
            var geometry = c.Op.Convolution().Geometry(c.InputShape, c.WeightShape, c.Family!.Spec(c.Geometry));
            Assert.Equal(c.OutputShape, geometry.OutputShape);
        }
    }

    [Theory]
    [InlineData("conv2d-n1c2h4w4-o2k3x3-s1x1-p1,1,1,1-d1x1-g1-f32-v1", "written without its family part")]
    [InlineData("conv1d-n1c2h4w4-o2k3-s1-p1,1-d1-g1-f32-v1", "must give 1 spatial size")]
    [InlineData("conv3d-n1c2d3h4w4-o2k3x3-s1x1x1-p0,0,0,0,0,0-d1x1x1-g1-f32-v1", "gives 2 value(s) of kernel size but conv3d needs 3")]
    [InlineData("conv1d-n1c2w4-o2k3-s2-psame-d1-g1-f32-v1", "padding 'same' needs stride 1")]
    [InlineData("conv1d-n1c2w4-o2k3-s1-p4,0-d1-g1-reflect-f32-v1", "reflect padding must be smaller than the input")]
    [InlineData("conv_transpose1d-n1c2w4-o2k3-s2-p0,0-op2-d1-g1-f32-v1", "output padding 2 must be smaller than the stride 2 or the dilation 1")]
    [InlineData("conv_transpose1d-n1c2w4-o2k3-s2-p0,0-op0-d1-g1-circular-f32-v1", "pads with zeros only")]
    [InlineData("conv1d-n2c2w4-o2k3-s1-p0,0-d1-g1-ub-f32-v1", "N must be 1")]
    [InlineData("conv_transpose1d-n1c2w4-o2k3-s2-p0,0-d1-g1-f32-v1", "canonical form is 'conv_transpose1d-n1c2w4-o2k3-s2-p0,0-op0-d1-g1-f32-v1'")]
    [InlineData("conv4d-n1c2w4-o2k3-s1-p0,0-d1-g1-f32-v1", "does not match <op>-")]
    public void BadFamilyId_IsRefusedWithOneSentenceNamingTheRule(string id, string expected)
    {
        Assert.False(CaseId.TryParse(id, out _, out string error));
        Assert.Contains(expected, error);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void PaddingSame_PutsTheExtraElementOfAnOddTotalAfter()
    {
        Assert.True(CaseId.TryParse("conv1d-n1c1w6-o1k4-s1-psame-d1-g1-f64-v3", out var c, out string error), error);
        Assert.Equal((1L, 2L), (c.Axes[0].PadBefore, c.Axes[0].PadAfter));
        Assert.Equal([1, 1, 6], c.OutputShape);
    }
}

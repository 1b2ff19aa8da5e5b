using ConvCompare.Cli;
using ConvCompare.Tests.Cli;

namespace ConvCompare.Tests.Harness.Family;

/// <summary><c>check</c> reruns a family case from its id, and <c>run --op</c> sweeps one operation; bad family input is one sentence.</summary>
[Collection(nameof(ConsoleCollection))]
public class FamilyCommandTests
{
    [Fact]
    public void CheckOfAFamilyId_RerunsThatCaseAndPasses()
    {
        const string id = "conv_transpose1d-n2c2w4-o4k3-s2-p1,1-op1-d1-g2-f64-v48";
        var (code, stdout, stderr) = ProgramRun.Invoke("check", id);
        Assert.True(code == ExitCodes.Passed, stderr + stdout);
        Assert.Contains(id, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckOfAFamilyId_NamesItsOperationShapesAndModeInTheConsoleAndTheJsonReport()
    {
        const string id = "conv3d-n1c1d3h4w4-o2k3x3x3-s1x1x1-psame-d1x1x1-g1-reflect-f64-relu-v47";
        string json = Path.Combine(Path.GetTempPath(), $"convcompare-family-{Guid.NewGuid():N}.json");
        try
        {
            var (code, stdout, stderr) = ProgramRun.Invoke("check", id, "--json", json);
            Assert.True(code == ExitCodes.Passed, stderr + stdout);
            Assert.Contains("conv3d: input 1x1x3x4x4, weights 2x1x3x3x3, output 1x2x3x4x4; stride 1x1x1, padding before+after 1+1 1+1 1+1 (same, reflect)", stdout, StringComparison.Ordinal);
            var entry = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(json))!["cases"]!.AsArray()[0]!;
            Assert.Equal("conv3d", entry["op"]!.GetValue<string>());
            Assert.Equal("reflect", entry["padding_mode"]!.GetValue<string>());
            Assert.Equal("[1,2,3,4,4]", entry["output_shape"]!.ToJsonString());
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public void ShardsOfASweepWithFamilyCases_MergeIntoTheWholeSweep()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"convcompare-family-merge-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            string[] sweep = ["run", "--cases", "3", "--family", "4", "--order", "1", "--seed", "5", "--dtype", "f64", "--impl", "serial"];
            for (int i = 1; i <= 2; i++)
            {
                var shard = ProgramRun.Invoke([.. sweep, "--shard", $"{i}/2", "--json", Path.Combine(directory, $"shard-{i}.json")]);
                Assert.True(shard.Code == ExitCodes.Passed, shard.Stderr + shard.Stdout);
            }
            string merged = Path.Combine(directory, "merged.json");
            var (code, stdout, stderr) = ProgramRun.Invoke("merge", Path.Combine(directory, "shard-1.json"), Path.Combine(directory, "shard-2.json"), "--json", merged);
            Assert.True(code == ExitCodes.Passed, stderr + stdout);
            var report = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(merged))!;
            // 3 conv2d cases, 4 of the family and the infinite-weight share of 3 cases rounded up: one.
            Assert.Equal(8, report["requested_cases"]!.GetValue<int>());
            Assert.Equal(8, report["summary"]!["cases"]!.GetValue<int>());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void CheckOfAFamilyIdBreakingARule_IsABadArgumentInOneSentence()
    {
        var (code, _, stderr) = ProgramRun.Invoke("check", "conv1d-n1c2w4-o2k3-s2-psame-d1-g1-f32-v1");
        Assert.Equal(ExitCodes.BadArguments, code);
        Assert.Contains("padding 'same' needs stride 1", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void RunWithOp_SweepsThatOperationAloneAndListsItInTheCoverageLine()
    {
        var (code, stdout, stderr) = ProgramRun.Invoke("run", "--op", "conv3d", "--cases", "4", "--dtype", "f64");
        Assert.True(code == ExitCodes.Passed, stderr + stdout);
        Assert.Contains("4 cases of conv3d", stdout, StringComparison.Ordinal);
        Assert.Contains("conv3d 4, conv_transpose1d 0", stdout, StringComparison.Ordinal);
        Assert.Contains("padding zeros 1, padding reflect 1, padding replicate 1, padding circular 1", stdout, StringComparison.Ordinal);
    }
}

using System.Text.RegularExpressions;
using ConvCompare.Cli;
using ConvCompare.Snapshots;

namespace ConvCompare.Tests.Docs;

/// <summary>
/// The GitHub Actions workflow runs the program as the docs do: each command line in it parses with the
/// program's own parser once the matrix value is filled in, the matrix holds every shard 1..n of the
/// <c>--shard i/n</c> it runs, and merge reads the files the shards write. Nothing is run.
/// </summary>
public partial class WorkflowTests
{
    private static readonly string Root = Path.GetDirectoryName(SnapshotFolder.Locate(AppContext.BaseDirectory))!;

    private static readonly string Workflow = File.ReadAllText(Path.Combine(Root, ".github", "workflows", "convcompare.yml"));

    [Fact]
    public void EveryProgramCommandLine_ParsesForEveryShardOfTheMatrix()
    {
        var lines = Workflow.Split('\n').Where(l => ProgramInvocation.Arguments(l) is not null).ToList();
        Assert.Equal(2, lines.Count);
        foreach (int shard in Matrix())
            foreach (string line in lines)
            {
                var arguments = ProgramInvocation.Arguments(line.Replace("${{ matrix.shard }}", shard.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))!;
                var errors = CommandLine.Root().Parse(arguments.TakeWhile(a => a != ">").ToArray()).Errors;
                Assert.True(errors.Count == 0, $"{line.Trim()}: {string.Join("; ", errors.Select(e => e.Message))}");
            }
    }

    [Fact]
    public void Matrix_HoldsEveryShardOfTheSliceCountTheSweepRuns()
    {
        var slice = ShardOption().Match(Workflow);
        Assert.True(slice.Success, "no --shard ${{ matrix.shard }}/n in the workflow");
        int n = int.Parse(slice.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Enumerable.Range(1, n), Matrix());
    }

    [Fact]
    public void Merge_ReadsTheJsonReportsTheShardsWriteAndUpload()
    {
        Assert.Contains("--json shard-${{ matrix.shard }}.json", Workflow, StringComparison.Ordinal);
        Assert.Contains("name: shard-${{ matrix.shard }}", Workflow, StringComparison.Ordinal);
        Assert.Contains("pattern: shard-*", Workflow, StringComparison.Ordinal);
        Assert.Contains("-- merge shards/shard-*.json --json merged.json --junit merged.xml", Workflow, StringComparison.Ordinal);
        Assert.Contains("bash .ci/run", Workflow, StringComparison.Ordinal);
    }

    private static List<int> Matrix()
    {
        var list = MatrixList().Match(Workflow);
        Assert.True(list.Success, "no shard matrix in the workflow");
        return [.. list.Groups[1].Value.Split(',').Select(v => int.Parse(v.Trim(), System.Globalization.CultureInfo.InvariantCulture))];
    }

    [GeneratedRegex(@"shard: \[([0-9, ]+)\]")]
    private static partial Regex MatrixList();

    [GeneratedRegex(@"--shard \$\{\{ matrix\.shard \}\}/([0-9]+)")]
    private static partial Regex ShardOption();
}

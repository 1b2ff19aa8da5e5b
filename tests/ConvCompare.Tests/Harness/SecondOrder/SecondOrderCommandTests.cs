using System.Text.Json;
using ConvCompare.Cli;
using ConvCompare.Tests.Cli;

namespace ConvCompare.Tests.Harness.SecondOrder;

/// <summary>
/// <c>run --order</c> and <c>check</c> of a second-order id through the real command line, in float64 only, so that
/// nothing depends on TorchSharp's float32 convolution.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class SecondOrderCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("convcompare-order-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void RunOrderTwo_JudgesEverySecondOrderTensorOfEveryImplementation_FamilyCaseIncluded_InTheSummaryAndJson()
    {
        string json = Path.Combine(_directory, "run.json");

        var (code, stdout, stderr) = ProgramRun.Invoke("run", "--order", "2", "--cases", "3", "--seed", "7", "--dtype", "f64", "--json", json);

        Assert.True(code == ExitCodes.Passed, stdout + stderr);
        foreach (string row in new[] { "d2x", "d2w", "d2dy", "gradgradcheck" })
            Assert.Contains(stdout.Split('\n'), l => l.StartsWith(row + " ", StringComparison.Ordinal) && l.Contains("serial failed 0/4", StringComparison.Ordinal)
                && l.Contains("vectorized failed 0/4", StringComparison.Ordinal) && l.Contains("torch faults 0/4", StringComparison.Ordinal));
        // 3 conv2d cases, then the family's second-order share of 3 cases rounded up: one.
        Assert.Contains("3 cases, 1 of the family to second order", stdout, StringComparison.Ordinal);
        Assert.Contains("second order 4", stdout, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var results = document.RootElement.GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(12, results.Count);
        Assert.Equal(3, results.Count(r => r.GetProperty("id").GetString()!.StartsWith("conv1d-", StringComparison.Ordinal)));
        Assert.All(results, r =>
        {
            Assert.EndsWith("-order2" + r.GetProperty("id").GetString()![r.GetProperty("id").GetString()!.LastIndexOf("-v", StringComparison.Ordinal)..],
                r.GetProperty("id").GetString(), StringComparison.Ordinal);
            foreach (string tensor in new[] { "d2x", "d2w", "d2dy" })
                Assert.True(r.GetProperty("tensors").GetProperty(tensor).GetProperty("pass").GetBoolean());
            Assert.True(r.GetProperty("gradgradcheck").GetProperty("pass").GetBoolean());
        });
    }

    [Fact]
    public void RunWithAnUnknownOrder_IsRefusedNamingTheOption()
    {
        var (code, _, stderr) = ProgramRun.Invoke("run", "--order", "3");

        Assert.Equal(ExitCodes.BadArguments, code);
        Assert.Contains("--order 3 must be mixed, 1 or 2", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckOfASecondOrderId_RerunsItToSecondOrder()
    {
        var (code, stdout, stderr) = ProgramRun.Invoke("check", "n2c3h6w5-o4k3x2-s1x1-p0,0,0,0-d1x1-g1-f64-sigmoid-order2-v2");

        Assert.True(code == ExitCodes.Passed, stdout + stderr);
        Assert.Equal(3, stdout.Split('\n').Count(l => l.StartsWith("  d2dy vs ", StringComparison.Ordinal)));
        Assert.Equal(3, stdout.Split('\n').Count(l => l.StartsWith("  gradgradcheck (8 directions) of ", StringComparison.Ordinal) && l.EndsWith("-> pass", StringComparison.Ordinal)));
    }
}

using System.Diagnostics;
using ConvCompare.Bench;
using ConvCompare.Files;
using ConvCompare.Tests.Harness;

namespace ConvCompare.Tests.Bench;

/// <summary>
/// bench's measuring child does not outlive an interruption of bench: the signal is forwarded, the
/// child waited for (killed if it ignores it) and its temporary report removed. The interruption is
/// what the SIGINT handler runs, called directly, so the test process itself is never signalled.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class InterruptibleChildTests : IDisposable
{
    private readonly string _temporary = Path.Combine(Path.GetTempPath(), $"convcompare-child-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_temporary);

    [Theory]
    [InlineData("sleep 60")]
    [InlineData("trap '' INT; sleep 60")]
    public void InterruptedParent_StopsItsChild_AndRemovesTheChildsReport(string script)
    {
        File.WriteAllText(_temporary, "{ \"half\": ");
        var start = new ProcessStartInfo("bash") { ArgumentList = { "-c", script }, UseShellExecute = false };
        using var child = InterruptibleChild.Start(start, _temporary, gracePeriod: TimeSpan.FromMilliseconds(500));
        var clock = Stopwatch.StartNew();

        Interruption.Run();

        Assert.True(child.Process.HasExited, "the child is still running");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {clock.Elapsed}");
        Assert.False(File.Exists(_temporary));
    }

    [Fact]
    public void ChildThatFinishes_IsNotSignalled_AndItsReportIsRemovedOnDispose()
    {
        File.WriteAllText(_temporary, "{}");
        var start = new ProcessStartInfo("bash") { ArgumentList = { "-c", "exit 0" }, UseShellExecute = false };
        var child = InterruptibleChild.Start(start, _temporary);
        child.Process.WaitForExit();
        Assert.True(File.Exists(_temporary));

        child.Dispose();

        Assert.False(File.Exists(_temporary));
    }
}
